package sla

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ErrNoWorkingTime is returned by Validate for a calendar that never works.
var ErrNoWorkingTime = errors.New("calendar has no working time")

// TimeOfDay is a wall-clock time as minutes after local midnight, 0 through
// 1440 (24:00, only meaningful as the end of an interval).
type TimeOfDay int

// Midnight24 is 24:00, the end of an interval that runs to the end of the day.
const Midnight24 TimeOfDay = 24 * 60

// At builds a TimeOfDay from hours and minutes.
func At(hour, minute int) TimeOfDay { return TimeOfDay(hour*60 + minute) }

// ParseTimeOfDay parses "HH:MM" (24-hour; "24:00" allowed).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("bad time of day %q (want HH:MM)", s)
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time of day %q: out of range", s)
	}
	return At(h, m), nil
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// String formats t as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// Interval is a working interval [Start, End) on one day, in wall-clock time.
// Shifts across midnight are written as two intervals (22:00-24:00 on one
// weekday and 00:00-06:00 on the next).
type Interval struct {
	Start, End TimeOfDay
}

// String formats i as "HH:MM-HH:MM", the form ParseHours reads.
func (i Interval) String() string { return i.Start.String() + "-" + i.End.String() }

// MarshalText implements encoding.TextMarshaler ("09:00-12:00").
func (i Interval) MarshalText() ([]byte, error) { return []byte(i.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (i *Interval) UnmarshalText(b []byte) error {
	p, err := ParseInterval(string(b))
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	*i = p
	return nil
}

// ParseInterval parses "HH:MM-HH:MM".
func ParseInterval(s string) (Interval, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Interval{}, fmt.Errorf("bad interval %q (want HH:MM-HH:MM)", s)
	}
	start, err := ParseTimeOfDay(strings.TrimSpace(a))
	if err != nil {
		return Interval{}, fmt.Errorf("interval %q: %w", s, err)
	}
	end, err := ParseTimeOfDay(strings.TrimSpace(b))
	if err != nil {
		return Interval{}, fmt.Errorf("interval %q: %w", s, err)
	}
	i := Interval{start, end}
	if err := i.check(); err != nil {
		return Interval{}, err
	}
	return i, nil
}

// ParseHours parses a comma-separated day schedule such as
// "09:00-12:00, 13:30-18:00". An empty string is a day off.
func ParseHours(s string) ([]Interval, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []Interval
	for part := range strings.SplitSeq(s, ",") {
		i, err := ParseInterval(part)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	if err := checkDay(out); err != nil {
		return nil, err
	}
	return out, nil
}

func (i Interval) check() error {
	if i.Start < 0 || i.End > Midnight24 || i.Start >= Midnight24 {
		return fmt.Errorf("interval of minutes %d-%d is outside 00:00-24:00", int(i.Start), int(i.End))
	}
	if i.End <= i.Start {
		return fmt.Errorf("interval %s: end is not after start", i)
	}
	return nil
}

// checkDay validates one day's intervals: each well formed, listed in order,
// none overlapping. The math walks intervals in the given order, so order is
// part of validity rather than something silently fixed up.
func checkDay(ivs []Interval) error {
	for _, i := range ivs {
		if err := i.check(); err != nil {
			return err
		}
	}
	sorted := slices.Clone(ivs)
	slices.SortFunc(sorted, func(a, b Interval) int { return cmpInt(int(a.Start), int(b.Start)) })
	for k := 1; k < len(sorted); k++ {
		if sorted[k].Start < sorted[k-1].End {
			return fmt.Errorf("intervals %s and %s overlap", sorted[k-1], sorted[k])
		}
	}
	if !slices.Equal(sorted, ivs) {
		return fmt.Errorf("intervals %v are not in order; list them earliest first", ivs)
	}
	return nil
}

// Calendar is a team's working calendar. Build one with NewCalendar (or set
// the fields and call Validate). The methods only read a Calendar, so one
// calendar can serve many goroutines; Apply writes, so apply schedules to a
// Clone and swap it in.
type Calendar struct {
	Name     string
	Location *time.Location

	// Hours lists the working intervals of each weekday, earliest first. A
	// weekday that is absent or empty is a day off.
	Hours map[time.Weekday][]Interval

	// MakeupHours are the hours worked on a make-up workday. Empty means the
	// Monday schedule: 调休 days are "worked as a normal weekday", and Monday
	// is the weekday without Friday's occasional early close.
	MakeupHours []Interval

	// Holidays are dates without work even if their weekday has hours;
	// Workdays are make-up workdays worked with MakeupHours whatever their
	// weekday. The values are display names (元旦, 国庆节调休) and may be empty.
	Holidays map[Date]string
	Workdays map[Date]string

	// Years are the years whose official holiday schedule the calendar
	// holds (Apply adds a schedule's declared years). A year not listed has
	// only weekends as days off, which is wrong for any real year in
	// mainland China, so admins are warned before such a year starts.
	Years []int

	// AlwaysOpen makes the calendar 24x7: every instant is business time and
	// Hours, holidays and make-up days are ignored.
	AlwaysOpen bool
}

// NewCalendar returns a validated calendar with the given weekly hours and no
// holidays.
func NewCalendar(name string, loc *time.Location, hours map[time.Weekday][]Interval) (*Calendar, error) {
	c := &Calendar{
		Name:     name,
		Location: loc,
		Hours:    hours,
		Holidays: map[Date]string{},
		Workdays: map[Date]string{},
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c.Clone(), nil
}

// AlwaysOpenCalendar returns a 24x7 calendar.
func AlwaysOpenCalendar(name string, loc *time.Location) *Calendar {
	return &Calendar{Name: name, Location: loc, AlwaysOpen: true,
		Holidays: map[Date]string{}, Workdays: map[Date]string{}}
}

// Weekdays returns an Hours map with the same intervals Monday to Friday.
func Weekdays(ivs ...Interval) map[time.Weekday][]Interval {
	m := make(map[time.Weekday][]Interval, 5)
	for d := time.Monday; d <= time.Friday; d++ {
		m[d] = slices.Clone(ivs)
	}
	return m
}

// Clone returns a deep copy, so schedules can be applied without disturbing
// readers of the original.
func (c *Calendar) Clone() *Calendar {
	n := *c
	n.Hours = make(map[time.Weekday][]Interval, len(c.Hours))
	for d, ivs := range c.Hours {
		n.Hours[d] = slices.Clone(ivs)
	}
	n.MakeupHours = slices.Clone(c.MakeupHours)
	n.Years = slices.Clone(c.Years)
	n.Holidays = maps.Clone(c.Holidays)
	n.Workdays = maps.Clone(c.Workdays)
	if n.Holidays == nil {
		n.Holidays = map[Date]string{}
	}
	if n.Workdays == nil {
		n.Workdays = map[Date]string{}
	}
	return &n
}

// Validate reports the first problem with the calendar, naming it.
func (c *Calendar) Validate() error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("sla: calendar %q: %w", c.Name, err)
	}
	return nil
}

func (c *Calendar) validate() error {
	if c.Location == nil {
		return errors.New("no time zone (Location is nil)")
	}
	if c.AlwaysOpen {
		return nil
	}
	weekly := 0
	for d, ivs := range c.Hours {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("unknown weekday %d (want 0=Sunday..6=Saturday)", int(d))
		}
		if err := checkDay(ivs); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		weekly += len(ivs)
	}
	if weekly == 0 {
		return ErrNoWorkingTime
	}
	if err := checkDay(c.MakeupHours); err != nil {
		return fmt.Errorf("make-up hours: %w", err)
	}
	if len(c.Workdays) > 0 && len(c.makeupHours()) == 0 {
		return errors.New("make-up workdays are listed but MakeupHours is empty and Monday has no hours")
	}
	for _, d := range sortedDates(c.Holidays) {
		if !d.Valid() {
			return fmt.Errorf("holiday %v is not a real date", d)
		}
		if _, ok := c.Workdays[d]; ok {
			return fmt.Errorf("%s is both a holiday and a make-up workday", d)
		}
	}
	for _, d := range sortedDates(c.Workdays) {
		if !d.Valid() {
			return fmt.Errorf("make-up workday %v is not a real date", d)
		}
	}
	return nil
}

func (c *Calendar) makeupHours() []Interval {
	if len(c.MakeupHours) > 0 {
		return c.MakeupHours
	}
	return c.Hours[time.Monday]
}

// HoursOn returns the wall-clock working intervals of date d: none on a
// holiday, MakeupHours on a make-up workday, the weekday's hours otherwise.
// For a 24x7 calendar it returns 00:00-24:00.
func (c *Calendar) HoursOn(d Date) []Interval {
	switch {
	case c.AlwaysOpen:
		return []Interval{{0, Midnight24}}
	case hasDate(c.Holidays, d):
		return nil
	case hasDate(c.Workdays, d):
		return c.makeupHours()
	}
	return c.Hours[d.Weekday()]
}

// Covers reports whether the calendar knows year's holidays: a 24x7
// calendar needs none.
func (c *Calendar) Covers(year int) bool {
	return c.AlwaysOpen || slices.Contains(c.Years, year)
}

func hasDate(m map[Date]string, d Date) bool {
	_, ok := m[d]
	return ok
}

// sortedDates makes error messages and output deterministic despite map order.
func sortedDates(m map[Date]string) []Date {
	ds := slices.Collect(maps.Keys(m))
	slices.SortFunc(ds, Date.Compare)
	return ds
}
