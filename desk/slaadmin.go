package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of SLA configuration.
const (
	maxCalendarNameBytes = 100
	maxScheduleBytes     = 64 << 10
	maxFollowupNoteRunes = 500
)

// PutSLACalendar creates (ID empty) or replaces a business calendar after
// building it, so a bad zone, hours or schedule line is refused with what
// is wrong (schedule errors name their line), and marks every ticket's SLA
// for recomputation.
func (s *Service) PutSLACalendar(ctx context.Context, actor Actor, c SLACalendar) (SLACalendar, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return SLACalendar{}, err
	}
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > maxCalendarNameBytes || !ValidText(c.Name) {
		return SLACalendar{}, Errorf(CodeInvalid, "name: give the calendar a name of at most %d bytes", maxCalendarNameBytes)
	}
	if len(c.Schedule) > maxScheduleBytes {
		return SLACalendar{}, Errorf(CodeInvalid, "schedule: at most %d bytes", maxScheduleBytes)
	}
	if c.Hours == nil {
		c.Hours = map[string]string{}
	}
	if _, err := c.Build(); err != nil {
		return SLACalendar{}, err
	}
	now := s.now().UTC()
	err := s.store.Tx(ctx, func(tx Tx) error {
		if c.ID == "" {
			c.ID, c.CreatedAt = NewID(), now
		} else {
			old, err := tx.SLACalendar(ctx, c.ID)
			if err != nil {
				return notFoundAs(err, "calendar %s not found", c.ID)
			}
			c.CreatedAt = old.CreatedAt
		}
		if other, err := tx.SLACalendarByName(ctx, c.Name); err == nil && other.ID != c.ID {
			return Errorf(CodeConflict, "a calendar named %q exists", c.Name)
		} else if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		c.UpdatedAt = now
		if err := tx.PutSLACalendar(ctx, c); err != nil {
			return err
		}
		if err := tx.InvalidateTicketSLA(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "sla.calendar.put", c.ID, c.Name)
	})
	if err != nil {
		return SLACalendar{}, fmt.Errorf("desk: put sla calendar %q: %w", c.Name, err)
	}
	s.slaReconcileSoon()
	return c, nil
}

// PutSLAPolicy creates (ID empty) or replaces a policy. CalendarID may name
// the calendar instead of giving its id.
func (s *Service) PutSLAPolicy(ctx context.Context, actor Actor, p SLAPolicy) (SLAPolicy, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return SLAPolicy{}, err
	}
	if err := p.validate(); err != nil {
		return SLAPolicy{}, err
	}
	now := s.now().UTC()
	err := s.store.Tx(ctx, func(tx Tx) error {
		cal, err := tx.SLACalendar(ctx, p.CalendarID)
		if errors.Is(err, ErrNotFound) {
			cal, err = tx.SLACalendarByName(ctx, p.CalendarID)
		}
		if err != nil {
			return notFoundAs(err, "calendar_id: calendar %s not found", p.CalendarID)
		}
		p.CalendarID = cal.ID
		if p.TeamID != "" {
			if _, err := tx.Team(ctx, p.TeamID); err != nil {
				return notFoundAs(err, "team_id: team %s not found", p.TeamID)
			}
		}
		for i, st := range p.Ladder {
			if st.Team != "" {
				if _, err := tx.Team(ctx, st.Team); err != nil {
					return notFoundAs(err, "ladder step %d: team %s not found", i+1, st.Team)
				}
			}
		}
		if p.ID == "" {
			p.ID, p.CreatedAt = NewID(), now
		} else {
			old, err := tx.SLAPolicy(ctx, p.ID)
			if err != nil {
				return notFoundAs(err, "policy %s not found", p.ID)
			}
			p.CreatedAt = old.CreatedAt
		}
		p.UpdatedAt = now
		if err := tx.PutSLAPolicy(ctx, p); err != nil {
			if errors.Is(err, ErrConflict) {
				return Errorf(CodeConflict, "a policy named %q exists", p.Name)
			}
			return err
		}
		if err := tx.InvalidateTicketSLA(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "sla.policy.put", p.ID, p.Name)
	})
	if err != nil {
		return SLAPolicy{}, fmt.Errorf("desk: put sla policy %q: %w", p.Name, err)
	}
	s.slaReconcileSoon()
	return p, nil
}

