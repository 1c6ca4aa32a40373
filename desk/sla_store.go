package desk

import (
	"context"
	"time"
)

// SLAReader holds the queries of SLA policies, ticket deadlines and
// escalations.
type SLAReader interface {
	SLACalendars(ctx context.Context) ([]SLACalendar, error)
	SLACalendar(ctx context.Context, id string) (SLACalendar, error)
	SLACalendarByName(ctx context.Context, name string) (SLACalendar, error)
	// SLAPolicies lists policies in the order they are tried.
	SLAPolicies(ctx context.Context) ([]SLAPolicy, error)
	SLAPolicy(ctx context.Context, id string) (SLAPolicy, error)
	TicketSLA(ctx context.Context, ticketID string) (TicketSLA, error)
	// Followups lists a ticket's promised follow-ups, oldest first.
	Followups(ctx context.Context, ticketID string) ([]Followup, error)
	// Escalations lists the steps already taken on a ticket.
	Escalations(ctx context.Context, ticketID string) ([]EscalationKey, error)
	// StaleSLATickets lists tickets whose SLA row is missing (not closed)
	// or older than the ticket: work a lost recompute left behind.
	StaleSLATickets(ctx context.Context, limit int) ([]string, error)
	// SLATimers pages (ticket id order, after after) through tickets with a
	// next escalation instant, to rebuild the timer set.
	SLATimers(ctx context.Context, after string, limit int) ([]SLATimer, error)
	// DueSLATickets lists tickets whose next instant is at or before t.
	DueSLATickets(ctx context.Context, t time.Time, limit int) ([]string, error)
	// SLADues maps the given tickets to their next running SLA deadline
	// (TicketSLA.NextDue as stored); tickets without one are absent.
	SLADues(ctx context.Context, ticketIDs []string) (map[string]time.Time, error)
	// CountSLATimers counts tickets with a next instant.
	CountSLATimers(ctx context.Context) (int64, error)
	// ActiveSLAs lists, in ticket id order and at most limit, the SLA rows
	// of open and pending tickets vis lets see (nil: all) that have a
	// policy or an open follow-up overdue at now.
	ActiveSLAs(ctx context.Context, vis *Visibility, now time.Time, limit int) ([]ActiveSLA, error)
}

// ActiveSLA is an active ticket's stored SLA with what the at-risk and
// breached views need besides: its team and an overdue promise.
type ActiveSLA struct {
	TicketSLA
	TeamID          string
	FollowupOverdue bool
	// FollowupDue is when the earliest overdue promise fell due.
	FollowupDue time.Time
	// Overdue is how far past its deadline the ticket is: the largest
	// business-time overrun of its clocks or wall-clock time past a
	// promise; SLAAlerts fills it for breached tickets.
	Overdue time.Duration
}

// SLAWriter holds their writes.
type SLAWriter interface {
	// PutSLACalendar inserts or replaces a calendar by id.
	PutSLACalendar(ctx context.Context, c SLACalendar) error
	// PutSLAPolicy inserts or replaces a policy by id.
	PutSLAPolicy(ctx context.Context, p SLAPolicy) error
	DeleteSLAPolicy(ctx context.Context, id string) error
	// PutTicketSLA inserts or replaces a ticket's computed SLA.
	PutTicketSLA(ctx context.Context, ts TicketSLA) error
	// InvalidateTicketSLA marks every ticket's SLA stale (policies or
	// calendars changed), so the reconcile recomputes them.
	InvalidateTicketSLA(ctx context.Context) error
	InsertFollowup(ctx context.Context, f Followup) error
	// FinishFollowup marks an open follow-up done; ErrNotFound if it is not
	// open.
	FinishFollowup(ctx context.Context, id string, at time.Time, by string) error
	// ClaimEscalation records a step as taken and reports whether this call
	// recorded it (false: already taken, by this or another node).
	ClaimEscalation(ctx context.Context, k EscalationKey, at time.Time) (bool, error)
}

// SLATimer is a ticket's next escalation instant as stored.
type SLATimer struct {
	TicketID string
	At       time.Time
}

// EscalationKey names one step taken: per ticket, target, step index and
// clock cycle (next response starts a new cycle on every unanswered
// customer message).
type EscalationKey struct {
	TicketID string `json:"ticket_id"`
	Target   string `json:"target"`
	Step     int    `json:"step"`
	Cycle    int    `json:"cycle"`
}
