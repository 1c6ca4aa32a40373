package sla

import (
	"fmt"
	"time"
)

// Date is a civil date without a zone. Holidays and make-up days are dates,
// not instants: 2026-10-01 is a holiday wherever the calendar's zone puts it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// ParseDate parses an ISO date (YYYY-MM-DD, zero-padded) and rejects dates
// that do not exist, such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("bad date %q (want YYYY-MM-DD): %w", s, err)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's own location. Convert t with In first
// to get the date in another zone.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler so dates can be map keys in
// JSON and values in config files.
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("sla: invalid date %d-%d-%d", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	*d = p
	return nil
}

// Valid reports whether d names a real day (no month 13, no February 30).
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 &&
		DateOf(d.utcNoon()) == d
}

// utcNoon anchors date arithmetic in UTC, where every day has 24 hours.
func (d Date) utcNoon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utcNoon().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int {
	// Unix seconds, not Sub: a Duration saturates after 292 years.
	return int((e.utcNoon().Unix() - d.utcNoon().Unix()) / 86400)
}

// at returns the instant of the wall-clock time m on d in loc. Minutes past
// 24:00 roll into the next day, which is how an interval ending at 24:00
// reaches the following midnight.
//
// A wall time skipped by a DST jump (02:30 on a spring-forward night) has no
// instant; time.Date then picks one on either side, up to an hour off. We use
// the transition itself, the first instant whose wall time is not earlier, so
// an interval starting in the gap opens when the clock jumps and an interval
// lying wholly inside it is empty.
func (d Date) at(m TimeOfDay, loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, int(m), 0, 0, loc)
	want := time.Date(d.Year, d.Month, d.Day, 0, int(m), 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	start, end := t.ZoneBounds()
	switch {
	case got.Before(want) && !end.IsZero():
		return end
	case got.After(want) && !start.IsZero():
		return start
	}
	return t
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
