package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/export"
)

// piiRoutes: revealing personal data with a purpose, and transcript
// exports (masked, or unmasked with a purpose).
func (s *Server) piiRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.POST(v1+"/tickets/:id/messages/:mid/reveal", s.revealMessage, authed...)
	e.POST(v1+"/contacts/:id/identities/:iid/reveal", s.revealIdentity, authed...)
	e.GET(v1+"/tickets/:id/export", s.exportTicket, authed...)
}

type revealRequest struct {
	Purpose string `json:"purpose"`
}

func (s *Server) revealMessage(c echo.Context) error {
	var req revealRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	m, err := s.svc.RevealMessage(c.Request().Context(), s.actor(c), c.Param("id"), c.Param("mid"), req.Purpose)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) revealIdentity(c echo.Context) error {
	var req revealRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	id, err := s.svc.RevealIdentity(c.Request().Context(), s.actor(c), c.Param("id"), c.Param("iid"), req.Purpose)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, id)
}

// exportTicket downloads a ticket's transcript as CSV (default) or JSON.
func (s *Server) exportTicket(c echo.Context) error {
	format := c.QueryParam("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "json" {
		return desk.Errorf(desk.CodeInvalid, "format must be csv or json")
	}
	tr, err := s.svc.Transcript(c.Request().Context(), s.actor(c), c.Param("id"), c.QueryParam("purpose"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"ticket-%d.%s\"", tr.Ticket.Number, format))
	h.Set("Cache-Control", "no-store")
	if format == "json" {
		h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		c.Response().WriteHeader(http.StatusOK)
		return json.NewEncoder(c.Response()).Encode(tr)
	}
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return export.CSV(c.Response(), desk.TranscriptHeader, tr.Rows())
}
