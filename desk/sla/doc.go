// Package sla holds business calendars and the deadline math SLA clocks run on.
//
// A Calendar says when a team works: a time zone, working intervals per
// weekday (breaks such as lunch are simply gaps between intervals), public
// holidays, and make-up workdays (调休: a weekend date that is worked). All
// arithmetic happens in the calendar's zone on wall-clock intervals that are
// converted to instants day by day, so a working day that contains a DST
// transition is as long as it really is.
//
// A Clock is the state of one SLA target (first response, resolution, ...):
// how much business time it has used, whether it is paused while the ticket
// waits on the customer, and its current deadline. It is a plain value that
// round-trips through JSON so the desk can store it in SQL and recompute it
// on every change.
//
// Nothing here reads the wall clock: every function takes the instant it
// should reason about, which keeps the math deterministic and testable.
//
// Guarding against endless searches: Validate rejects calendars without any
// weekly working time, and every search (Add, NextOpen) stops after
// SearchLimitDays calendar days and returns ErrSearchLimit, because a
// schedule can still declare so many holidays that no working time is left.
package sla

// Import the zone database so Asia/Shanghai resolves even on hosts without
// /usr/share/zoneinfo (minimal containers).
import _ "time/tzdata"
