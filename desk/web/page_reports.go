package web

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// metric kinds decide how a figure and its change are written.
const (
	kindCount = "count" // a number of tickets
	kindPct   = "pct"   // a share 0–1, shown as %; changes in points
	kindDur   = "dur"   // seconds
	kindScore = "score" // an average score (1–5 or 0–100)
	kindRate  = "rate"  // complaints per 1,000 or 10,000
)

// metricDef is one row of the dashboard's figure table.
type metricDef struct {
	key   string // i18n key
	kind  string
	lower bool // lower is better (times, complaints, transfers)
	get   func(desk.Figures) *float64
}

func count(f func(desk.Figures) int64) func(desk.Figures) *float64 {
	return func(x desk.Figures) *float64 { v := float64(f(x)); return &v }
}

var reportMetrics = []metricDef{
	{"kpi.m.created", kindCount, false, count(func(f desk.Figures) int64 { return f.Created })},
	{"kpi.m.resolved", kindCount, false, count(func(f desk.Figures) int64 { return f.Resolved })},
	{"kpi.m.fr_timely", kindPct, false, func(f desk.Figures) *float64 { return f.FirstResponseTimely }},
	{"kpi.m.res_timely", kindPct, false, func(f desk.Figures) *float64 { return f.ResolutionTimely }},
	{"kpi.m.fr_avg", kindDur, true, func(f desk.Figures) *float64 { return f.FirstResponseAvg }},
	{"kpi.m.fr_median", kindDur, true, func(f desk.Figures) *float64 { return f.FirstResponseMedian }},
	{"kpi.m.fr_p90", kindDur, true, func(f desk.Figures) *float64 { return f.FirstResponseP90 }},
	{"kpi.m.nr_median", kindDur, true, func(f desk.Figures) *float64 { return f.NextResponseMedian }},
	{"kpi.m.nr_p90", kindDur, true, func(f desk.Figures) *float64 { return f.NextResponseP90 }},
	{"kpi.m.res_median", kindDur, true, func(f desk.Figures) *float64 { return f.ResolutionMedian }},
	{"kpi.m.res_p90", kindDur, true, func(f desk.Figures) *float64 { return f.ResolutionP90 }},
	{"kpi.m.fcr", kindPct, false, func(f desk.Figures) *float64 { return f.FirstContactResolution }},
	{"kpi.m.transfers", kindCount, true, count(func(f desk.Figures) int64 { return f.Transfers })},
	{"kpi.m.reopens", kindCount, true, count(func(f desk.Figures) int64 { return f.Reopens })},
	{"kpi.m.satisfied", kindPct, false, func(f desk.Figures) *float64 { return f.Satisfied }},
	{"kpi.m.survey_response", kindPct, false, func(f desk.Figures) *float64 { return f.SurveyResponse }},
	{"kpi.m.complaints", kindCount, true, count(func(f desk.Figures) int64 { return f.Complaints })},
	{"kpi.m.complaints_10k", kindRate, true, func(f desk.Figures) *float64 { return f.ComplaintsPer10000C }},
	{"kpi.m.qa_avg", kindScore, false, func(f desk.Figures) *float64 { return f.QAAvg }},
}

// figureRow is a figure of the period beside the previous one.
type figureRow struct {
	Key        string
	Name       string
	Cur, Prev  string
	Delta      string
	Arrow      string // up, down, flat or "" without both figures
	Good, Bad  bool
	ArrowLabel string
}

// seedCard is one of the three KPIs of the seeds, with its trend.
type seedCard struct {
	figureRow
	Sub   []string
	Spark template.HTML
}

type reportView struct {
	R        desk.Report
	Periods  []string
	Span     string
	DayRows  []dayRow
	Hours    []int
	Groups   []groupView
	Seeds    []seedCard
	Figures  []figureRow
	Days     template.HTML
	Heat     template.HTML
	Weekdays []string
	Form     reportForm
	Teams    []desk.Team
	Agents   []desk.Agent
	Own      bool
	CSV      string
	Action   string
}

type dayRow struct {
	Day, Timely       string
	Created, Resolved int64
}

type groupView struct {
	Title   string
	Channel bool // names are channel keys, shown translated
	Rows    []groupLine
}

