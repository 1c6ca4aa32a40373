package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// setSessionCookie is the one place the browser session cookie is made, for
// the API login and the login page alike: HttpOnly so scripts never see the
// secret, SameSite=Lax so other sites' posts do not carry it, Secure behind
// TLS.
func (s *Server) setSessionCookie(c echo.Context, secret string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name:     sessionCookie,
		Value:    secret,
		Path:     "/",
		Expires:  expires,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   s.opts.SecureCookies || c.Request().TLS != nil,
	})
}

// clearSessionCookie removes the session cookie on logout.
func clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