// DeleteSLAPolicy removes a policy; its tickets fall to the next match.
func (s *Service) DeleteSLAPolicy(ctx context.Context, actor Actor, id string) error {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.DeleteSLAPolicy(ctx, id); err != nil {
			return notFoundAs(err, "policy %s not found", id)
		}
		if err := tx.InvalidateTicketSLA(ctx); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "sla.policy.delete", id, "")
	})
	if err != nil {
		return fmt.Errorf("desk: delete sla policy %s: %w", id, err)
	}
	s.slaReconcileSoon()
	return nil
}

// slaReconcileSoon lets this node's worker recompute what a configuration
// change made stale; other nodes do at their next reconcile.
func (s *Service) slaReconcileSoon() {
	if w := s.sla; w != nil {
		w.forgetPolicies()
		go func() {
			if err := w.Reconcile(context.Background()); err != nil {
				w.log.Warn("desk: sla reconcile", "err", err)
			}
		}()
	}
}

// AddFollowup records an agent's promise to get back to the customer by
// due: a deadline of its own, done by the next public reply or by hand.
func (s *Service) AddFollowup(ctx context.Context, a Agent, ticketID string, due time.Time, note string) (Followup, error) {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return Followup{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxFollowupNoteRunes || !ValidText(note) {
		return Followup{}, Errorf(CodeInvalid, "note: at most %d characters of text", maxFollowupNoteRunes)
	}
	now := s.now().UTC()
	if due.IsZero() || !due.After(now) {
		return Followup{}, Errorf(CodeInvalid, "due_at: must be a time in the future")
	}
	if t.Status == StatusClosed {
		return Followup{}, Errorf(CodeConflict, "ticket %d is closed", t.Number)
	}
	f := Followup{ID: NewID(), TicketID: t.ID, DueAt: due.UTC().Truncate(time.Millisecond), Note: note, CreatedBy: a.ID, CreatedAt: now}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertFollowup(ctx, f); err != nil {
			return err
		}
		ev := SystemEvent{Action: "followup_set", Args: map[string]string{"by": a.Name, "due": f.DueAt.Format(time.RFC3339), "note": note}}
		m := Message{ID: NewID(), TicketID: t.ID, Direction: DirSystem, AuthorKind: AuthorAgent, AuthorID: a.ID,
			Channel: t.Channel, Text: slaEventText(ev), Event: &ev, CreatedAt: now}
		if err := tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, Actor{Agent: &a}, "ticket.followup_set", t.ID, m.Text)
	})
	if err != nil {
		return Followup{}, fmt.Errorf("desk: follow-up on ticket %s: %w", ticketID, err)
	}
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: Actor{Agent: &a}})
	return f, nil
}

// FinishFollowup marks a promise kept (or withdrawn) by hand.
func (s *Service) FinishFollowup(ctx context.Context, a Agent, ticketID, id string) error {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return err
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		fs, err := tx.Followups(ctx, ticketID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.ID == id {
				if err := tx.FinishFollowup(ctx, id, s.now().UTC(), a.ID); err != nil {
					return notFoundAs(err, "follow-up %s is already done", id)
				}
				return s.audit(ctx, tx, Actor{Agent: &a}, "ticket.followup_done", ticketID, id)
			}
		}
		return Errorf(CodeNotFound, "follow-up %s not found on this ticket", id)
	})
	if err != nil {
		return fmt.Errorf("desk: finish follow-up %s: %w", id, err)
	}
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: Actor{Agent: &a}})
	return nil
}
