package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// Inbox views. "all" is for supervisors and admins; agents see their own
// work, their teams' unassigned queue and what they own.
const (
	viewMine       = "mine"
	viewUnassigned = "unassigned"
	viewOwned      = "owned"
	viewAll        = "all"
	// SLA views (page_inbox_sla.go): active tickets whose SLA is at risk
	// or breached, for everyone within what they may see.
	viewAtRisk   = "at_risk"
	viewBreached = "breached"
	// viewCallbacks: active tickets with a callback to make (missed calls,
	// voicemails), the earliest deadline first.
	viewCallbacks = "callbacks"
)

var (
	statusChoices = []string{"active", "open", "pending", "bot", "resolved", "closed", "any"}
	// channelChoices are every channel in display order; the inbox offers
	// those this desk has (channelChoices method).
	channelChoices = []string{"webchat", "telegram", "email", "phone", "api"}
)

// sortChoices are the inbox orders, the default first.
var sortChoices = []desk.TicketSort{desk.SortActivity, desk.SortWaiting, desk.SortDeadline}

// activeStatuses is what "active" means in each view, the same the
// sidebar counts (desk.InboxCounts): the unassigned queue holds what waits
// on the desk, and tickets with the bot show only under all.
func activeStatuses(view string) []desk.Status {
	switch view {
	case viewUnassigned:
		return []desk.Status{desk.StatusOpen}
	case viewAll:
		return []desk.Status{desk.StatusBot, desk.StatusOpen, desk.StatusPending}
	}
	return []desk.Status{desk.StatusOpen, desk.StatusPending}
}

const inboxPageSize = 50

type inboxRow struct {
	ID, Subject, Preview, ContactName, Channel string
	Number                                     int64
	Status                                     desk.Status
	Priority                                   desk.Priority
	Owner, Assignee                            string
	LastAt                                     time.Time
	Tags                                       []string
	// CallbackDue is the earliest callback deadline (callbacks view).
	CallbackDue time.Time
	// Waiting is since when the customer waits on the desk (open and bot
	// tickets only); Due the next running SLA deadline, DueText its
	// countdown ("还剩 25 分钟", "overdue 3 h").
	Waiting, Due time.Time
	DueText      string
	Overdue      bool
}

type inboxView struct {
	View, Status, Channel, Query, Cursor string
	Sort                                 desk.TicketSort
	StatusChoices, ChannelChoices        []string
	SortChoices                          []desk.TicketSort
	// Sortable: the SLA views keep their own order (most overdue first).
	Sortable          bool
	Rows              []inboxRow
	NextURL, FirstURL string
}

func viewsFor(a desk.Agent) []string {
	v := []string{viewMine, viewUnassigned, viewOwned}
	if a.Role.AtLeast(desk.RoleSupervisor) {
		v = append(v, viewAll)
	}
	return append(v, viewAtRisk, viewBreached, viewCallbacks)
}

