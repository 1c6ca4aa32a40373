package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// contactNoteRoutes: notes agents keep about a customer.
func (s *Server) contactNoteRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/contacts/:id/notes", s.listContactNotes, authed...)
	e.POST(v1+"/contacts/:id/notes", s.addContactNote, authed...)
	e.PATCH(v1+"/contact-notes/:id", s.editContactNote, authed...)
	e.DELETE(v1+"/contact-notes/:id", s.deleteContactNote, authed...)
}

type contactNoteRequest struct {
	Text string `json:"text"`
}

type contactNotesResponse struct {
	Notes []desk.ContactNote `json:"notes"`
}

func (s *Server) listContactNotes(c echo.Context) error {
	ns, err := s.svc.ContactNotes(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, contactNotesResponse{Notes: ns})
}

func (s *Server) addContactNote(c echo.Context) error {
	var req contactNoteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	n, err := s.svc.AddContactNote(c.Request().Context(), s.actor(c), c.Param("id"), req.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, n)
}

func (s *Server) editContactNote(c echo.Context) error {
	var req contactNoteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	n, err := s.svc.EditContactNote(c.Request().Context(), s.actor(c), c.Param("id"), req.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (s *Server) deleteContactNote(c echo.Context) error {
	if err := s.svc.DeleteContactNote(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
