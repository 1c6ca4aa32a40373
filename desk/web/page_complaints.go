package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// complaintRow is one complaint as the register and the ticket page show
// it: the deadline it works towards with time left or overrun in words.
type complaintRow struct {
	C                    desk.Complaint
	Owner, Team          string
	Next                 time.Time
	NextLabel, Countdown string
	Overdue              bool
}

func complaintRowOf(lang string, c desk.Complaint, names map[string]desk.Agent, teams map[string]string, now time.Time) complaintRow {
	r := complaintRow{C: c, Owner: agentLabel(names, c.OwnerID), Team: teams[c.TeamID], Overdue: c.Overdue(now)}
	if d := c.NextDeadline(); d != nil {
		r.Next = *d
		r.NextLabel = i18n.T(lang, "complaints.deadline.resolution")
		if c.FirstResponseAt == nil && c.DeadlineFirstResponse != nil && d.Equal(*c.DeadlineFirstResponse) {
			r.NextLabel = i18n.T(lang, "complaints.deadline.first_response")
		}
		r.Countdown = complaintCountdown(lang, d.Sub(now))
	}
	return r
}

// complaintCountdown says the time left until a deadline (negative: the
// overrun) in days, hours and minutes. A deadline is an instant already
// counted on the working-day calendar, so what is left is plain time —
// unlike the SLA panel's business-time countdown.
func complaintCountdown(lang string, d time.Duration) string {
	key := "complaints.left"
	if d < 0 {
		key, d = "complaints.over", -d
	}
	m := int64(d / time.Minute)
	var txt string
	switch {
	case m >= 24*60:
		txt = i18n.T(lang, "complaints.dur_dh", "d", strconv.FormatInt(m/(24*60), 10), "h", strconv.FormatInt(m%(24*60)/60, 10))
	case m >= 60:
		txt = i18n.T(lang, "sla.dur_hm", "h", strconv.FormatInt(m/60, 10), "m", strconv.FormatInt(m%60, 10))
	default:
		txt = i18n.T(lang, "sla.dur_m", "m", strconv.FormatInt(m, 10))
	}
	return i18n.T(lang, key, "d", txt)
}

// complaintsView is the register page.
type complaintsView struct {
	Rows                       []complaintRow
	Query                      map[string]string
	CSV                        string
	Teams                      []desk.Team
	Sources, Severities        []string
	StatusChoices, SortChoices []string
	Next, Prev                 string
}

// complaintsPage is the register: every complaint for supervisors and
// admins, their teams' for agents; filters in the query (the API's),
// sorted by the deadline each works towards; a CSV of the same selection.
func (s *Server) complaintsPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := current(c)
	lang := pickLanguage(c.Request())
	q := c.QueryParams()
	if !q.Has("status") {
		q.Set("status", "active")
	}
	f, err := complaintFilterOf(p, q, s.zoneOf(p.Agent))
	if err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = desk.DefaultComplaintPage
	}
	cs, err := s.svc.Complaints(ctx, p.Agent, f)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	teamNames := map[string]string{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	now := s.svc.Now()
	v := complaintsView{Query: map[string]string{}, Teams: teams,
		StatusChoices: []string{"active", "open", "responded", "resolved", "withdrawn", ""},
		SortChoices:   []string{"deadline", "created"}}
	for _, src := range desk.ComplaintSources {
		v.Sources = append(v.Sources, string(src))
	}
	for _, sv := range desk.Severities {
		v.Severities = append(v.Severities, string(sv))
	}
	for _, k := range []string{"status", "source", "severity", "team", "owner", "overdue", "from", "to", "sort"} {
		v.Query[k] = q.Get(k)
	}
	for _, cp := range cs {
		v.Rows = append(v.Rows, complaintRowOf(lang, cp, names, teamNames, now))
	}
	csv := q
	csv.Del("offset")
	csv.Del("limit")
	csv.Set("format", "csv")
	v.CSV = "/api/v1/complaints?" + csv.Encode()
	if len(cs) == f.Limit {
		next := c.QueryParams()
		next.Set("offset", strconv.Itoa(f.Offset+f.Limit))
		v.Next = "/complaints?" + next.Encode()
	}
	if f.Offset > 0 {
		prev := c.QueryParams()
		prev.Set("offset", strconv.Itoa(max(0, f.Offset-f.Limit)))
		v.Prev = "/complaints?" + prev.Encode()
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "complaints.title"), Page: "complaints", Data: v}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "complaints.html", d)
}

