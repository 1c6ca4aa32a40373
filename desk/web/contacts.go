package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

func (s *Server) getContact(c echo.Context) error {
	ct, err := s.svc.Store().Contact(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ct)
}

type contactsResponse struct {
	Contacts []desk.Contact `json:"contacts"`
}

// searchContacts finds the contact that holds an identity (kind, value).
func (s *Server) searchContacts(c echo.Context) error {
	kind, value := c.QueryParam("kind"), strings.TrimSpace(c.QueryParam("value"))
	if !desk.ValidIdentityKind(kind) || value == "" {
		return desk.Errorf(desk.CodeInvalid, "give kind (webchat, telegram, email, phone, customer_no, api) and value")
	}
	if kind == desk.IdentityEmail {
		value = strings.ToLower(value)
	}
	ctx := c.Request().Context()
	resp := contactsResponse{Contacts: []desk.Contact{}}
	id, err := s.svc.Store().IdentityByValue(ctx, kind, value)
	if errors.Is(err, desk.ErrNotFound) {
		return c.JSON(http.StatusOK, resp)
	}
	if err != nil {
		return err
	}
	ct, err := s.svc.Store().Contact(ctx, id.ContactID)
	if err != nil {
		return err
	}
	resp.Contacts = append(resp.Contacts, ct)
	return c.JSON(http.StatusOK, resp)
}
