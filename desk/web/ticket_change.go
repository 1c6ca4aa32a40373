package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type changeTicketRequest struct {
	Status     *desk.Status   `json:"status"`
	AssigneeID *string        `json:"assignee_id"`
	TeamID     *string        `json:"team_id"`
	Priority   *desk.Priority `json:"priority"`
	Category   *string        `json:"category"`
	AddTags    []string       `json:"add_tags"`
	RemoveTags []string       `json:"remove_tags"`
}

func (s *Server) changeTicket(c echo.Context) error {
	var req changeTicketRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p := current(c)
	if req.AssigneeID != nil && *req.AssigneeID == "me" {
		req.AssigneeID = &p.Agent.ID
	}
	t, err := s.svc.ChangeTicket(c.Request().Context(), p.Agent, c.Param("id"), desk.TicketChange(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) ticketCounts(c echo.Context) error {
	counts, err := s.svc.InboxCounts(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, counts)
}
