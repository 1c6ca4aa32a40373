package sla

import (
	"strings"
	"testing"
)

// FuzzParseSchedule checks that no input panics, that an accepted schedule
// never lists a date as both holiday and workday, that it survives a round
// trip through String, and that it can be applied to a calendar. Seeds are
// in testdata/fuzz/FuzzParseSchedule.
func FuzzParseSchedule(f *testing.F) {
	f.Add("year 2026\nholiday 2026-01-01 2026-01-03 元旦\nworkday 2026-01-04 元旦调休\n")
	f.Add("# comment\n\n休 2026-05-01 2026-05-05 劳动节 # inline\n班 2026-05-09\n")
	f.Add("holiday 2026-10-07 2026-10-01\n")
	f.Add("holiday 2026-02-29\nworkday 2026-02-28\nholiday 2026-02-28\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseSchedule(strings.NewReader(in))
		if err != nil {
			if s.Entries != nil || s.Years != nil {
				t.Fatalf("error %v with a non-empty schedule", err)
			}
			return
		}
		kinds := map[Date]DayKind{}
		for _, e := range s.Entries {
			if err := e.check(); err != nil {
				t.Fatalf("accepted an invalid entry %+v: %v", e, err)
			}
			for d := e.From; d.Compare(e.To) <= 0; d = d.AddDays(1) {
				if k, ok := kinds[d]; ok && k != e.Kind {
					t.Fatalf("%s is both %v and %v", d, k, e.Kind)
				}
				kinds[d] = e.Kind
			}
		}
		back, err := ParseSchedule(strings.NewReader(s.String()))
		if err != nil {
			t.Fatalf("reparse of %q: %v", s.String(), err)
		}
		if !sameEntries(s, back) {
			t.Fatalf("round trip changed the schedule:\n%q\n%q", s.String(), back.String())
		}
		cal := China2026()
		if err := cal.Apply(s); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		for d, k := range kinds {
			if _, hol := cal.Holidays[d]; hol != (k == Holiday) {
				t.Fatalf("%s: applied kind wrong", d)
			}
		}
	})
}
