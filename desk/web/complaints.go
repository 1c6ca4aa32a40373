package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/export"
)

// complaintRoutes are the complaint register's API and pages
// (docs/complaints.md).
func (s *Server) complaintRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/complaints", s.listComplaints, authed...)
	e.GET(v1+"/tickets/:id/complaint", s.getComplaint, authed...)
	e.POST(v1+"/tickets/:id/complaint", s.fileComplaint, authed...)
	e.PATCH(v1+"/tickets/:id/complaint", s.updateComplaint, authed...)
	e.DELETE(v1+"/tickets/:id/complaint", s.withdrawComplaint, authed...)
	e.POST(v1+"/tickets/:id/complaint/accept", s.acceptComplaint, authed...)
	e.POST(v1+"/tickets/:id/complaint-suspicion/dismiss", s.dismissComplaintSuspicion, authed...)

	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	e.GET("/complaints", s.complaintsPage, page...)
	e.GET("/tickets/:id/complaint", s.ticketComplaintFragment, page...)
}

// complaintRequest files a complaint. regulator_due is RFC 3339.
type complaintRequest struct {
	Source       desk.ComplaintSource `json:"source"`
	RegulatorRef string               `json:"regulator_ref"`
	RegulatorDue string               `json:"regulator_due"`
	Severity     desk.Severity        `json:"severity"`
	Summary      string               `json:"summary"`
	Wants        string               `json:"wants"`
	OwnerID      string               `json:"owner_id"`
}

func (s *Server) fileComplaint(c echo.Context) error {
	var req complaintRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := desk.ComplaintInput{Source: req.Source, RegulatorRef: req.RegulatorRef, Severity: req.Severity,
		Summary: req.Summary, Wants: req.Wants, OwnerID: req.OwnerID}
	if req.RegulatorDue != "" {
		due, err := time.Parse(time.RFC3339, req.RegulatorDue)
		if err != nil {
			return desk.Errorf(desk.CodeInvalid, "regulator_due must be a time like 2026-03-05T18:00:00+08:00")
		}
		in.RegulatorDue = due
	}
	cp, err := s.svc.FileComplaint(c.Request().Context(), desk.AgentActor(current(c).Agent), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cp)
}

func (s *Server) getComplaint(c echo.Context) error {
	cp, err := s.svc.Complaint(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

type complaintUpdateRequest struct {
	Severity     *desk.Severity        `json:"severity"`
	Source       *desk.ComplaintSource `json:"source"`
	RegulatorRef *string               `json:"regulator_ref"`
	Summary      *string               `json:"summary"`
	Wants        *string               `json:"wants"`
	OwnerID      *string               `json:"owner_id"`
}

func (s *Server) updateComplaint(c echo.Context) error {
	var req complaintUpdateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cp, err := s.svc.UpdateComplaint(c.Request().Context(), current(c).Agent, c.Param("id"), desk.ComplaintUpdate(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) withdrawComplaint(c echo.Context) error {
	var req withdrawRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cp, err := s.svc.WithdrawComplaint(c.Request().Context(), current(c).Agent, c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

func (s *Server) acceptComplaint(c echo.Context) error {
	cp, err := s.svc.AcceptComplaint(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

func (s *Server) dismissComplaintSuspicion(c echo.Context) error {
	t, err := s.svc.DismissComplaintSuspicion(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type complaintList struct {
	Complaints []desk.Complaint `json:"complaints"`
}

func (s *Server) listComplaints(c echo.Context) error {
	p := current(c)
	f, err := complaintFilterOf(p, c.QueryParams(), s.zoneOf(p.Agent))
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		return desk.Errorf(desk.CodeInvalid, "format must be json or csv")
	}
	if format == "csv" {
		f.Limit = desk.MaxComplaintPage
	}
	cs, err := s.svc.Complaints(c.Request().Context(), p.Agent, f)
	if err != nil {
		return err
	}
	if format != "csv" {
		return c.JSON(http.StatusOK, complaintList{Complaints: cs})
	}
	names, err := s.agentNames(c.Request().Context())
	if err != nil {
		return err
	}
	teams, err := s.teamNames(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="complaints.csv"`)
	h.Set("Cache-Control", "no-store")
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return export.CSV(c.Response(), complaintCSVHeader, complaintRows(cs, names, teams, s.svc.Now(), s.zoneOf(p.Agent)))
}

// complaintFilterOf reads the register's query: status (comma-separated),
// source, severity, team, owner ("me" for oneself), overdue=true,
// from/to (dates, 2006-01-02, Asia/Shanghai), sort (deadline, created),
// limit, offset.
func complaintFilterOf(p principal, q url.Values, loc *time.Location) (desk.ComplaintFilter, error) {
	f := desk.ComplaintFilter{Source: desk.ComplaintSource(q.Get("source")), Severity: desk.Severity(q.Get("severity")),
		TeamID: q.Get("team"), OwnerID: meOr(p, q.Get("owner")), Overdue: q.Get("overdue") == "true", Sort: q.Get("sort")}
	if st := q.Get("status"); st != "" {
		for v := range strings.SplitSeq(st, ",") {
			if v = strings.TrimSpace(v); v == "active" {
				f.Status = append(f.Status, desk.ComplaintOpen, desk.ComplaintResponded)
			} else if v != "" {
				f.Status = append(f.Status, desk.ComplaintStatus(v))
			}
		}
	}
	for _, n := range []struct {
		name string
		dst  *int
		max  int
	}{{"limit", &f.Limit, desk.MaxComplaintPage}, {"offset", &f.Offset, 1 << 30}} {
		if v := q.Get(n.name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil || i < 0 || i > n.max {
				return f, desk.Errorf(desk.CodeInvalid, "%s must be a number from 0 to %d", n.name, n.max)
			}
			*n.dst = i
		}
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.CreatedFrom}, {"to", &f.CreatedTo}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.ParseInLocation("2006-01-02", v, loc)
			if err != nil {
				return f, desk.Errorf(desk.CodeInvalid, "%s must be a date like 2026-03-02", d.name)
			}
			if d.name == "to" {
				t = t.AddDate(0, 0, 1) // the whole last day
			}
			*d.dst = t
		}
	}
	return f, nil
}

var complaintCSVHeader = []string{"ticket", "subject", "status", "source", "regulator_ref", "severity", "owner", "team",
	"created_at", "accepted_at", "first_response_at", "resolved_at", "deadline_first_response", "deadline_resolution",
	"overdue", "summary", "wants"}

func complaintRows(cs []desk.Complaint, names map[string]desk.Agent, teams map[string]string, now time.Time, loc *time.Location) [][]string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return absTime(*t, loc)
	}
	rows := make([][]string, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, []string{strconv.FormatInt(c.TicketNumber, 10), c.Subject, string(c.Status), string(c.Source),
			c.RegulatorRef, string(c.Severity), agentLabel(names, c.OwnerID), teams[c.TeamID],
			at(&c.CreatedAt), at(c.AcceptedAt), at(c.FirstResponseAt), at(c.ResolvedAt), at(c.DeadlineFirstResponse),
			at(c.DeadlineResolution), strconv.FormatBool(c.Overdue(now)), c.Summary, c.Wants})
	}
	return rows
}

func (s *Server) teamNames(c echo.Context) (map[string]string, error) {
	teams, err := s.svc.Teams(c.Request().Context())
	if err != nil {
		return nil, fmt.Errorf("web: teams: %w", err)
	}
	out := make(map[string]string, len(teams))
	for _, t := range teams {
		out[t.ID] = t.Name
	}
	return out, nil
}