// complaintBox is the ticket page's complaint section: the complaint with
// its deadlines, or the detector's banner, or the form that files one.
type complaintBox struct {
	TicketID string
	// Complaint is set for a registered (or withdrawn) complaint.
	Complaint *complaintRow
	// Suspected: the detector flagged the ticket; Terms and Source are what
	// the latest customer message showed (Source preselects the form).
	Suspected     bool
	Terms, Source string
	CanWithdraw   bool
	CanAccept     bool
	Sources       []string
	Severities    []string
	Closed        bool
}

// ticketComplaintFragment renders the complaint section of ticket :id;
// complaints.js loads it and re-reads it on every event of the ticket.
func (s *Server) ticketComplaintFragment(c echo.Context) error {
	ctx := c.Request().Context()
	p := current(c)
	lang := pickLanguage(c.Request())
	t, err := s.svc.VisibleTicket(ctx, p.Agent, c.Param("id"))
	if err != nil {
		return err
	}
	box := complaintBox{TicketID: t.ID, Source: string(desk.SourceCustomer), Closed: t.Status == desk.StatusClosed}
	for _, src := range desk.ComplaintSources {
		box.Sources = append(box.Sources, string(src))
	}
	for _, sv := range desk.Severities {
		box.Severities = append(box.Severities, string(sv))
	}
	cp, err := s.svc.Complaint(ctx, p.Agent, t.ID)
	switch {
	case err == nil:
		names, err := s.agentNames(ctx)
		if err != nil {
			return err
		}
		teams, err := s.teamNames(c)
		if err != nil {
			return err
		}
		row := complaintRowOf(lang, cp, names, teams, s.svc.Now())
		box.Complaint = &row
		box.CanWithdraw = cp.Status != desk.ComplaintWithdrawn && (p.Agent.Role.AtLeast(desk.RoleSupervisor) ||
			(cp.OwnerID == p.Agent.ID && cp.Source != desk.SourceRegulator))
		box.CanAccept = cp.OwnerID == "" && cp.Status != desk.ComplaintWithdrawn
	case desk.CodeOf(err) != desk.CodeNotFound:
		return err
	}
	if slices.Contains(t.Tags, desk.TagComplaintSuspected) && (box.Complaint == nil || box.Complaint.C.Status == desk.ComplaintWithdrawn) {
		box.Suspected = true
		if terms, source := s.suspicion(c, p.Agent, t.ID); terms != "" {
			box.Terms = terms
			if desk.ComplaintSource(source).Valid() {
				box.Source = source
			}
		}
	}
	d := pageData{Lang: lang, Page: "ticket", Data: box}
	return s.renderTemplate(c, http.StatusOK, "ticket.html", "complaint_box", d)
}

// suspicion is what the detector's entry on the timeline recorded (the
// words, never personal data, and the source they hint at), to name the
// words in the banner and preselect the source.
func (s *Server) suspicion(c echo.Context, a desk.Agent, ticketID string) (terms, source string) {
	msgs, err := s.svc.TicketMessages(c.Request().Context(), a, ticketID, "", maxTimeline)
	if err != nil {
		return "", ""
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if e := msgs[i].Event; e != nil && e.Action == "complaint_suspected" {
			return e.Args["terms"], e.Args["source"]
		}
	}
	return "", ""
}
