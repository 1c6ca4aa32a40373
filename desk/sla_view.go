package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SLA states of a target.
const (
	SLARunning  = "running"
	SLAPaused   = "paused"
	SLAMet      = "met"
	SLABreached = "breached"
)

// SLAView is a ticket's SLA as the desk shows it at one instant.
type SLAView struct {
	TicketID   string          `json:"ticket_id"`
	PolicyID   string          `json:"policy_id"`
	PolicyName string          `json:"policy_name"`
	CalendarID string          `json:"calendar_id"`
	Targets    []SLATargetView `json:"targets"`
	Followups  []Followup      `json:"followups"`
	// NextEscalationAt is the next escalation step's instant, if any.
	NextEscalationAt *time.Time `json:"next_escalation_at,omitempty"`
}

// SLATargetView is one target: its business-time allowance, deadline while
// running, business time left (negative once overrun) and state. AtRisk is
// set when at least 80 % is used and it is not met or breached.
type SLATargetView struct {
	Target    string      `json:"target"`
	Cycle     int         `json:"cycle"`
	Allowed   SLADuration `json:"allowed"`
	DueAt     *time.Time  `json:"due_at,omitempty"`
	Remaining SLADuration `json:"remaining"`
	State     string      `json:"state"`
	AtRisk    bool        `json:"at_risk"`
	MetAt     *time.Time  `json:"met_at,omitempty"`
}

// TicketSLA returns the SLA of a ticket the agent may see, from its stored
// row, evaluated at now.
func (s *Service) TicketSLA(ctx context.Context, a Agent, id string) (SLAView, error) {
	if _, err := s.VisibleTicket(ctx, a, id); err != nil {
		return SLAView{}, err
	}
	v, err := s.slaView(ctx, id, s.now())
	if err != nil {
		return SLAView{}, fmt.Errorf("desk: sla of ticket %s: %w", id, err)
	}
	return v, nil
}

func (s *Service) slaView(ctx context.Context, id string, now time.Time) (SLAView, error) {
	v := SLAView{TicketID: id, Targets: []SLATargetView{}}
	fs, err := s.store.Followups(ctx, id)
	if err != nil {
		return v, err
	}
	v.Followups = fs
	row, err := s.store.TicketSLA(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return v, nil // not computed yet
	}
	if err != nil {
		return v, err
	}
	if !row.NextAt.IsZero() {
		v.NextEscalationAt = &row.NextAt
	}
	if row.PolicyID == "" {
		return v, nil
	}
	v.PolicyID, v.CalendarID = row.PolicyID, row.CalendarID
	if p, err := s.store.SLAPolicy(ctx, row.PolicyID); err == nil {
		v.PolicyName = p.Name
	}
	c, err := s.store.SLACalendar(ctx, row.CalendarID)
	if err != nil {
		return v, err
	}
	cal, err := c.Build()
	if err != nil {
		return v, err
	}
	for _, sc := range row.Clocks {
		tv := SLATargetView{Target: sc.Target, Cycle: sc.Cycle, Allowed: SLADuration(sc.Clock.Target)}
		rem := sc.Clock.Remaining(cal, now)
		// Whole seconds: a countdown has no use for nanoseconds.
		tv.Remaining = SLADuration(rem.Round(time.Second))
		switch {
		case !sc.MetAt.IsZero():
			tv.State, tv.MetAt = SLAMet, &sc.MetAt
			if rem < 0 {
				tv.State = SLABreached
			}
		case rem <= 0:
			tv.State = SLABreached
		case sc.Clock.Paused():
			tv.State = SLAPaused
		default:
			tv.State = SLARunning
		}
		if due, ok := sc.Clock.Deadline(); ok && sc.MetAt.IsZero() {
			tv.DueAt = &due
		}
		used := sc.Clock.Target - rem
		tv.AtRisk = (tv.State == SLARunning || tv.State == SLAPaused) && used*100 >= sc.Clock.Target*atRiskPercent
		v.Targets = append(v.Targets, tv)
	}
	return v, nil
}
