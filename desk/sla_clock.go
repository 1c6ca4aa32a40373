package desk

import (
	"fmt"
	"time"

	"huiliu/desk/sla"
)

// TicketSLA is a ticket's SLA as last computed from SQL: the clocks of its
// policy's targets and the next instant an escalation step or a promised
// follow-up falls due. A ticket no policy matches has a row with PolicyID
// empty, so the reconcile knows it was looked at.
type TicketSLA struct {
	TicketID   string     `json:"ticket_id"`
	PolicyID   string     `json:"policy_id"`
	CalendarID string     `json:"calendar_id"`
	Clocks     []SLAClock `json:"clocks"`
	NextAt     time.Time  `json:"next_at,omitzero"`
	// TicketUpdatedAt is the ticket version the row was computed from.
	TicketUpdatedAt time.Time `json:"ticket_updated_at"`
	ComputedAt      time.Time `json:"computed_at"`
}

// NextDue is the earliest deadline of a clock still running (not met, not
// paused); zero when none runs. The inbox sorts and shows by it.
func (ts TicketSLA) NextDue() time.Time {
	var due time.Time
	for _, c := range ts.Clocks {
		if !c.MetAt.IsZero() || c.Clock.Paused() || c.Clock.Due.IsZero() {
			continue
		}
		if due.IsZero() || c.Clock.Due.Before(due) {
			due = c.Clock.Due
		}
	}
	return due
}

// SLAClock is one target's clock. Cycle counts next-response clocks (each
// unanswered customer message after an answer starts a new one); MetAt is
// set once the target was met, after which the clock stays paused.
type SLAClock struct {
	Target string    `json:"target"`
	Cycle  int       `json:"cycle"`
	Clock  sla.Clock `json:"clock"`
	MetAt  time.Time `json:"met_at,omitzero"`
}

