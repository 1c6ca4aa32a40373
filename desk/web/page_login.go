package web

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
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
	return s.render(c, status, "login.html", pageData{Lang: lang, Title: i18n.T(lang, "login.title"), Page: "login", Data: v})
}

// loginSubmit is the login form's post. Login CSRF (a foreign page signing
// the victim into the attacker's account) is refused by requiring the post
// to come from a page of this host.
func (s *Server) loginSubmit(c echo.Context) error {
	lang := pickLanguage(c.Request())
	v := loginView{Next: safeNext(c.FormValue("next")), Email: c.FormValue("email")}
	if !sameOrigin(c.Request()) {
		v.Error = i18n.T(lang, "login.csrf")
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
			v.Error = i18n.T(lang, "login.bad")
		case desk.CodeRateLimited:
			v.Error = i18n.T(lang, "login.rate_limited", "n", setRetryAfter(c, de.RetryAfter))
		case desk.CodeUnavailable:
			v.Error = i18n.T(lang, "login.unavailable")
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
