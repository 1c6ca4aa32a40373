package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Session cookie names: over TLS the __Host- prefix makes browsers refuse
// the cookie unless it is Secure, has Path=/ and no Domain, so neither a
// sibling subdomain nor a plain-HTTP page can plant or shadow it. The name
// follows the server's secure setting, which is stable per deployment, so
// the server reads exactly the name it sets.
const (
	sessionCookie       = "huiliu_session"
	sessionCookieSecure = "__Host-huiliu_session"
)

// secureCookies reports whether cookies of r are sent over TLS (directly,
// or behind a TLS-terminating proxy the configuration names).
func (s *Server) secureCookies(r *http.Request) bool {
	return s.opts.SecureCookies || r.TLS != nil
}

func (s *Server) sessionCookieName(r *http.Request) string {
	if s.secureCookies(r) {
		return sessionCookieSecure
	}
	return sessionCookie
}

// sessionFromCookie is the session secret the browser sent, "" for none.
func (s *Server) sessionFromCookie(r *http.Request) string {
	ck, err := r.Cookie(s.sessionCookieName(r))
	if err != nil {
		return ""
	}
	return ck.Value
}

// setSessionCookie is the one place the browser session cookie is made, for
// the API login and the login page alike: HttpOnly so scripts never see the
// secret, SameSite=Lax so other sites' posts do not carry it, Secure and
// __Host- behind TLS.
func (s *Server) setSessionCookie(c echo.Context, secret string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name:     s.sessionCookieName(c.Request()),
		Value:    secret,
		Path:     "/",
		Expires:  expires,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   s.secureCookies(c.Request()),
	})
}

// clearSessionCookie removes the session cookie on logout.
func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: s.sessionCookieName(c.Request()), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c.Request())})
}
