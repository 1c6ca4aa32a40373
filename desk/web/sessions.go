package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	// Mode "cookie" (default) sets the session cookie for a browser;
	// "token" returns the session secret for a script's Authorization header.
	Mode string `json:"mode"`
}

type loginResponse struct {
	Agent     desk.Agent `json:"agent"`
	CSRFToken string     `json:"csrf_token,omitempty"`
	Token     string     `json:"token,omitempty"`
	ExpiresAt time.Time  `json:"expires_at"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Mode != "" && req.Mode != "cookie" && req.Mode != "token" {
		return desk.Errorf(desk.CodeInvalid, "mode must be cookie or token")
	}
	// A browser session may only be opened from a page of this host (login
	// CSRF), as on the login form; a script sending no Origin is no browser.
	if req.Mode != "token" && crossSite(c.Request()) {
		return desk.Errorf(desk.CodeForbidden, "a browser session can only be opened from a page of this site")
	}
	sess, secret, agent, err := s.svc.Login(c.Request().Context(), req.Email, req.Password, c.RealIP())
	if err != nil {
		return err
	}
	resp := loginResponse{Agent: agent, ExpiresAt: sess.ExpiresAt}
	if req.Mode == "token" {
		resp.Token = secret
	} else {
		s.setSessionCookie(c, secret, sess.ExpiresAt)
		resp.CSRFToken = sess.CSRF
	}
	return c.JSON(http.StatusCreated, resp)
}

func (s *Server) logout(c echo.Context) error {
	p := current(c)
	if p.Session == nil {
		return desk.Errorf(desk.CodeInvalid, "API tokens are revoked by an admin, not logged out")
	}
	if err := s.svc.Logout(c.Request().Context(), *p.Session, c.RealIP()); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type meResponse struct {
	Agent     desk.Agent `json:"agent"`
	CSRFToken string     `json:"csrf_token,omitempty"`
}

func (s *Server) me(c echo.Context) error {
	p := current(c)
	resp := meResponse{Agent: p.Agent}
	if p.viaCookie && p.Session != nil {
		resp.CSRFToken = p.Session.CSRF
	}
	return c.JSON(http.StatusOK, resp)
}
