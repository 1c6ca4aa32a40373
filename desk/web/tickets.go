package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

func (s *Server) listTickets(c echo.Context) error {
	p := current(c)
	q := c.QueryParams()
	f := desk.TicketFilter{
		Team:       q.Get("team"),
		AssigneeID: meOr(p, q.Get("assignee")),
		OwnerID:    meOr(p, q.Get("owner")),
		Channel:    q.Get("channel"),
		Query:      strings.TrimSpace(q.Get("q")),
		Cursor:     q.Get("cursor"),
		Unassigned: q.Get("unassigned") == "true",
		Tag:        q.Get("tag"),
		Category:   q.Get("category"),
	}
	if st := q.Get("status"); st != "" {
		for _, v := range strings.Split(st, ",") {
			status := desk.Status(strings.TrimSpace(v))
			if !status.Valid() {
				return desk.Errorf(desk.CodeInvalid, "status %q is not one of bot, open, pending, resolved, closed", v)
			}
			f.Status = append(f.Status, status)
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > desk.MaxPageSize {
			return desk.Errorf(desk.CodeInvalid, "limit must be a number from 1 to %d", desk.MaxPageSize)
		}
		f.Limit = n
	}
	if len(f.Query) > 200 || !desk.ValidText(f.Query) {
		return desk.Errorf(desk.CodeInvalid, "q must be text of at most 200 bytes")
	}
	page, err := s.svc.Tickets(c.Request().Context(), p.Agent, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// meOr lets a caller say "me" for their own agent id.
func meOr(p principal, v string) string {
	if v == "me" {
		return p.Agent.ID
	}
	return v
}

type ticketResponse struct {
	Ticket  desk.Ticket  `json:"ticket"`
	Contact desk.Contact `json:"contact"`
}

func (s *Server) getTicket(c echo.Context) error {
	t, contact, err := s.svc.TicketDetail(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ticketResponse{Ticket: t, Contact: contact})
}