type groupLine struct {
	Name                                            string
	Created, Resolved, Transfers                    int64
	Timely, FirstResponse, Resolution, FirstContact string
}

type reportForm struct {
	Period, At, From, To, Team, Agent, Channel, Category string
}

// reportsPage is the supervisors' dashboard (/supervisor/reports) and an
// agent's own figures (/me/reports): the three seed KPIs with their trend
// on top, then every figure against the previous period, the day-by-day
// volume, the hour-of-week heat map and the breakdowns. Charts are inline
// SVG with titles; the tables beside them carry the same numbers.
func (s *Server) reportsPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	a := current(c).Agent
	r, err := s.report(c)
	if err != nil {
		return err
	}
	own := c.Path() == "/me/reports"
	v := reportView{R: r, Own: own, Action: c.Path(), Form: reportForm{Period: r.Period,
		At: c.QueryParam("at"), From: c.QueryParam("from"), To: c.QueryParam("to"),
		Team: c.QueryParam("team"), Agent: c.QueryParam("agent"), Channel: c.QueryParam("channel"), Category: c.QueryParam("category")}}
	if a.Role.AtLeast(desk.RoleSupervisor) && !own {
		if v.Teams, err = s.svc.Teams(ctx); err != nil {
			return err
		}
		if v.Agents, err = s.opts.KPI.Agents(ctx, a); err != nil {
			return err
		}
	}
	qs := c.Request().URL.Query()
	v.CSV = "/api/v1/reports/export?" + qs.Encode()
	for _, m := range reportMetrics {
		v.Figures = append(v.Figures, compare(lang, m, r.Cur, r.Prev))
	}
	v.Seeds = seedCards(lang, r)
	v.Days = daysChart(lang, r.Days)
	v.Periods = []string{desk.PeriodDay, desk.PeriodWeek, desk.PeriodMonth, desk.PeriodCustom}
	last := func(sp desk.Span) string { return sp.To.AddDate(0, 0, -1).Format("2006-01-02") }
	v.Span = i18n.T(lang, "kpi.span", "from", r.Current.From.Format("2006-01-02"), "to", last(r.Current),
		"pfrom", r.Previous.From.Format("2006-01-02"), "pto", last(r.Previous), "zone", r.Zone)
	for _, d := range r.Days {
		v.DayRows = append(v.DayRows, dayRow{Day: d.Day.Format("2006-01-02"), Created: d.Created, Resolved: d.Resolved,
			Timely: format(lang, kindPct, d.Timely)})
	}
	for h := range 24 {
		v.Hours = append(v.Hours, h)
	}
	v.Groups = append(v.Groups, groupLines(lang, "kpi.by.channel", true, r.ByChannel), groupLines(lang, "kpi.by.category", false, r.ByCategory))
	if !own {
		v.Groups = append(v.Groups, groupLines(lang, "kpi.by.team", false, r.ByTeam), groupLines(lang, "kpi.by.agent", false, r.ByAgent))
	}
	v.Heat = heatChart(lang, r.HourOfWeek)
	for i := range 7 {
		v.Weekdays = append(v.Weekdays, i18n.T(lang, "kpi.wd."+strconv.Itoa(i)))
	}
	title := i18n.T(lang, "kpi.title")
	if own {
		title = i18n.T(lang, "kpi.own_title")
	}
	d := pageData{Lang: lang, Title: title, Page: "reports", Data: v}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "reports.html", d)
}

