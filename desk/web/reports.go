package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/export"
)

// reportRoutes serves the KPI reports: the JSON and CSV API for any signed-in
// caller (an agent gets their own figures) and the dashboard pages.
func (s *Server) reportRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/reports/summary", s.reportSummary, authed...)
	e.GET(v1+"/reports/export", s.reportExport, authed...)
	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	e.GET("/supervisor/reports", s.reportsPage, append(page, requireRole(desk.RoleSupervisor))...)
	e.GET("/me/reports", s.reportsPage, page...)
}

// parseReportQuery reads period, at, from, to (dates as YYYY-MM-DD in
// zone) and the team, agent, channel and category filters.
func parseReportQuery(v url.Values, zone *time.Location) (desk.ReportQuery, error) {
	q := desk.ReportQuery{Period: v.Get("period"), Filter: desk.KPIFilter{
		TeamID: v.Get("team"), AgentID: v.Get("agent"), Channel: v.Get("channel"), Category: v.Get("category")}}
	switch q.Period {
	case "", desk.PeriodDay, desk.PeriodWeek, desk.PeriodMonth, desk.PeriodCustom:
	default:
		return q, desk.Errorf(desk.CodeInvalid, "unknown period (day, week, month or custom)").Say("kpi.err.period")
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"at", &q.At}, {"from", &q.From}, {"to", &q.To}} {
		s := v.Get(p.name)
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", s, zone)
		if err != nil || t.Year() < 2000 || t.Year() > 2200 {
			return q, desk.Errorf(desk.CodeInvalid, "%s must be a date as YYYY-MM-DD", p.name).Say("kpi.err.date", "name", p.name)
		}
		*p.dst = t
	}
	for _, s := range []string{q.Filter.TeamID, q.Filter.AgentID, q.Filter.Channel, q.Filter.Category} {
		if len(s) > maxReportFilter {
			return q, desk.Errorf(desk.CodeInvalid, "filters are at most %d bytes each", maxReportFilter)
		}
	}
	return q, nil
}

// maxReportFilter bounds each filter value.
const maxReportFilter = 100

func (s *Server) report(c echo.Context) (desk.Report, error) {
	if s.opts.KPI == nil {
		return desk.Report{}, desk.Errorf(desk.CodeUnavailable, "reports are not set up on this node").Say("kpi.err.unavailable")
	}
	q, err := parseReportQuery(c.QueryParams(), s.opts.KPI.Zone())
	if err != nil {
		return desk.Report{}, err
	}
	return s.opts.KPI.Report(c.Request().Context(), current(c).Agent, q)
}

func (s *Server) reportSummary(c echo.Context) error {
	r, err := s.report(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// reportExport writes the report as CSV through desk/export, which defuses
// cells a spreadsheet would run as formulas (agent names, categories).
func (s *Server) reportExport(c echo.Context) error {
	r, err := s.report(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"report-%s-%s.csv\"",
		r.Current.From.Format("20060102"), r.Current.To.AddDate(0, 0, -1).Format("20060102")))
	h.Set("Cache-Control", "no-store")
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return export.CSV(c.Response(), desk.ReportHeader, r.Rows())
}