func (s *Server) inboxPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := current(c)
	q := c.QueryParams()
	v := inboxView{
		View: q.Get("view"), Status: q.Get("status"), Channel: q.Get("channel"),
		Query: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Sort: desk.TicketSort(q.Get("sort")),
		StatusChoices: statusChoices, SortChoices: sortChoices,
	}
	if v.View == "" {
		v.View = viewMine
	}
	if v.Sort == "" {
		v.Sort = desk.SortActivity
	}
	if !v.Sort.Valid() {
		return desk.Errorf(desk.CodeInvalid, "unknown sort %q", v.Sort)
	}
	v.Sortable = v.View != viewAtRisk && v.View != viewBreached && v.View != viewCallbacks
	if !slices.Contains([]string{viewMine, viewUnassigned, viewOwned, viewAll, viewAtRisk, viewBreached, viewCallbacks}, v.View) {
		return desk.Errorf(desk.CodeInvalid, "unknown view %q", v.View)
	}
	if !slices.Contains(viewsFor(p.Agent), v.View) {
		return desk.Errorf(desk.CodeForbidden, "the %s view is for supervisors", v.View)
	}
	if v.Status == "" {
		v.Status = "active"
	}
	if !slices.Contains(statusChoices, v.Status) {
		return desk.Errorf(desk.CodeInvalid, "unknown status %q", v.Status)
	}
	if len(v.Query) > 200 || !desk.ValidText(v.Query) || len(v.Channel) > 64 || len(v.Cursor) > 512 {
		return desk.Errorf(desk.CodeInvalid, "search text must be at most 200 bytes")
	}
	f := s.viewFilter(p.Agent, v.View)
	switch v.Status {
	case "active":
		f.Status = activeStatuses(v.View)
	case "any":
	default:
		f.Status = []desk.Status{desk.Status(v.Status)}
	}
	f.Channel, f.Query, f.Cursor, f.Sort, f.Limit = v.Channel, v.Query, v.Cursor, v.Sort, inboxPageSize
	var tickets []desk.Ticket
	var next string
	var err error
	var due map[string]time.Time
	switch v.View {
	case viewAtRisk, viewBreached:
		tickets, err = s.slaViewTickets(ctx, p.Agent, v.View, f)
	case viewCallbacks:
		tickets, due, err = s.callbackTickets(ctx, p.Agent)
	default:
		tickets, next, err = s.inboxTickets(ctx, p.Agent, v.View, f)
	}
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	if v.Rows, err = s.inboxRows(ctx, p.Agent, lang, tickets, names); err != nil {
		return err
	}
	for i := range v.Rows {
		v.Rows[i].CallbackDue = due[v.Rows[i].ID]
	}
	if v.ChannelChoices, err = s.channelChoices(ctx, v.Channel); err != nil {
		return err
	}
	base := url.Values{"view": {v.View}, "status": {v.Status}}
	if v.Channel != "" {
		base.Set("channel", v.Channel)
	}
	if v.Sort != desk.SortActivity && v.Sortable {
		base.Set("sort", string(v.Sort))
	}
	if v.Query != "" {
		base.Set("q", v.Query)
	}
	v.FirstURL = "/inbox?" + base.Encode()
	if next != "" {
		base.Set("cursor", next)
		v.NextURL = "/inbox?" + base.Encode()
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "view."+v.View), Page: "inbox", Scripts: []string{"inbox.js"}, Data: v}
	if c.QueryParam("fragment") == "rows" {
		// The live inbox re-reads its rows as server-rendered, escaped HTML.
		return s.renderTemplate(c, http.StatusOK, "inbox.html", "inbox_fragment", d)
	}
	if err := s.withChrome(ctx, c, &d, v.View); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "inbox.html", d)
}

// callbackTickets lists the callbacks view (desk.OpenCallbacks) with each
// ticket's earliest callback deadline. Like the SLA views it is short by
// nature and has no cursor; it lists every active ticket with a callback.
func (s *Server) callbackTickets(ctx context.Context, a desk.Agent) ([]desk.Ticket, map[string]time.Time, error) {
	cbs, err := s.svc.OpenCallbacks(ctx, a, desk.MaxCallbacksView)
	if err != nil {
		return nil, nil, err
	}
	ts := make([]desk.Ticket, 0, len(cbs))
	due := make(map[string]time.Time, len(cbs))
	for _, c := range cbs {
		ts = append(ts, c.Ticket)
		due[c.Ticket.ID] = c.DueAt
	}
	return ts, due, nil
}

// viewFilter is the store filter of a view, before status and search.
func (s *Server) viewFilter(a desk.Agent, view string) desk.TicketFilter {
	var f desk.TicketFilter
	switch view {
	case viewMine:
		f.AssigneeID = a.ID
	case viewOwned:
		f.OwnerID = a.ID
	case viewUnassigned:
		f.Unassigned = true
	}
	return f
}

// inboxTickets reads one page of a view.
func (s *Server) inboxTickets(ctx context.Context, a desk.Agent, view string, f desk.TicketFilter) ([]desk.Ticket, string, error) {
	page, err := s.svc.Tickets(ctx, a, f)
	if err != nil {
		return nil, "", fmt.Errorf("web: inbox %s: %w", view, err)
	}
	return page.Tickets, page.Next, nil
}

// agentNames maps agent ids to display names for owners, assignees and
// authors.
func (s *Server) agentNames(ctx context.Context) (map[string]desk.Agent, error) {
	as, err := s.svc.Colleagues(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]desk.Agent, len(as))
	for _, a := range as {
		m[a.ID] = a
	}
	return m, nil
}

