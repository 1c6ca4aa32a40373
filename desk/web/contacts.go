package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// contactRoutes: a contact, its past tickets and the search that picks the
// other side of a merge. Notes and merges are in contact_notes.go and
// contact_merges.go.
func (s *Server) contactRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/contacts", s.searchContacts, authed...)
	e.GET(v1+"/contacts/:id", s.getContact, authed...)
	e.GET(v1+"/contacts/:id/tickets", s.contactTickets, authed...)
	s.contactNoteRoutes(v1, authed)
	s.contactMergeRoutes(v1, authed)
}

func (s *Server) getContact(c echo.Context) error {
	ct, err := s.svc.Contact(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ct)
}

type contactsResponse struct {
	Contacts []desk.Contact `json:"contacts"`
}

// searchContacts finds, with q, the contacts whose name or any identity
// contains it; with kind and value, the contact that holds that identity.
// Either way only contacts the agent may see.
func (s *Server) searchContacts(c echo.Context) error {
	ctx, a := c.Request().Context(), current(c).Agent
	var list []desk.Contact
	var err error
	if q := c.QueryParam("q"); q != "" {
		list, err = s.svc.SearchContacts(ctx, a, q)
	} else {
		list, err = s.svc.FindContacts(ctx, a, c.QueryParam("kind"), c.QueryParam("value"))
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, contactsResponse{Contacts: list})
}

func (s *Server) contactTickets(c echo.Context) error {
	ts, err := s.svc.ContactTickets(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, desk.TicketPage{Tickets: ts})
}
