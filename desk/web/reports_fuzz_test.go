package web

import (
	"net/url"
	"testing"
	"time"

	"huiliu/desk"
)

// FuzzReportQuery: any query string is a report query or a clear
// "invalid" refusal, never a panic; a custom period is bounded before any
// database work.
func FuzzReportQuery(f *testing.F) {
	for _, s := range []string{"period=week&at=2026-09-30", "period=custom&from=2026-01-01&to=2026-03-31&team=t1",
		"period=month&at=2026-02-30", "at=99999-01-01", "period=%00", "channel=" + string(make([]byte, 200))} {
		f.Add(s)
	}
	zone := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := parseReportQuery(v, zone)
		if err != nil {
			if desk.CodeOf(err) != desk.CodeInvalid {
				t.Fatalf("%q: %v is not invalid", raw, err)
			}
			return
		}
		for _, d := range []time.Time{q.At, q.From, q.To} {
			if !d.IsZero() && (d.Year() < 2000 || d.Year() > 2200) {
				t.Fatalf("%q: date %v out of range", raw, d)
			}
		}
		// Period spans of an accepted query are whole days in order.
		if !q.At.IsZero() {
			s := desk.PeriodSpan(q.Period, q.At, zone)
			if !s.From.Before(s.To) {
				t.Fatalf("%q: span %+v", raw, s)
			}
		}
	})
}
