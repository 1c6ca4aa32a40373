package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

const (
	csrfHeader   = "X-CSRF-Token"
	principalKey = "principal"
)

// authenticate accepts a bearer token (scripts, integrations) or the
// session cookie (browsers).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		secret, fromCookie := s.credentials(c.Request())
		if secret == "" {
			return desk.Errorf(desk.CodeUnauthorized, "log in or send an Authorization: Bearer token")
		}
		p, err := s.svc.Authenticate(c.Request().Context(), secret)
		if err != nil {
			return err
		}
		c.Set(principalKey, principal{Principal: p, viaCookie: fromCookie})
		return next(c)
	}
}

type principal struct {
	desk.Principal
	viaCookie bool
}

func (s *Server) credentials(r *http.Request) (secret string, fromCookie bool) {
	if h := r.Header.Get(echo.HeaderAuthorization); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok), false
		}
		return "", false
	}
	if v := s.sessionFromCookie(r); v != "" {
		return v, true
	}
	return "", false
}

func current(c echo.Context) principal {
	p, _ := c.Get(principalKey).(principal)
	return p
}

// csrf guards cookie-authenticated writes: a browser sends the cookie on a
// cross-site form post, but only our own page knows the session's CSRF
// secret. Bearer callers are not exposed to CSRF.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := current(c)
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if !p.viaCookie || p.Session == nil {
			return next(c)
		}
		got := c.Request().Header.Get(csrfHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRF)) != 1 {
			return desk.Errorf(desk.CodeForbidden, "missing or wrong %s header", csrfHeader)
		}
		return next(c)
	}
}

// requireRole refuses callers below min.
func requireRole(min desk.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !current(c).Agent.Role.AtLeast(min) {
				return desk.Errorf(desk.CodeForbidden, "this needs the %s role", min)
			}
			return next(c)
		}
	}
}
