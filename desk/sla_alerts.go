package desk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"huiliu/desk/sla"
)

// MaxSLAAlertScan bounds the active tickets under SLA one alert query
// evaluates (store ActiveSLAs); beyond it the views show the first ones by
// id. At-risk is a matter of the instant and business hours, so the clocks
// are evaluated here rather than in SQL.
const MaxSLAAlertScan = 5000

// SLAAlerts are the active tickets whose SLA needs attention now. A ticket
// with a breached unmet target (or an overdue promise) is under Breached
// only, even if another target is at risk: the worse state is the one to
// act on.
type SLAAlerts struct {
	AtRisk   []ActiveSLA
	Breached []ActiveSLA
}

// SLAAlerts evaluates the SLA of the open and pending tickets agent a may
// see at this instant.
func (s *Service) SLAAlerts(ctx context.Context, a Agent) (SLAAlerts, error) {
	now := s.now()
	rows, err := s.store.ActiveSLAs(ctx, VisibilityOf(a), now, MaxSLAAlertScan)
	if err != nil {
		return SLAAlerts{}, fmt.Errorf("desk: sla alerts of %s: %w", a.ID, err)
	}
	cals := map[string]*sla.Calendar{}
	var out SLAAlerts
	for _, r := range rows {
		breached, atRisk := r.FollowupOverdue, false
		if breached {
			r.Overdue = now.Sub(r.FollowupDue)
		}
		if r.PolicyID != "" {
			cal, ok := cals[r.CalendarID]
			if !ok {
				c, err := s.store.SLACalendar(ctx, r.CalendarID)
				if err != nil {
					return SLAAlerts{}, fmt.Errorf("desk: sla alerts: calendar of ticket %s: %w", r.TicketID, err)
				}
				if cal, err = c.Build(); err != nil {
					return SLAAlerts{}, fmt.Errorf("desk: sla alerts: calendar %s: %w", r.CalendarID, err)
				}
				cals[r.CalendarID] = cal
			}
			for _, sc := range r.Clocks {
				over, b, k := unmetClockState(sc, cal, now)
				breached, atRisk = breached || b, atRisk || k
				r.Overdue = max(r.Overdue, over)
			}
		}
		switch {
		case breached:
			out.Breached = append(out.Breached, r)
		case atRisk:
			out.AtRisk = append(out.AtRisk, r)
		}
	}
	// The most overdue first: that is the one to act on. Rows come in id
	// order, which the stable sort keeps among equals.
	slices.SortStableFunc(out.Breached, func(a, b ActiveSLA) int { return cmp.Compare(b.Overdue, a.Overdue) })
	return out, nil
}

// unmetClockState says whether a clock not yet met is overrun (and by how
// much business time) or has used
// at least atRiskPercent of its allowance — the rules of slaView's state
// and AtRisk, for clocks still running or paused.
func unmetClockState(sc SLAClock, cal *sla.Calendar, now time.Time) (overdue time.Duration, breached, atRisk bool) {
	if !sc.MetAt.IsZero() || sc.Clock.Target <= 0 {
		return 0, false, false
	}
	rem := sc.Clock.Remaining(cal, now)
	if rem <= 0 {
		return -rem, true, false
	}
	used := sc.Clock.Target - rem
	return 0, false, used*100 >= sc.Clock.Target*atRiskPercent
}

// Now is the service's clock, so a page judges promised follow-ups on the
// same instant the SLA views are evaluated at.
func (s *Service) Now() time.Time { return s.now() }