func seedCards(lang string, r desk.Report) []seedCard {
	trend := func(get func(desk.TrendPoint) *float64) []*float64 {
		out := make([]*float64, len(r.Trend))
		for i, p := range r.Trend {
			out[i] = get(p)
		}
		return out
	}
	sat := seedCard{figureRow: compare(lang, metricDef{"kpi.seed.satisfaction", kindScore, false,
		func(f desk.Figures) *float64 { return f.SatisfactionAvg }}, r.Cur, r.Prev)}
	sat.Sub = []string{
		i18n.T(lang, "kpi.sub.satisfied", "v", format(lang, kindPct, r.Cur.Satisfied)),
		i18n.T(lang, "kpi.sub.response", "v", format(lang, kindPct, r.Cur.SurveyResponse)),
	}
	sat.Spark = sparkline(lang, "spark-sat", sat.Name, r.Trend, trend(func(p desk.TrendPoint) *float64 { return p.SatisfactionAvg }), kindScore)
	comp := seedCard{figureRow: compare(lang, metricDef{"kpi.seed.complaints", kindRate, true,
		func(f desk.Figures) *float64 { return f.ComplaintsPer1000 }}, r.Cur, r.Prev)}
	comp.Sub = []string{
		i18n.T(lang, "kpi.sub.complaints", "n", strconv.FormatInt(r.Cur.Complaints, 10)),
		i18n.T(lang, "kpi.sub.per_10k", "v", format(lang, kindRate, r.Cur.ComplaintsPer10000C)),
	}
	comp.Spark = sparkline(lang, "spark-comp", comp.Name, r.Trend, trend(func(p desk.TrendPoint) *float64 { return p.ComplaintsPer1000 }), kindRate)
	tim := seedCard{figureRow: compare(lang, metricDef{"kpi.seed.timely", kindPct, false,
		func(f desk.Figures) *float64 { return f.Timely }}, r.Cur, r.Prev)}
	tim.Sub = []string{
		i18n.T(lang, "kpi.sub.fr", "v", format(lang, kindPct, r.Cur.FirstResponseTimely)),
		i18n.T(lang, "kpi.sub.res", "v", format(lang, kindPct, r.Cur.ResolutionTimely)),
	}
	tim.Spark = sparkline(lang, "spark-timely", tim.Name, r.Trend, trend(func(p desk.TrendPoint) *float64 { return p.Timely }), kindPct)
	return []seedCard{sat, comp, tim}
}

// compare writes a figure, the previous one and the change with its arrow.
func compare(lang string, m metricDef, cur, prev desk.Figures) figureRow {
	c, p := m.get(cur), m.get(prev)
	row := figureRow{Key: m.key, Name: i18n.T(lang, m.key), Cur: format(lang, m.kind, c), Prev: format(lang, m.kind, p)}
	if c == nil || p == nil {
		return row
	}
	d := *c - *p
	switch {
	case math.Abs(d) < 1e-9:
		row.Arrow = "flat"
	case d > 0:
		row.Arrow = "up"
	default:
		row.Arrow = "down"
	}
	if row.Arrow != "flat" {
		better := (d > 0) != m.lower
		row.Good, row.Bad = better, !better
	}
	row.ArrowLabel = i18n.T(lang, "kpi.arrow."+row.Arrow)
	row.Delta = formatDelta(lang, m.kind, d)
	return row
}

func format(lang, kind string, v *float64) string {
	if v == nil {
		return "—"
	}
	switch kind {
	case kindPct:
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	case kindDur:
		return duration(lang, *v)
	case kindScore, kindRate:
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	return strconv.FormatFloat(*v, 'f', 0, 64)
}

func formatDelta(lang, kind string, d float64) string {
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	switch kind {
	case kindPct:
		return i18n.T(lang, "kpi.points", "v", sign+strconv.FormatFloat(d*100, 'f', 1, 64))
	case kindDur:
		return sign + duration(lang, d)
	}
	return sign + format(lang, kind, &d)
}

// duration writes seconds as minutes, hours or days.
func duration(lang string, sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	switch {
	case d < time.Hour:
		return i18n.T(lang, "kpi.dur.min", "n", strconv.FormatFloat(d.Minutes(), 'f', 1, 64))
	case d < 48*time.Hour:
		return i18n.T(lang, "kpi.dur.h", "n", strconv.FormatFloat(d.Hours(), 'f', 1, 64))
	}
	return i18n.T(lang, "kpi.dur.d", "n", strconv.FormatFloat(d.Hours()/24, 'f', 1, 64))
}

func groupLines(lang, title string, channel bool, rows []desk.GroupRow) groupView {
	g := groupView{Title: title, Channel: channel}
	for _, r := range rows {
		g.Rows = append(g.Rows, groupLine{Name: r.Name, Created: r.Created, Resolved: r.Resolved, Transfers: r.Transfers,
			Timely: format(lang, kindPct, r.Timely), FirstResponse: format(lang, kindDur, r.FirstResponseMedian),
			Resolution: format(lang, kindDur, r.ResolutionMedian), FirstContact: format(lang, kindPct, r.FirstContact)})
	}
	return g
}
