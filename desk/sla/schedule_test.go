package sla

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	in := "\uFEFF# 2026 mainland China\n" +
		"\n" +
		"year 2026\n" +
		"holiday 2026-01-01 2026-01-03 元旦\n" +
		"workday 2026-01-04 元旦调休   # the Sunday after\n" +
		"HOLIDAY   2026-04-05\n" +
		"休 2026-05-01 2026-05-05 劳动节 五一\n" +
		"班 2026-05-09\n" +
		"holiday 2026-05-01 5.1劳动节\n" + // same kind twice is harmless
		"\t \n"
	s, err := ParseSchedule(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{
		Years: []int{2026},
		Entries: []Entry{
			{Holiday, Date{2026, 1, 1}, Date{2026, 1, 3}, "元旦", 4},
			{Workday, Date{2026, 1, 4}, Date{2026, 1, 4}, "元旦调休", 5},
			{Holiday, Date{2026, 4, 5}, Date{2026, 4, 5}, "", 6},
			{Holiday, Date{2026, 5, 1}, Date{2026, 5, 5}, "劳动节 五一", 7},
			{Workday, Date{2026, 5, 9}, Date{2026, 5, 9}, "", 8},
			{Holiday, Date{2026, 5, 1}, Date{2026, 5, 1}, "5.1劳动节", 9},
		},
	}
	if !slices.Equal(s.Years, want.Years) || !slices.Equal(s.Entries, want.Entries) {
		t.Fatalf("ParseSchedule =\n%+v\nwant\n%+v", s, want)
	}
	back, err := ParseSchedule(strings.NewReader(s.String()))
	if err != nil {
		t.Fatalf("reparse of String(): %v\n%s", err, s)
	}
	if !sameEntries(back, s) {
		t.Errorf("String round trip:\n%s\n%+v", s, back)
	}
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"bad date", "# c\nholiday 2026-02-30 x\n", 2, `bad date "2026-02-30"`},
		{"bad range end", "holiday 2026-02-01 2026-02-3x\n", 1, `bad date "2026-02-3x"`},
		{"end before start", "\n\nholiday 2026-10-07 2026-10-01 国庆\n", 3, "ends before it starts"},
		{"unknown keyword", "holidays 2026-10-01\n", 1, `unknown keyword "holidays"`},
		{"missing date", "workday\n", 1, "workday needs a date"},
		{"holiday and workday", "holiday 2026-10-01 2026-10-07\nworkday 2026-10-10\nworkday 2026-10-07\n", 3,
			"2026-10-07 is a workday here but a holiday on line 1"},
		{"too long a range", "holiday 2026-01-01 2026-03-02\n", 1, "61 days, longer than 60"},
		{"range across centuries", "holiday 0001-01-01 9999-12-31\n", 1, "longer than 60"},
		{"bad year", "year 26\n", 1, "bad year"},
		{"year without number", "year\n", 1, `want "year YYYY"`},
		{"three dates", "holiday 2026-01-01 2026-01-02 2026-01-03\n", 1, "must be single-spaced text, not start with a date"},
		{"invalid UTF-8", "holiday 2026-01-01 \xff\n", 1, "not valid UTF-8"},
		{"line too long", "holiday 2026-01-01 " + strings.Repeat("x", 5000) + "\n", 1, "longer than 4096"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchedule(strings.NewReader(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseSchedule error = %v, want a *ParseError", err)
			}
			if pe.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseSchedule error = %q (line %d), want line %d and %q", err, pe.Line, tc.line, tc.want)
			}
		})
	}
}

func TestApply(t *testing.T) {
	cal := China2026()
	before := len(cal.Holidays)

	// A year declared complete replaces the built-in guess for that year
	// only: here the admin "corrects" 国庆 to end on the 8th and drops every
	// other 2026 date, while a 2025 date in the same file merges.
	fix := "year 2026\nholiday 2026-10-01 2026-10-08 国庆节\nworkday 2026-10-10\nholiday 2025-12-31 test\n"
	s, err := ParseSchedule(strings.NewReader(fix))
	if err != nil {
		t.Fatal(err)
	}
	next := cal.Clone()
	if err := next.Apply(s); err != nil {
		t.Fatal(err)
	}
	if len(cal.Holidays) != before {
		t.Error("Apply on a clone changed the original")
	}
	if !next.IsOpen(sh(t, "2026-01-02 10:00")) {
		t.Error("元旦 2026 survived a year 2026 import that omits it")
	}
	if next.IsOpen(sh(t, "2026-10-08 10:00")) || next.IsOpen(sh(t, "2025-12-31 10:00")) {
		t.Error("imported holidays are not applied")
	}
	if next.IsOpen(sh(t, "2026-09-20 10:00")) {
		t.Error("old make-up Sunday survived the year import")
	}
	if len(next.Holidays) != 9 || len(next.Workdays) != 1 {
		t.Errorf("holidays %d, workdays %d; want 9 and 1", len(next.Holidays), len(next.Workdays))
	}

	// Without "year", entries merge and override single dates.
	s, err = ParseSchedule(strings.NewReader("workday 2026-10-07 临时上班\n"))
	if err != nil {
		t.Fatal(err)
	}
	next = cal.Clone()
	if err := next.Apply(s); err != nil {
		t.Fatal(err)
	}
	if !next.IsOpen(sh(t, "2026-10-07 10:00")) || next.IsOpen(sh(t, "2026-10-06 10:00")) {
		t.Error("single-date override not merged")
	}
	if next.Workdays[Date{2026, 10, 7}] != "临时上班" {
		t.Errorf("name = %q", next.Workdays[Date{2026, 10, 7}])
	}

	// All or nothing: a calendar that cannot honour make-up days rejects the
	// schedule and keeps its state.
	tue, err := NewCalendar("tue", shanghai, map[time.Weekday][]Interval{time.Tuesday: ChinaHours})
	if err != nil {
		t.Fatal(err)
	}
	s, _ = ParseSchedule(strings.NewReader("holiday 2026-03-03\nworkday 2026-03-07\n"))
	if err := tue.Apply(s); err == nil || !strings.Contains(err.Error(), "MakeupHours") {
		t.Errorf("Apply = %v, want a MakeupHours error", err)
	}
	if len(tue.Holidays) != 0 || len(tue.Workdays) != 0 {
		t.Error("failed Apply changed the calendar")
	}

	// A schedule built in code is checked like a file.
	bad := Schedule{Entries: []Entry{{Kind: Holiday, From: Date{2026, 3, 3}, To: Date{2026, 3, 1}}}}
	if err := cal.Apply(bad); err == nil || !strings.Contains(err.Error(), "entry 1") {
		t.Errorf("Apply(bad) = %v", err)
	}
}

func sameEntries(a, b Schedule) bool {
	if !slices.Equal(a.Years, b.Years) || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i := range a.Entries {
		x, y := a.Entries[i], b.Entries[i]
		x.Line, y.Line = 0, 0
		if x != y {
			return false
		}
	}
	return true
}
