package desk

import (
	"strconv"
)

// ReportHeader is the CSV export's header.
var ReportHeader = []string{"dimension", "key", "name", "from", "to", "created", "resolved", "timely",
	"first_response_median_s", "resolution_median_s", "first_contact_resolution", "transfers"}

// Rows is the report as a table for desk/export: the period and the one
// before it, each day, then each channel, category, team and agent. Names
// come from agents and categories, so the export must defuse formulas.
func (r Report) Rows() [][]string {
	num := func(v int64) string { return strconv.FormatInt(v, 10) }
	opt := func(v *float64, prec int) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', prec, 64)
	}
	day := func(s Span) (string, string) {
		return s.From.Format("2006-01-02"), s.To.AddDate(0, 0, -1).Format("2006-01-02")
	}
	var rows [][]string
	for _, p := range []struct {
		dim string
		s   Span
		f   Figures
	}{{"period", r.Current, r.Cur}, {"previous", r.Previous, r.Prev}} {
		from, to := day(p.s)
		rows = append(rows, []string{p.dim, "", "", from, to, num(p.f.Created), num(p.f.Resolved), opt(p.f.Timely, 4),
			opt(p.f.FirstResponseMedian, 0), opt(p.f.ResolutionMedian, 0), opt(p.f.FirstContactResolution, 4), num(p.f.Transfers)})
	}
	for _, d := range r.Days {
		ds := d.Day.Format("2006-01-02")
		rows = append(rows, []string{"day", ds, "", ds, ds, num(d.Created), num(d.Resolved), opt(d.Timely, 4), "", "", "", ""})
	}
	from, to := day(r.Current)
	for _, g := range []struct {
		dim  string
		rows []GroupRow
	}{{"channel", r.ByChannel}, {"category", r.ByCategory}, {"team", r.ByTeam}, {"agent", r.ByAgent}} {
		for _, x := range g.rows {
			rows = append(rows, []string{g.dim, x.Key, x.Name, from, to, num(x.Created), num(x.Resolved), opt(x.Timely, 4),
				opt(x.FirstResponseMedian, 0), opt(x.ResolutionMedian, 0), opt(x.FirstContact, 4), num(x.Transfers)})
		}
	}
	return rows
}
