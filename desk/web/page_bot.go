package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/desk/export"
	"huiliu/i18n"
)

// The bot's pages (docs/bot-admin.md): settings, flows and the try console
// for admins, analytics for supervisors and admins. The pages read through
// botadmin, which checks the roles again; their scripts write through the
// API.

func (s *Server) botPageRoutes() {
	e := s.echo
	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	admin := append(page[:len(page):len(page)], requireRole(desk.RoleAdmin))
	sup := append(page[:len(page):len(page)], requireRole(desk.RoleSupervisor))
	e.GET("/admin/bot", s.botSettingsPage, admin...)
	e.GET("/admin/bot/flows", s.botFlowsPage, admin...)
	e.GET("/admin/bot/try", s.botTryPage, admin...)
	e.GET("/supervisor/bot", s.botAnalyticsPage, sup...)
	e.GET("/supervisor/bot/export.csv", s.botAnalyticsExport, sup...)
}

// botPage renders one of the bot's screens with the desk's chrome.
func (s *Server) botPage(c echo.Context, file, titleKey, page string, data, pageJSON any) error {
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, titleKey), Page: page, Scripts: []string{"bot_admin.js"}, Data: data, PageJSON: pageJSON}
	if err := s.withChrome(c.Request().Context(), c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, file, d)
}

// botPlace is one place the settings page lists.
type botPlace struct {
	Channel, SiteKey, Label string
	Stored                  bool
	Enabled                 bool
	Mode                    string
	Selected                bool
}

type botSettingsView struct {
	Places    []botPlace
	Edit      botadmin.Settings
	Calendars []desk.SLACalendar
	Weekdays  []string
	Languages []string
	Modes     []string
	UpdatedBy string
}

// botSettingsPage lists the places the bot may answer (each webchat site,
// each channel as a whole, and whatever was stored) and edits one
// (?channel=&site_key=, default the first).
func (s *Server) botSettingsPage(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), current(c).Agent
	stored, err := b.ListSettings(ctx, a)
	if err != nil {
		return err
	}
	sites, err := s.svc.Sites(ctx, desk.AgentActor(a))
	if err != nil {
		return err
	}
	cals, err := s.svc.SLACalendars(ctx, desk.AgentActor(a))
	if err != nil {
		return err
	}
	v := botSettingsView{Calendars: cals, Weekdays: botadmin.Weekdays, Languages: bot.Languages, Modes: []string{bot.ModeAlways, bot.ModeOffHours}}
	seen := map[[2]string]int{}
	add := func(p botPlace) {
		k := [2]string{p.Channel, p.SiteKey}
		if i, ok := seen[k]; ok {
			if p.Label != "" {
				v.Places[i].Label = p.Label
			}
			return
		}
		seen[k] = len(v.Places)
		v.Places = append(v.Places, p)
	}
	for _, st := range stored {
		add(botPlace{Channel: st.Channel, SiteKey: st.SiteKey, Stored: true, Enabled: st.Enabled, Mode: st.Mode})
	}
	for _, site := range sites {
		add(botPlace{Channel: "webchat", SiteKey: site.Key, Label: site.Name})
	}
	channels := s.opts.Channels
	if channels == nil {
		channels = []string{"webchat", "telegram", "email"}
	}
	for _, ch := range channels {
		if ch != "api" {
			add(botPlace{Channel: ch})
		}
	}
	channel, key := c.QueryParam("channel"), c.QueryParam("site_key")
	if channel == "" && len(v.Places) > 0 {
		channel, key = v.Places[0].Channel, v.Places[0].SiteKey
	}
	if _, ok := seen[[2]string{channel, key}]; !ok && channel != "" {
		add(botPlace{Channel: channel, SiteKey: key})
	}
	v.Edit = botadmin.Settings{Channel: channel, SiteKey: key, Timezone: botadmin.DefaultTimezone}
	v.Edit.Mode, v.Edit.Greeting, v.Edit.Hours = bot.ModeAlways, map[string]string{}, map[string]string{}
	for i := range v.Places {
		p := &v.Places[i]
		if p.Channel == channel && p.SiteKey == key {
			p.Selected = true
		}
	}
	for _, st := range stored {
		if st.Channel == channel && st.SiteKey == key {
			v.Edit = st
		}
	}
	if v.Edit.UpdatedBy != "" {
		names, err := s.agentNames(ctx)
		if err != nil {
			return err
		}
		v.UpdatedBy = agentLabel(names, v.Edit.UpdatedBy)
	}
	return s.botPage(c, "bot_settings.html", "botdesk.settings.title", "bot-settings", v, nil)
}

type botVersionRow struct {
	botadmin.FlowVersion
	Author  string
	Current bool
}

type botFlowsView struct {
	Current  botadmin.FlowVersion
	Versions []botVersionRow
	// Viewed is the version asked with ?v=N (nil: none) and Diff its
	// changes up to the current one (nil: same text or too long).
	Viewed    *botadmin.FlowVersion
	Diff      []botadmin.DiffLine
	Identical bool
}

