package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/export"
)

type auditResponse struct {
	Entries []desk.AuditEntry `json:"entries"`
	// Next is the `before` value for the following (older) page.
	Next string `json:"next_before,omitempty"`
}

// auditQuery reads the audit filters of a request: actor, action (a
// prefix), target, from and to (RFC 3339, or a date taken in the reader's
// zone loc, to counting the whole day), before and limit.
func auditQuery(c echo.Context, loc *time.Location) (desk.AuditQuery, error) {
	q := desk.AuditQuery{ActorID: c.QueryParam("actor"), Action: c.QueryParam("action"), Target: c.QueryParam("target"),
		Before: c.QueryParam("before"), Limit: 100}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > desk.MaxAuditPage {
			return q, desk.Errorf(desk.CodeInvalid, "limit must be a number from 1 to %d", desk.MaxAuditPage)
		}
		q.Limit = n
	}
	var err error
	if q.From, err = auditTime(c.QueryParam("from"), false, loc); err != nil {
		return q, err
	}
	if q.To, err = auditTime(c.QueryParam("to"), true, loc); err != nil {
		return q, err
	}
	return q, nil
}

func auditTime(v string, end bool, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, desk.Errorf(desk.CodeInvalid, "from and to are dates (2026-12-03) or RFC 3339 times")
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

func (s *Server) auditLog(c echo.Context) error {
	q, err := auditQuery(c, s.zoneOf(current(c).Agent))
	if err != nil {
		return err
	}
	es, err := s.svc.AuditSearch(c.Request().Context(), s.actor(c), q)
	if err != nil {
		return err
	}
	resp := auditResponse{Entries: es}
	if len(es) == q.Limit {
		resp.Next = es[len(es)-1].ID
	}
	return c.JSON(http.StatusOK, resp)
}

// auditExport writes the filtered audit log as CSV (spreadsheet-safe), at
// most desk.MaxAuditExport entries, newest first.
func (s *Server) auditExport(c echo.Context) error {
	q, err := auditQuery(c, s.zoneOf(current(c).Agent))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	q.Limit = desk.MaxAuditPage
	var rows [][]string
	for len(rows) < desk.MaxAuditExport {
		es, err := s.svc.AuditSearch(ctx, s.actor(c), q)
		if err != nil {
			return err
		}
		for _, e := range es {
			rows = append(rows, []string{e.At.UTC().Format(time.RFC3339), e.ActorKind, e.ActorID, e.Action, e.Target, e.Detail, e.IP})
		}
		if len(es) < q.Limit {
			break
		}
		q.Before = es[len(es)-1].ID
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="audit-%s.csv"`, time.Now().UTC().Format("20060102-150405")))
	c.Response().WriteHeader(http.StatusOK)
	return export.CSV(c.Response(), []string{"at", "actor_kind", "actor_id", "action", "target", "detail", "ip"}, rows)
}
