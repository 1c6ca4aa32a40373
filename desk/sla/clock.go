package sla

import (
	"fmt"
	"time"
)

// Clock is the state of one SLA target, such as "first response within 2h of
// business time". It is an immutable value: Pause, Resume and Recompute
// return the updated clock. It never reads the wall clock; every method takes
// the instant it reasons about, and it round-trips through JSON (durations as
// nanoseconds) so it can live in a SQL column.
//
// Business time is measured on a Calendar passed to each method rather than
// stored, because calendars are configuration: store the calendar's name
// next to the clock. Due is cached at Start and Resume so the deadline can be
// read (and mirrored to Redis) without a calendar; call Recompute after the
// calendar changes. The zero Clock reads as paused with no target; start
// clocks with StartClock.
type Clock struct {
	Target  time.Duration `json:"target"`  // business time allowed
	Started time.Time     `json:"started"` // when the clock was started
	// Spent is the business time used before Since (running) or before
	// PausedAt (paused).
	Spent time.Duration `json:"spent"`
	// Since is the start of the current running stretch; zero while paused.
	Since time.Time `json:"since,omitzero"`
	// PausedAt is when the clock was paused; zero while running.
	PausedAt time.Time `json:"paused_at,omitzero"`
	// Due is the deadline while running; zero while paused.
	Due time.Time `json:"due,omitzero"`
}

// StartClock starts a running clock for target at the instant at.
func StartClock(cal *Calendar, target time.Duration, at time.Time) (Clock, error) {
	if target < 0 {
		return Clock{}, fmt.Errorf("sla: start clock: negative target %v", target)
	}
	at = at.Round(0)
	c := Clock{Target: target, Started: at, Since: at}
	return c.Recompute(cal)
}

// Paused reports whether the clock is paused (ticket pending on the customer).
func (c Clock) Paused() bool { return c.Since.IsZero() }

// Pause stops the clock at the instant at, banking the business time used so
// far. Pausing a paused clock is a no-op: the first pause holds, so a repeated
// "pending" event cannot move the pause point. A pause before the running
// stretch began counts as a pause at its start.
func (c Clock) Pause(cal *Calendar, at time.Time) Clock {
	if c.Paused() {
		return c
	}
	at = later(at.Round(0), c.Since)
	c.Spent += cal.Between(c.Since, at)
	c.Since, c.PausedAt, c.Due = time.Time{}, at, time.Time{}
	return c
}

// Resume restarts a paused clock at the instant at (the customer replied)
// and computes the new deadline. Resuming a running clock is a no-op. A
// resume before the pause counts as a resume at the pause instant, so no
// business time is counted twice. If the target was already used up, the
// deadline is the resume instant: the clock is due at once.
func (c Clock) Resume(cal *Calendar, at time.Time) (Clock, error) {
	if !c.Paused() {
		return c, nil
	}
	c.Since, c.PausedAt = later(at.Round(0), c.PausedAt), time.Time{}
	return c.Recompute(cal)
}

// Recompute refreshes Due from the calendar, for after a calendar change. A
// paused clock is returned unchanged.
func (c Clock) Recompute(cal *Calendar) (Clock, error) {
	if c.Paused() {
		c.Due = time.Time{}
		return c, nil
	}
	due, err := cal.Add(c.Since, max(c.Target-c.Spent, 0))
	if err != nil {
		return c, fmt.Errorf("sla: clock deadline: %w", err)
	}
	c.Due = due
	return c, nil
}

// Deadline returns when the target runs out, and false while paused (a
// paused clock has no deadline).
func (c Clock) Deadline() (time.Time, bool) {
	if c.Paused() {
		return time.Time{}, false
	}
	return c.Due, true
}

// Elapsed returns the business time used up to now. While paused it stays at
// what was used before the pause.
func (c Clock) Elapsed(cal *Calendar, now time.Time) time.Duration {
	if c.Paused() {
		return c.Spent
	}
	return c.Spent + cal.Between(c.Since, now)
}

// Remaining returns the business time left at now; negative once the target
// is overrun, by how much it is overrun.
func (c Clock) Remaining(cal *Calendar, now time.Time) time.Duration {
	return c.Target - c.Elapsed(cal, now)
}

// Breached reports whether the target is used up at now; from the deadline
// instant on, it is.
func (c Clock) Breached(cal *Calendar, now time.Time) bool {
	return c.Remaining(cal, now) <= 0
}
