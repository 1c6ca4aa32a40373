package sla

import (
	"errors"
	"fmt"
	"time"
)

// SearchLimitDays bounds every forward search (Add, NextOpen): about three
// years of calendar days. No real SLA target is that long, and the bound
// turns a calendar whose holidays swallow all working time into an error
// instead of an endless loop.
const SearchLimitDays = 3*366 + 1

// ErrSearchLimit is returned when the answer lies beyond SearchLimitDays.
var ErrSearchLimit = errors.New("no answer within the search limit (about 3 years)")

// span is one working interval of one date as instants, [from, to).
type span struct{ from, to time.Time }

func (c *Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC // keep methods panic-free on an unvalidated calendar
	}
	return c.Location
}

// spansOn converts the working intervals of d to instants in the calendar's
// zone, appending to buf. Conversion happens per date, so an interval
// containing a DST jump is as long as it really is (see Date.at for wall
// times the jump skips). Clamping each span to the previous end is a guard:
// should the zone data map an ambiguous wall time out of order, spans stay
// ordered and disjoint and no time is counted twice.
func (c *Calendar) spansOn(d Date, buf []span) []span {
	loc := c.loc()
	var prev time.Time
	for _, iv := range c.HoursOn(d) {
		from, to := d.at(iv.Start, loc), d.at(iv.End, loc)
		if from.Before(prev) {
			from = prev
		}
		if !to.After(from) {
			continue
		}
		buf = append(buf, span{from, to})
		prev = to
	}
	return buf
}

// Add returns the instant at which d of business time has elapsed after
// start. start may be inside or outside working hours; time before the next
// opening does not count. A deadline that uses up an interval exactly lands
// on that interval's end (18:00), not on the next opening.
//
// d == 0 returns start unchanged, even outside working hours: nothing is left
// to wait for. Negative d is an error. The result is in the calendar's zone.
// Add iterates per day and interval, never per minute, and gives up with
// ErrSearchLimit after SearchLimitDays.
func (c *Calendar) Add(start time.Time, d time.Duration) (time.Time, error) {
	switch {
	case d < 0:
		return time.Time{}, fmt.Errorf("sla: calendar %q: add %v: negative duration", c.Name, d)
	case d == 0:
		return start, nil
	}
	start = start.Round(0) // drop the monotonic reading: results depend on wall time only
	if c.AlwaysOpen {
		return start.Add(d).In(c.loc()), nil
	}
	left := d
	day := DateOf(start.In(c.loc()))
	var buf [8]span
	for range SearchLimitDays {
		for _, s := range c.spansOn(day, buf[:0]) {
			if !s.to.After(start) {
				continue
			}
			from := later(s.from, start)
			if avail := s.to.Sub(from); left > avail {
				left -= avail
				continue
			}
			return from.Add(left).In(c.loc()), nil
		}
		day = day.AddDays(1)
	}
	return time.Time{}, fmt.Errorf("sla: calendar %q: add %v to %s: %w", c.Name, d, start.Format(time.RFC3339), ErrSearchLimit)
}

// Between returns the business time in [a, b); 0 if b is not after a. Its
// cost is linear in the number of calendar days between a and b.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	a, b = a.Round(0), b.Round(0)
	if !b.After(a) {
		return 0
	}
	if c.AlwaysOpen {
		return b.Sub(a)
	}
	loc := c.loc()
	last := DateOf(b.In(loc))
	var total time.Duration
	var buf [8]span
	for day := DateOf(a.In(loc)); day.Compare(last) <= 0; day = day.AddDays(1) {
		for _, s := range c.spansOn(day, buf[:0]) {
			from, to := later(s.from, a), earlier(s.to, b)
			if to.After(from) {
				total += to.Sub(from)
			}
		}
	}
	return total
}

// IsOpen reports whether t is business time. Intervals are half-open: at
// 12:00 a 09:00-12:00 morning is already closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.AlwaysOpen {
		return true
	}
	var buf [8]span
	for _, s := range c.spansOn(DateOf(t.In(c.loc())), buf[:0]) {
		if !t.Before(s.from) && t.Before(s.to) {
			return true
		}
	}
	return false
}

// NextOpen returns t if it is business time, otherwise the next instant
// business time begins. Like Add it returns ErrSearchLimit rather than
// searching forever.
func (c *Calendar) NextOpen(t time.Time) (time.Time, error) {
	t = t.Round(0)
	if c.AlwaysOpen {
		return t, nil
	}
	day := DateOf(t.In(c.loc()))
	var buf [8]span
	for range SearchLimitDays {
		for _, s := range c.spansOn(day, buf[:0]) {
			if s.to.After(t) {
				return later(s.from, t), nil
			}
		}
		day = day.AddDays(1)
	}
	return time.Time{}, fmt.Errorf("sla: calendar %q: next opening after %s: %w", c.Name, t.Format(time.RFC3339), ErrSearchLimit)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