// Followup is a promise an agent made ("I will call back by 15:00"): a
// wall-clock deadline of its own, never paused, done by the next public
// reply or by hand.
type Followup struct {
	ID        string    `json:"id"`
	TicketID  string    `json:"ticket_id"`
	DueAt     time.Time `json:"due_at"`
	Note      string    `json:"note"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	DoneAt    time.Time `json:"done_at,omitempty,omitzero"`
	DoneBy    string    `json:"done_by,omitempty"`
	// Kind is FollowupCallback for a missed call's callback (its SLA
	// target is "callback"); empty for an agent's promise.
	Kind string `json:"kind,omitempty"`
}

// replaySLA computes the clocks of policy p on ticket t from its timeline
// (oldest first). It is a pure replay of what SQL holds, so recomputing
// after any change, a crash or a lost job gives the same answer:
//
//   - first response and resolution start at creation; first response is
//     met by the first public agent reply, resolution by resolved/closed
//     (a reopen resumes it);
//   - after the first response, a customer message with none unanswered
//     before it starts a new next-response cycle, met by the next reply;
//   - every clock pauses while the ticket is pending and resumes when it is
//     open again (a customer message reopens a pending ticket).
func replaySLA(p SLAPolicy, cal *sla.Calendar, t Ticket, msgs []Message) ([]SLAClock, error) {
	var clocks []SLAClock
	idx := map[string]int{}
	start := func(target string, cycle int, at time.Time) error {
		d := p.target(target)
		if d <= 0 {
			return nil
		}
		c, err := sla.StartClock(cal, d, at)
		if err != nil {
			return fmt.Errorf("start %s: %w", target, err)
		}
		sc := SLAClock{Target: target, Cycle: cycle, Clock: c}
		if i, ok := idx[target]; ok {
			clocks[i] = sc
		} else {
			idx[target] = len(clocks)
			clocks = append(clocks, sc)
		}
		return nil
	}
	get := func(target string) *SLAClock {
		if i, ok := idx[target]; ok {
			return &clocks[i]
		}
		return nil
	}
	status := initialStatus(t, msgs)
	if err := start(TargetFirstResponse, 0, t.CreatedAt); err != nil {
		return nil, err
	}
	if err := start(TargetResolution, 0, t.CreatedAt); err != nil {
		return nil, err
	}
	stopped := func(s Status) bool {
		return s == StatusPending || s == StatusResolved || s == StatusClosed
	}
	if stopped(status) {
		for i := range clocks {
			clocks[i].Clock = clocks[i].Clock.Pause(cal, t.CreatedAt)
		}
	}
	met := func(c *SLAClock, at time.Time) {
		if c != nil && c.MetAt.IsZero() {
			c.Clock = c.Clock.Pause(cal, at)
			c.MetAt = at
		}
	}
	setStatus := func(to Status, at time.Time) error {
		from := status
		status = to
		if to == StatusResolved || to == StatusClosed {
			met(get(TargetResolution), at)
		}
		switch {
		case stopped(to) && !stopped(from):
			for i := range clocks {
				clocks[i].Clock = clocks[i].Clock.Pause(cal, at)
			}
		case !stopped(to) && stopped(from):
			if r := get(TargetResolution); r != nil && (from == StatusResolved || from == StatusClosed) {
				r.MetAt = time.Time{}
			}
			for i := range clocks {
				if clocks[i].MetAt.IsZero() {
					c, err := clocks[i].Clock.Resume(cal, at)
					if err != nil {
						return fmt.Errorf("resume %s: %w", clocks[i].Target, err)
					}
					clocks[i].Clock = c
				}
			}
		}
		return nil
	}
	cycle := 0
	for _, m := range msgs {
		at := m.CreatedAt
		switch {
		case m.Direction == DirOut && m.AuthorKind == AuthorAgent:
			fr := get(TargetFirstResponse)
			met(fr, at)
			if nr := get(TargetNextResponse); nr != nil {
				met(nr, at)
			}
		case m.Direction == DirIn && !callPlacedByUs(m):
			if status == StatusPending || status == StatusResolved {
				if err := setStatus(StatusOpen, at); err != nil {
					return nil, err
				}
			}
			fr := get(TargetFirstResponse)
			answeredFirst := fr == nil || !fr.MetAt.IsZero()
			nr := get(TargetNextResponse)
			if answeredFirst && (nr == nil || !nr.MetAt.IsZero()) && p.NextResponse > 0 {
				cycle++
				if err := start(TargetNextResponse, cycle, at); err != nil {
					return nil, err
				}
				if stopped(status) {
					c := get(TargetNextResponse)
					c.Clock = c.Clock.Pause(cal, at)
				}
			}
		case m.Direction == DirSystem && m.Event != nil && m.Event.Action == "status":
			to := Status(m.Event.Args["status"])
			if to.Valid() && to != status {
				if err := setStatus(to, at); err != nil {
					return nil, err
				}
			}
		}
	}
	return clocks, nil
}

// callPlacedByUs: the entry of a call the desk placed arrives through
// Ingest like the customer's messages, but nobody is waiting for our
// answer to it, so it starts no response clock.
func callPlacedByUs(m Message) bool {
	return m.Kind == MessageKindCall && m.Event != nil && m.Event.Args["direction"] == "out"
}

// initialStatus is the status the ticket had before its first recorded
// status change, or its current status if there was none.
func initialStatus(t Ticket, msgs []Message) Status {
	for _, m := range msgs {
		if m.Direction == DirSystem && m.Event != nil && m.Event.Action == "status" {
			if from := Status(m.Event.Args["from"]); from.Valid() {
				return from
			}
		}
	}
	if t.Status == StatusPending || t.Status == StatusResolved || t.Status == StatusClosed {
		// Changed without a timeline entry (a reopen by the customer is
		// replayed from the message itself): count from open.
		return StatusOpen
	}
	return t.Status
}

// slaStep is an escalation step that has not been taken yet, with the
// instant it falls due.
type slaStep struct {
	key  EscalationKey
	at   time.Time
	step EscalationStep // zero for a follow-up
	f    *Followup
}

// pendingSteps lists the steps of running clocks and open follow-ups that
// have not been taken, with their instants. A paused or met clock has none:
// its steps are computed again when it runs.
func pendingSteps(p SLAPolicy, cal *sla.Calendar, ticketID string, clocks []SLAClock, fs []Followup, taken map[EscalationKey]bool) ([]slaStep, error) {
	var out []slaStep
	for _, c := range clocks {
		if !c.MetAt.IsZero() || c.Clock.Paused() {
			continue
		}
		for i, st := range p.Ladder {
			if st.Target != c.Target {
				continue
			}
			k := EscalationKey{TicketID: ticketID, Target: c.Target, Step: i, Cycle: c.Cycle}
			if taken[k] {
				continue
			}
			var at time.Time
			if st.AfterBreach > 0 {
				at = c.Clock.Due.Add(time.Duration(st.AfterBreach))
			} else {
				share := c.Clock.Target * time.Duration(st.Percent) / 100
				var err error
				if at, err = cal.Add(c.Clock.Since, max(share-c.Clock.Spent, 0)); err != nil {
					return nil, fmt.Errorf("step %d of %s: %w", i+1, c.Target, err)
				}
			}
			out = append(out, slaStep{key: k, at: at, step: st})
		}
	}
	for i := range fs {
		f := &fs[i]
		target := TargetFollowup
		if f.Kind == FollowupCallback {
			target = TargetCallback
		}
		k := EscalationKey{TicketID: ticketID, Target: target + ":" + f.ID}
		if f.DoneAt.IsZero() && !taken[k] {
			out = append(out, slaStep{key: k, at: f.DueAt, f: f})
		}
	}
	return out, nil
}
