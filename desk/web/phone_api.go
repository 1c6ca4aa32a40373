package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

func (s *Server) phoneRoutes(v1 string, authed []echo.MiddlewareFunc) {
	s.echo.POST(v1+"/tickets/:id/calls", s.logCall, authed...)
	s.echo.POST(v1+"/calls/:id/wrap-up", s.wrapUpCall, authed...)
	s.echo.POST(v1+"/tickets/:id/dial", s.clickToCall, authed...)
	s.echo.POST(callImportPath, s.importCalls, append(authed[:len(authed):len(authed)], requireRole(desk.RoleAdmin))...)
}

type dialRequest struct {
	IdentityID string `json:"identity_id"`
}

// clickToCall asks the call platform to ring the agent's extension and
// dial a phone number of the ticket's contact; the call itself arrives as
// the line's events.
func (s *Server) clickToCall(c echo.Context) error {
	var req dialRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.svc.ClickToCall(c.Request().Context(), current(c).Agent, c.Param("id"), req.IdentityID); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "dialing"})
}

// callView is a call record on the API, talk time in seconds.
type callView struct {
	desk.CallRecord
	TalkSeconds int `json:"talk_seconds"`
}

func viewCall(r desk.CallRecord) callView {
	return callView{CallRecord: r, TalkSeconds: int(r.TalkTime() / time.Second)}
}

type logCallRequest struct {
	Number          string `json:"number"`
	Direction       string `json:"direction"`
	Reached         bool   `json:"reached"`
	DurationSeconds int    `json:"duration_seconds"`
	Notes           string `json:"notes"`
	Disposition     string `json:"disposition"`
}

func (s *Server) logCall(c echo.Context) error {
	var req logCallRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := s.svc.LogCall(c.Request().Context(), current(c).Agent, c.Param("id"), desk.LoggedCall{
		Number: req.Number, Direction: req.Direction, Reached: req.Reached, Talk: time.Duration(req.DurationSeconds) * time.Second,
		Notes: req.Notes, Disposition: req.Disposition})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewCall(r))
}

type wrapUpRequest struct {
	Notes       string `json:"notes"`
	Disposition string `json:"disposition"`
}

func (s *Server) wrapUpCall(c echo.Context) error {
	var req wrapUpRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := s.svc.WrapUpCall(c.Request().Context(), current(c).Agent, c.Param("id"), req.Notes, req.Disposition)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewCall(r))
}
