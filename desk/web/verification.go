package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// codeActionRequest names the kind of code (sms or email) and, for a
// check, the code the customer read out.
type codeActionRequest struct {
	Kind string `json:"kind"`
	Code string `json:"code"`
}

func (s *Server) otp() (*desk.OTP, error) {
	if s.opts.OTP == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "one-time codes are not configured on this desk")
	}
	return s.opts.OTP, nil
}

// verificationState is the desk's verification panel: the proof, where
// codes go (masked) and the last hour's attempts.
func (s *Server) verificationState(c echo.Context) error {
	otp, err := s.otp()
	if err != nil {
		return err
	}
	st, err := otp.State(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// requestCode sends a code to the customer's record at the agent's request.
func (s *Server) requestCode(c echo.Context) error {
	var req codeActionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	otp, err := s.otp()
	if err != nil {
		return err
	}
	res, err := otp.AgentRequestCode(c.Request().Context(), s.actor(c), c.Param("id"), req.Kind)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// checkCode checks a code the customer read out to the agent.
func (s *Server) checkCode(c echo.Context) error {
	var req codeActionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	otp, err := s.otp()
	if err != nil {
		return err
	}
	v, err := otp.AgentCheckCode(c.Request().Context(), s.actor(c), c.Param("id"), req.Kind, req.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) verificationRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/tickets/:id/verification", s.verificationState, authed...)
	e.POST(v1+"/tickets/:id/verification/codes", s.requestCode, authed...)
	e.POST(v1+"/tickets/:id/verification/check", s.checkCode, authed...)
}
