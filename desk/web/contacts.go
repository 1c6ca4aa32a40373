package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

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

// searchContacts finds the contact that holds an identity (kind, value),
// when the agent may see it.
func (s *Server) searchContacts(c echo.Context) error {
	list, err := s.svc.FindContacts(c.Request().Context(), current(c).Agent, c.QueryParam("kind"), c.QueryParam("value"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, contactsResponse{Contacts: list})
}
