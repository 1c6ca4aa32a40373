package sla

import (
	"testing"
	"time"
)

var (
	shanghai = mustZone("Asia/Shanghai")
	newYork  = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at parses "2006-01-02 15:04" in loc; the tests' fake clock is just these
// explicit instants, since nothing in the package reads the wall clock.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

func sh(t testing.TB, s string) time.Time { t.Helper(); return at(t, shanghai, s) }

func fmtT(v time.Time) string { return v.Format("2006-01-02 15:04 Mon MST") }