// botFlowsPage is the flows editor with the versions; ?v=N shows version
// N and what changed from it to the current version.
func (s *Server) botFlowsPage(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), current(c).Agent
	var v botFlowsView
	if v.Current, err = b.CurrentFlows(ctx, a); err != nil {
		return err
	}
	list, err := b.FlowVersions(ctx, a)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	for _, fv := range list {
		v.Versions = append(v.Versions, botVersionRow{FlowVersion: fv, Author: agentLabel(names, fv.AuthorID), Current: fv.Version == v.Current.Version})
	}
	if q := c.QueryParam("v"); q != "" {
		n, perr := strconv.ParseInt(q, 10, 64)
		if perr != nil || n < 0 {
			return desk.Errorf(desk.CodeInvalid, "v must be a version number")
		}
		fv, err := b.FlowVersion(ctx, a, n)
		if err != nil {
			return err
		}
		v.Viewed = &fv
		v.Identical = fv.Source == v.Current.Source
		if !v.Identical {
			v.Diff = botadmin.Diff(fv.Source, v.Current.Source)
		}
	}
	return s.botPage(c, "bot_flows.html", "botdesk.flows.title", "bot-flows", v,
		map[string]any{"base_version": v.Current.Version})
}

type botTryView struct {
	Languages []string
	Lang      string
	Available bool
}

// botTryPage is the console: the script talks to POST /api/v1/bot/try.
func (s *Server) botTryPage(c echo.Context) error {
	lang := pickLanguage(c.Request())
	v := botTryView{Languages: bot.Languages, Lang: lang, Available: s.opts.Bot != nil && s.opts.Bot.CanTry()}
	return s.botPage(c, "bot_try.html", "botdesk.try.title", "bot-try", v, nil)
}

// botBar is one bar of an inline SVG chart: Width in percent of the
// largest, Y its place.
type botBar struct {
	Key      string
	N, Width int
	Y        int
}

// botChart is a bar chart: labels are Prefix+Key translated (Prefix "":
// the key as it is), values end with Unit.
type botChart struct {
	Bars         []botBar
	Prefix, Unit string
	Height       int
}

type botAnalyticsView struct {
	Report         botadmin.Report
	From, To       string
	Channel        string
	Channels       []string
	Kinds, Reasons botChart
	Refusals       botChart
	DayBars        botChart
	ExportQuery    string
}

// botAnalyticsPage shows the period's containment, hand-off reasons,
// refusals, decisions by kind and the unanswered questions, per channel
// and per day.
func (s *Server) botAnalyticsPage(c echo.Context) error {
	r, p, err := s.botReport(c)
	if err != nil {
		return err
	}
	v := botAnalyticsView{Report: r, From: p.From.Format(time.DateOnly), To: p.To.AddDate(0, 0, -1).Format(time.DateOnly), Channel: p.Channel}
	v.Channels = s.opts.Channels
	if v.Channels == nil {
		v.Channels = []string{"webchat", "telegram", "email"}
	}
	v.Kinds, v.Reasons = chart(r.Kinds, "botdesk.kind.", ""), chart(r.HandoffReasons, "botdesk.reason.", "")
	v.Refusals = chart(r.Refusals, "botdesk.reason.", "")
	days := make([]botadmin.Count, 0, len(r.Days))
	for _, d := range r.Days {
		days = append(days, botadmin.Count{Key: d.Day, N: d.Percent()})
	}
	// Containment is already a percentage: bars are as long as it is.
	v.DayBars = chart(days, "", "%")
	for i := range v.DayBars.Bars {
		v.DayBars.Bars[i].Width = v.DayBars.Bars[i].N
	}
	q := url.Values{"from": {v.From}, "to": {v.To}}
	if p.Channel != "" {
		q.Set("channel", p.Channel)
	}
	v.ExportQuery = q.Encode()
	return s.botPage(c, "bot_analytics.html", "botdesk.analytics.title", "bot-analytics", v, nil)
}

// chartRow is the height of one bar and its gap in the SVG's units.
const chartRow = 8

func chart(cs []botadmin.Count, prefix, unit string) botChart {
	top := 0
	for _, c := range cs {
		top = max(top, c.N)
	}
	ch := botChart{Prefix: prefix, Unit: unit, Height: len(cs) * chartRow, Bars: make([]botBar, 0, len(cs))}
	for i, c := range cs {
		w := 0
		if top > 0 {
			w = c.N * 100 / top
		}
		ch.Bars = append(ch.Bars, botBar{Key: c.Key, N: c.N, Width: w, Y: i * chartRow})
	}
	return ch
}

// botAnalyticsExport downloads the period's figures as CSV through
// desk/export (cells defused): ?table=rows (per day and channel, the
// default) or ?table=unanswered.
func (s *Server) botAnalyticsExport(c echo.Context) error {
	table := c.QueryParam("table")
	if table == "" {
		table = "rows"
	}
	if !slices.Contains([]string{"rows", "unanswered"}, table) {
		return desk.Errorf(desk.CodeInvalid, "table must be rows or unanswered")
	}
	r, p, err := s.botReport(c)
	if err != nil {
		return err
	}
	var header []string
	var rows [][]string
	if table == "rows" {
		header = []string{"day", "channel", "bot_tickets", "contained", "handed_off", "containment_percent", "decisions"}
		for _, row := range r.Rows {
			rows = append(rows, []string{row.Day, row.Channel, strconv.Itoa(row.Tickets), strconv.Itoa(row.Contained),
				strconv.Itoa(row.HandedOff), strconv.Itoa(row.Percent()), strconv.Itoa(row.Decisions)})
		}
	} else {
		header = []string{"question", "count", "lang", "channel", "kind", "last"}
		for _, q := range r.Unanswered {
			rows = append(rows, []string{q.Text, strconv.Itoa(q.N), q.Lang, q.Channel, string(q.Kind), q.Last.UTC().Format(time.RFC3339)})
		}
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"bot-%s-%s-%s.csv\"", table,
		p.From.Format("20060102"), p.To.AddDate(0, 0, -1).Format("20060102")))
	h.Set("Cache-Control", "no-store")
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return export.CSV(c.Response(), header, rows)
}