// channelChoices are the channels this desk has: those it runs and those
// its tickets came by (a channel since switched off still has tickets), in
// display order. The one selected stays offered, so the filter shows what
// the URL asks for.
func (s *Server) channelChoices(ctx context.Context, selected string) ([]string, error) {
	had, err := s.svc.TicketChannels(ctx)
	if err != nil {
		return nil, err
	}
	have := append(s.runningChannels(), had...)
	if selected != "" {
		have = append(have, selected)
	}
	var out []string
	for _, ch := range channelChoices {
		if slices.Contains(have, ch) {
			out = append(out, ch)
		}
	}
	for _, ch := range have {
		if !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	return out, nil
}

func (s *Server) inboxRows(ctx context.Context, a desk.Agent, lang string, ts []desk.Ticket, names map[string]desk.Agent) ([]inboxRow, error) {
	contacts, err := s.svc.ContactsOf(ctx, a, ts)
	if err != nil {
		return nil, err
	}
	dues, err := s.svc.SLADuesOf(ctx, a, ts)
	if err != nil {
		return nil, err
	}
	now := s.svc.Now()
	rows := make([]inboxRow, 0, len(ts))
	for _, t := range ts {
		r := inboxRow{
			ID: t.ID, Number: t.Number, Subject: t.Subject, Preview: channelLabels(lang, t.Preview), ContactName: contactName(lang, contacts[t.ContactID]),
			Channel: t.Channel, Status: t.Status, Priority: t.Priority,
			Owner: names[t.OwnerID].Name, Assignee: names[t.AssigneeID].Name,
			LastAt: lastActivity(t), Tags: ticketTags(t),
		}
		// The same rule as the waiting and deadline orders (store.orderOf):
		// only tickets with the desk (or its bot) wait on it.
		if t.Status == desk.StatusOpen || t.Status == desk.StatusBot {
			r.Waiting = t.WaitingSince
			if due, ok := dues[t.ID]; ok {
				// A deadline is an instant: the countdown is wall-clock time
				// to it, which the ticket's SLA panel details in business time.
				r.Due, r.Overdue, r.DueText = due, !now.Before(due), countdownWith(lang, "inbox.due_left", "inbox.due_over", due.Sub(now))
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func lastActivity(t desk.Ticket) time.Time {
	if t.LastMessageAt.After(t.UpdatedAt) {
		return t.LastMessageAt
	}
	return t.UpdatedAt
}

// withChrome fills what every signed-in page shows around its content: the
// sidebar counts and the live stream's starting point.
func (s *Server) withChrome(ctx context.Context, c echo.Context, d *pageData, active string) error {
	p := current(c)
	counts, err := s.inboxCounts(ctx, p.Agent)
	if err != nil {
		return err
	}
	for _, k := range viewsFor(p.Agent) {
		d.Views = append(d.Views, viewCount{Key: k, Count: counts[k], Active: k == active})
	}
	pj, _ := d.PageJSON.(map[string]any)
	if pj == nil {
		pj = map[string]any{}
	}
	pj["pos"] = s.livePos(ctx)
	pj["me"] = p.Agent.ID
	d.PageJSON = pj
	d.CalendarGaps = s.calendarGaps(ctx, p.Agent)
	return nil
}

// livePos is the desk stream's position when the page was read, so the
// page's socket resumes right after what the page shows and misses nothing
// that happened in between. "" (new events only) when unknown.
func (s *Server) livePos(ctx context.Context) string {
	if s.opts.Events == nil {
		return ""
	}
	p, err := s.opts.Events.Last(ctx, desk.StreamDesk)
	if err != nil {
		return ""
	}
	return position(p.Epoch, p.Seq)
}

// inboxCounts are the sidebar's numbers by view key.
func (s *Server) inboxCounts(ctx context.Context, a desk.Agent) (map[string]int, error) {
	n, err := s.svc.InboxCounts(ctx, a)
	if err != nil {
		return nil, err
	}
	return map[string]int{viewMine: n.Mine, viewUnassigned: n.Unassigned, viewOwned: n.Owned, viewAll: n.All,
		viewAtRisk: n.AtRisk, viewBreached: n.Breached, viewCallbacks: n.Callbacks}, nil
}
