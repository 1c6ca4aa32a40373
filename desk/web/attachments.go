package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/internal/filetype"
)

// getAttachment serves a file of a message on a ticket the agent may see.
func (s *Server) getAttachment(c echo.Context) error {
	a, err := s.svc.Attachment(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	// Judged by the bytes, not the declared type: only real pictures are
	// shown; an HTML or SVG file would otherwise run as the desk's origin.
	typ, disposition := filetype.Serving(a.Data)
	name := a.Name
	if name == "" {
		name = "file-" + a.ID
	}
	h.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+url.PathEscape(name))
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	h.Set("Cache-Control", "private, max-age=3600")
	return c.Blob(http.StatusOK, typ, a.Data)
}
