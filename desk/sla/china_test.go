package sla

import (
	"slices"
	"strings"
	"testing"
)

// TestChina2026Data pins the encoded 2026 schedule (State Council notice of
// 2025-11-04), so an edit to data/cn2026.txt is a deliberate test change.
func TestChina2026Data(t *testing.T) {
	cal := China2026()
	var hol, work []string
	for _, d := range sortedDates(cal.Holidays) {
		hol = append(hol, d.String()[5:])
	}
	for _, d := range sortedDates(cal.Workdays) {
		work = append(work, d.String()[5:]+" "+d.Weekday().String()[:3])
	}
	wantHol := "01-01 01-02 01-03 " +
		"02-15 02-16 02-17 02-18 02-19 02-20 02-21 02-22 02-23 " +
		"04-04 04-05 04-06 " +
		"05-01 05-02 05-03 05-04 05-05 " +
		"06-19 06-20 06-21 " +
		"09-25 09-26 09-27 " +
		"10-01 10-02 10-03 10-04 10-05 10-06 10-07"
	if got := strings.Join(hol, " "); got != wantHol {
		t.Errorf("holidays:\n got %s\nwant %s", got, wantHol)
	}
	wantWork := "01-04 Sun,02-14 Sat,02-28 Sat,05-09 Sat,09-20 Sun,10-10 Sat"
	if got := strings.Join(work, ","); got != wantWork {
		t.Errorf("make-up workdays:\n got %s\nwant %s", got, wantWork)
	}
	if cal.Holidays[Date{2026, 10, 1}] != "国庆节" || cal.Workdays[Date{2026, 1, 4}] != "元旦调休" {
		t.Error("names not carried from the data file")
	}
	if cal.Location.String() != "Asia/Shanghai" {
		t.Errorf("zone %v", cal.Location)
	}
	if _, err := ChinaMainland(2031); err == nil || !strings.Contains(err.Error(), "no built-in") {
		t.Errorf("ChinaMainland(2031) = %v", err)
	}
	// Calendars are independent values.
	other := China2026()
	delete(other.Holidays, Date{2026, 10, 1})
	if _, ok := cal.Holidays[Date{2026, 10, 1}]; !ok {
		t.Error("China2026 calendars share state")
	}
}

// TestCalendarYears checks that a calendar says which years' holidays it
// holds: the built-in years, plus those an imported schedule declares.
func TestCalendarYears(t *testing.T) {
	all := ChinaMainlandAll()
	if got, want := all.Years, ChinaMainlandYears(); !slices.Equal(got, want) || len(got) == 0 {
		t.Fatalf("built-in calendar years %v, data files %v", got, want)
	}
	if !all.Covers(2026) || all.Covers(2031) {
		t.Errorf("Covers: 2026 %v, 2031 %v", all.Covers(2026), all.Covers(2031))
	}
	s, err := ParseSchedule(strings.NewReader("year 2031\nholiday 2031-01-01 元旦\n"))
	if err != nil {
		t.Fatal(err)
	}
	imported := all.Clone()
	if err := imported.Apply(s); err != nil {
		t.Fatal(err)
	}
	if !imported.Covers(2031) || all.Covers(2031) {
		t.Errorf("after import: clone covers 2031 %v, original %v", imported.Covers(2031), all.Covers(2031))
	}
	d := Date{2032, 1, 1}
	bad := Schedule{Years: []int{2032}, Entries: []Entry{{Kind: Holiday, From: d, To: d}, {Kind: Workday, From: d, To: d}}}
	before := slices.Clone(imported.Years)
	if err := imported.Apply(bad); err == nil || !slices.Equal(imported.Years, before) {
		t.Errorf("a refused schedule changed the years: %v → %v (err %v)", before, imported.Years, err)
	}
	open := AlwaysOpenCalendar("24x7", all.Location)
	if !open.Covers(2040) {
		t.Error("a 24x7 calendar needs no holiday data")
	}
}
