package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// slaRoutes mounts SLA state for agents and its configuration for admins.
func (s *Server) slaRoutes(v1 string, authed, admin []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/tickets/:id/sla", s.getTicketSLA, authed...)
	e.POST(v1+"/tickets/:id/followups", s.createFollowup, authed...)
	e.DELETE(v1+"/tickets/:id/followups/:fid", s.finishFollowup, authed...)
	e.GET(v1+"/sla/calendars", s.listSLACalendars, admin...)
	e.POST(v1+"/sla/calendars", s.createSLACalendar, admin...)
	e.PUT(v1+"/sla/calendars/:id", s.putSLACalendar, admin...)
	e.GET(v1+"/sla/policies", s.listSLAPolicies, admin...)
	e.POST(v1+"/sla/policies", s.createSLAPolicy, admin...)
	e.PUT(v1+"/sla/policies/:id", s.putSLAPolicy, admin...)
	e.DELETE(v1+"/sla/policies/:id", s.deleteSLAPolicy, admin...)
}

func (s *Server) getTicketSLA(c echo.Context) error {
	v, err := s.svc.TicketSLA(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type followupRequest struct {
	DueAt time.Time `json:"due_at"`
	Note  string    `json:"note"`
}

func (s *Server) createFollowup(c echo.Context) error {
	var req followupRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	f, err := s.svc.AddFollowup(c.Request().Context(), current(c).Agent, c.Param("id"), req.DueAt, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

func (s *Server) finishFollowup(c echo.Context) error {
	if err := s.svc.FinishFollowup(c.Request().Context(), current(c).Agent, c.Param("id"), c.Param("fid")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type slaCalendarsResponse struct {
	Calendars []desk.SLACalendar `json:"calendars"`
}

func (s *Server) listSLACalendars(c echo.Context) error {
	list, err := s.svc.SLACalendars(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, slaCalendarsResponse{Calendars: list})
}

// slaCalendarRequest is a calendar as an admin writes it; schedule is the
// text of a holiday/make-up file, imported whole.
type slaCalendarRequest struct {
	Name       string            `json:"name"`
	Timezone   string            `json:"timezone"`
	Hours      map[string]string `json:"hours"`
	Base       string            `json:"base"`
	Schedule   string            `json:"schedule"`
	AlwaysOpen bool              `json:"always_open"`
}

func (s *Server) saveSLACalendar(c echo.Context, id string, status int) error {
	var req slaCalendarRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cal, err := s.svc.PutSLACalendar(c.Request().Context(), s.actor(c), desk.SLACalendar{ID: id, Name: req.Name,
		Timezone: req.Timezone, Hours: req.Hours, Base: req.Base, Schedule: req.Schedule, AlwaysOpen: req.AlwaysOpen})
	if err != nil {
		return err
	}
	return c.JSON(status, cal)
}

func (s *Server) createSLACalendar(c echo.Context) error {
	return s.saveSLACalendar(c, "", http.StatusCreated)
}

func (s *Server) putSLACalendar(c echo.Context) error {
	return s.saveSLACalendar(c, c.Param("id"), http.StatusOK)
}

type slaPoliciesResponse struct {
	Policies []desk.SLAPolicy `json:"policies"`
}

func (s *Server) listSLAPolicies(c echo.Context) error {
	list, err := s.svc.SLAPolicies(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, slaPoliciesResponse{Policies: list})
}

// slaPolicyRequest is a policy as an admin writes it; durations are Go
// durations ("2h", "30m") of business time.
type slaPolicyRequest struct {
	Name          string                `json:"name"`
	Position      int                   `json:"position"`
	TeamID        string                `json:"team_id"`
	Priority      string                `json:"priority"`
	Category      string                `json:"category"`
	Channel       string                `json:"channel"`
	CalendarID    string                `json:"calendar_id"`
	FirstResponse desk.SLADuration      `json:"first_response"`
	NextResponse  desk.SLADuration      `json:"next_response"`
	Resolution    desk.SLADuration      `json:"resolution"`
	Ladder        []desk.EscalationStep `json:"ladder"`
}

func (s *Server) savePolicy(c echo.Context, id string, status int) error {
	var req slaPolicyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.PutSLAPolicy(c.Request().Context(), s.actor(c), desk.SLAPolicy{ID: id, Name: req.Name,
		Position: req.Position, TeamID: req.TeamID, Priority: req.Priority, Category: req.Category, Channel: req.Channel,
		CalendarID: req.CalendarID, FirstResponse: req.FirstResponse, NextResponse: req.NextResponse,
		Resolution: req.Resolution, Ladder: req.Ladder})
	if err != nil {
		return err
	}
	return c.JSON(status, p)
}

func (s *Server) createSLAPolicy(c echo.Context) error {
	return s.savePolicy(c, "", http.StatusCreated)
}

func (s *Server) putSLAPolicy(c echo.Context) error {
	return s.savePolicy(c, c.Param("id"), http.StatusOK)
}

func (s *Server) deleteSLAPolicy(c echo.Context) error {
	if err := s.svc.DeleteSLAPolicy(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
