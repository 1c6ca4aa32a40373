package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

const maxAuditPage = 500

type auditResponse struct {
	Entries []desk.AuditEntry `json:"entries"`
	// Next is the `before` value for the following (older) page.
	Next string `json:"next_before,omitempty"`
}

func (s *Server) auditLog(c echo.Context) error {
	limit := 100
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxAuditPage {
			return desk.Errorf(desk.CodeInvalid, "limit must be a number from 1 to %d", maxAuditPage)
		}
		limit = n
	}
	es, err := s.svc.AuditLog(c.Request().Context(), s.actor(c), c.QueryParam("before"), limit)
	if err != nil {
		return err
	}
	resp := auditResponse{Entries: es}
	if len(es) == limit {
		resp.Next = es[len(es)-1].ID
	}
	return c.JSON(http.StatusOK, resp)
}
