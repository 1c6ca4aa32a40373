package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The default complaint deadlines come from the product's seeds: a
// complaint is accepted and passed to the team that answers for it at once
// (filing does both), gets a first response within 24 hours and is resolved
// within 5 working days. Both count working days only — weekends and public
// holidays do not count, make-up workdays (调休) do — so they run on a
// calendar of whole working days: 24 hours of it are one working day.
// They are an ordinary SLA policy, put in place once and editable on
// /admin/sla like any other.
const (
	ComplaintCalendarName = "complaint-workdays"
	ComplaintPolicyName   = "complaints"
	complaintDefaultsKey  = "sla-policy"

	DefaultComplaintFirstResponse = 24 * time.Hour
	DefaultComplaintResolution    = 5 * 24 * time.Hour
)

// DefaultComplaintCalendar is whole working days of mainland China.
func DefaultComplaintCalendar() SLACalendar {
	day := "00:00-24:00"
	return SLACalendar{Name: ComplaintCalendarName, Timezone: "Asia/Shanghai", Base: CalendarCNMainland,
		Hours: map[string]string{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}}
}

// DefaultComplaintPolicy matches category complaint; calendarID is the
// calendar's id or name. Its ladder warns the owner at three quarters of
// the first response, the owner and supervisors at its breach, the owner
// at 80 % of the resolution and the supervisors, raising the priority, at
// its breach.
func DefaultComplaintPolicy(calendarID string) SLAPolicy {
	return SLAPolicy{Name: ComplaintPolicyName, Category: CategoryComplaint, CalendarID: calendarID,
		FirstResponse: SLADuration(DefaultComplaintFirstResponse), Resolution: SLADuration(DefaultComplaintResolution),
		Ladder: []EscalationStep{
			{Target: TargetFirstResponse, Percent: 75, Notify: []string{"owner", "assignee"}},
			{Target: TargetFirstResponse, Percent: 100, Notify: []string{"owner", "supervisors"}},
			{Target: TargetResolution, Percent: 80, Notify: []string{"owner", "assignee"}},
			{Target: TargetResolution, Percent: 100, Notify: []string{"owner", "supervisors"}, RaisePriority: true},
		}}
}

// ensureComplaintDefaults puts the default calendar and policy in place
// the first time a complaint is filed, unless a policy for complaints
// exists already; afterwards never again, so an admin's deletion or change
// stands. Two nodes racing both find the names taken or the mark set.
func (s *Service) ensureComplaintDefaults(ctx context.Context) error {
	done, err := s.store.ComplaintDefaultDone(ctx, complaintDefaultsKey)
	if err != nil || done {
		return err
	}
	policies, err := s.store.SLAPolicies(ctx)
	if err != nil {
		return err
	}
	have := false
	position := 0
	for i, p := range policies {
		if p.Category == CategoryComplaint {
			have = true
		}
		// Before every other policy, so a catch-all one does not take
		// complaints first.
		if i == 0 || p.Position <= position {
			position = p.Position - 1
		}
	}
	system := SystemActor("complaints")
	if !have {
		cal, err := s.store.SLACalendarByName(ctx, ComplaintCalendarName)
		if errors.Is(err, ErrNotFound) {
			cal, err = s.PutSLACalendar(ctx, system, DefaultComplaintCalendar())
		}
		if err != nil {
			return fmt.Errorf("calendar %s: %w", ComplaintCalendarName, err)
		}
		p := DefaultComplaintPolicy(cal.ID)
		p.Position = position
		if _, err := s.PutSLAPolicy(ctx, system, p); err != nil && CodeOf(err) != CodeConflict {
			return fmt.Errorf("policy %s: %w", ComplaintPolicyName, err)
		}
	}
	return s.store.Tx(ctx, func(tx Tx) error {
		return tx.MarkComplaintDefault(ctx, complaintDefaultsKey, s.now().UTC())
	})
}

// complaintDeadlines sets c's deadlines from the SLA policy ticket t
// matches, counted on its calendar from the filing time, and never later
// than a regulator's own deadline. No policy: only the regulator's.
func (s *Service) complaintDeadlines(ctx context.Context, r Reader, t Ticket, c *Complaint) error {
	c.PolicyID, c.DeadlineFirstResponse, c.DeadlineResolution = "", nil, nil
	policies, err := r.SLAPolicies(ctx)
	if err != nil {
		return err
	}
	for _, p := range policies {
		if !p.Matches(t) {
			continue
		}
		cc, err := r.SLACalendar(ctx, p.CalendarID)
		if err != nil {
			return fmt.Errorf("calendar %s: %w", p.CalendarID, err)
		}
		cal, err := cc.Build()
		if err != nil {
			return fmt.Errorf("calendar %s: %w", cc.Name, err)
		}
		due := func(d SLADuration) (*time.Time, error) {
			if d <= 0 {
				return nil, nil
			}
			at, err := cal.Add(c.CreatedAt, time.Duration(d))
			if err != nil {
				return nil, fmt.Errorf("calendar %s: %w", cc.Name, err)
			}
			at = at.UTC()
			return &at, nil
		}
		c.PolicyID = p.ID
		if c.DeadlineFirstResponse, err = due(p.FirstResponse); err != nil {
			return err
		}
		if c.DeadlineResolution, err = due(p.Resolution); err != nil {
			return err
		}
		break
	}
	if rd := c.RegulatorDue; rd != nil {
		if c.DeadlineResolution == nil || rd.Before(*c.DeadlineResolution) {
			c.DeadlineResolution = rd
		}
		if c.DeadlineFirstResponse != nil && rd.Before(*c.DeadlineFirstResponse) {
			c.DeadlineFirstResponse = rd
		}
	}
	return nil
}
