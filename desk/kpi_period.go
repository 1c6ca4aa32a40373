package desk

import "time"

// Report periods.
const (
	PeriodDay    = "day"
	PeriodWeek   = "week"
	PeriodMonth  = "month"
	PeriodCustom = "custom"
)

// MaxReportDays bounds a custom period.
const MaxReportDays = 366

// TrendPeriods is how many periods (the current one last) a trend shows.
const TrendPeriods = 8

// Span is a range of whole days in the desk's zone: From inclusive, To
// exclusive, both at midnight.
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Days is the span's length in days.
func (s Span) Days() int {
	n := 0
	for d := s.From; d.Before(s.To); d = d.AddDate(0, 0, 1) {
		n++
	}
	return n
}

func (s Span) dayKeys(zone *time.Location) (int, int) {
	return DayOf(s.From, zone), DayOf(s.To, zone)
}

func midnight(t time.Time, zone *time.Location) time.Time {
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, zone)
}

// PeriodSpan is the period of kind containing at: its day, its week
// (Monday first) or its calendar month.
func PeriodSpan(kind string, at time.Time, zone *time.Location) Span {
	d := midnight(at, zone)
	switch kind {
	case PeriodWeek:
		back := (int(d.Weekday()) + 6) % 7
		from := d.AddDate(0, 0, -back)
		return Span{from, from.AddDate(0, 0, 7)}
	case PeriodMonth:
		from := d.AddDate(0, 0, 1-d.Day())
		return Span{from, from.AddDate(0, 1, 0)}
	default:
		return Span{d, d.AddDate(0, 0, 1)}
	}
}

// previous is the period before s of the same kind: the previous calendar
// month for months, else as many days just before.
func previous(kind string, s Span) Span {
	if kind == PeriodMonth {
		return Span{s.From.AddDate(0, -1, 0), s.From}
	}
	return Span{s.From.AddDate(0, 0, -s.Days()), s.From}
}
