package web

import (
	"crypto/subtle"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type loginView struct {
	Next, Email, Error string
}

func (s *Server) loginPage(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	// Someone already signed in goes straight on.
	if v := s.sessionFromCookie(c.Request()); v != "" {
		if p, err := s.svc.Authenticate(c.Request().Context(), v); err == nil && p.Session != nil {
			return c.Redirect(http.StatusSeeOther, next)
		}
	}
	return s.renderLogin(c, http.StatusOK, loginView{Next: next})
}

func (s *Server) renderLogin(c echo.Context, status int, v loginView) error {
	lang := pickLanguage(c.Request())
	return s.render(c, status, "login.html", pageData{Lang: lang, Title: translate(lang, "login.title"), Page: "login", Data: v})
}

// loginSubmit is the login form's post. Login CSRF (a foreign page signing
// the victim into the attacker's account) is refused by requiring the post
// to come from a page of this host.
func (s *Server) loginSubmit(c echo.Context) error {
	lang := pickLanguage(c.Request())
	v := loginView{Next: safeNext(c.FormValue("next")), Email: c.FormValue("email")}
	if !sameOrigin(c.Request()) {
		v.Error = translate(lang, "login.csrf")
		return s.renderLogin(c, http.StatusForbidden, v)
	}
	sess, secret, _, err := s.svc.Login(c.Request().Context(), v.Email, c.FormValue("password"), c.RealIP())
	if err != nil {
		var de *desk.Error
		if !errors.As(err, &de) {
			return err
		}
		status := statusOf[de.Code]
		switch de.Code {
		case desk.CodeUnauthorized, desk.CodeInvalid:
			v.Error = translate(lang, "login.bad")
		case desk.CodeRateLimited:
			secs := max(1, int(math.Ceil(de.RetryAfter.Seconds())))
			c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			v.Error = format(translate(lang, "login.rate_limited"), "n", strconv.Itoa(secs))
		case desk.CodeUnavailable:
			v.Error = translate(lang, "login.unavailable")
		default:
			return err
		}
		return s.renderLogin(c, status, v)
	}
	s.setSessionCookie(c, secret, sess.ExpiresAt)
	return c.Redirect(http.StatusSeeOther, v.Next)
}

// logoutSubmit ends the session from the header's form; the form carries
// the session's CSRF token because a plain form cannot send the header.
func (s *Server) logoutSubmit(c echo.Context) error {
	p := current(c)
	got := c.FormValue("csrf")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRF)) != 1 {
		return desk.Errorf(desk.CodeForbidden, "missing or wrong CSRF token")
	}
	if err := s.svc.Logout(c.Request().Context(), *p.Session, c.RealIP()); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
