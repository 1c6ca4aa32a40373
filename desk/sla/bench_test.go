package sla

import (
	"testing"
	"time"
)

// BenchmarkAddWeeks measures a deadline 100 business hours out (about three
// weeks, through 国庆), which walks days and intervals, not minutes.
func BenchmarkAddWeeks(b *testing.B) {
	cal := China2026()
	start := time.Date(2026, 9, 28, 10, 15, 0, 0, cal.Location)
	for b.Loop() {
		if _, err := cal.Add(start, 100*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBetweenYear measures the business time in a whole year.
func BenchmarkBetweenYear(b *testing.B) {
	cal := China2026()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, cal.Location)
	to := from.AddDate(1, 0, 0)
	for b.Loop() {
		cal.Between(from, to)
	}
}

func BenchmarkIsOpen(b *testing.B) {
	cal := China2026()
	t := time.Date(2026, 10, 10, 10, 0, 0, 0, cal.Location)
	for b.Loop() {
		cal.IsOpen(t)
	}
}
