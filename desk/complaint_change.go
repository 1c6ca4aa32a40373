package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// WithdrawComplaint turns a complaint back into an ordinary ticket ("not a
// complaint"): the row stays, withdrawn, with who and why; the category
// and tag go; a timeline entry and an audit entry record it. Supervisors
// and admins may, and the complaint's owner for one that no regulator
// referred.
func (s *Service) WithdrawComplaint(ctx context.Context, a Agent, ticketID, reason string) (Complaint, error) {
	if _, err := s.VisibleTicket(ctx, a, ticketID); err != nil {
		return Complaint{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxWithdrawReasonRunes || !ValidText(reason) {
		return Complaint{}, Errorf(CodeInvalid, "say why this is not a complaint (at most %d characters)", maxWithdrawReasonRunes).Say("complaints.err.reason")
	}
	var c Complaint
	var t Ticket
	var m Message
	actor := Actor{Agent: &a}
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if c, err = tx.Complaint(ctx, ticketID); err != nil {
			return notFoundAs(err, "ticket %s is no complaint", ticketID)
		}
		if c.Status == ComplaintWithdrawn {
			return Errorf(CodeConflict, "this complaint was withdrawn already").Say("complaints.err.withdrawn")
		}
		if !a.Role.AtLeast(RoleSupervisor) && (a.ID != c.OwnerID || c.Source == SourceRegulator) {
			return Errorf(CodeForbidden, "only a supervisor, or the owner of a complaint no regulator referred, may withdraw it").Say("complaints.err.withdraw_forbidden")
		}
		cur, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		f := TicketFields{}
		if cur.Category == CategoryComplaint {
			f.Category = new("")
		}
		tags := slices.DeleteFunc(slices.Clone(cur.Tags), func(tag string) bool { return tag == TagComplaint })
		tags = append(tags, TagComplaintDismissed)
		f.Tags = &tags
		if t, err = tx.SetTicketFields(ctx, ticketID, f, now); err != nil {
			return err
		}
		c.Status, c.WithdrawnAt, c.WithdrawnBy, c.WithdrawnReason, c.UpdatedAt = ComplaintWithdrawn, &now, a.ID, reason, now
		if err := tx.PutComplaint(ctx, c); err != nil {
			return err
		}
		e := SystemEvent{Action: "complaint_withdrawn", Args: map[string]string{"by": a.Name, "reason": reason}}
		m, err = s.recordEntry(ctx, tx, &t, actor, AuthorAgent, e, truncateRunes(e.complaintText(), systemEventText), now)
		return err
	})
	if err != nil {
		return Complaint{}, fmt.Errorf("desk: withdraw complaint %s: %w", ticketID, err)
	}
	s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Message: &m, Actor: actor})
	return maskComplaint(c), nil
}

// ComplaintUpdate changes a registered complaint; nil fields stay.
type ComplaintUpdate struct {
	Severity     *Severity
	Source       *ComplaintSource
	RegulatorRef *string
	Summary      *string
	Wants        *string
	// OwnerID names the agent who answers for it; the first owner accepts
	// the complaint (accepted_at).
	OwnerID *string
}

// UpdateComplaint changes severity, source, texts or owner of an active
// complaint of a ticket the agent may see, with a timeline and audit entry.
// Deadlines stay as filed.
func (s *Service) UpdateComplaint(ctx context.Context, a Agent, ticketID string, u ComplaintUpdate) (Complaint, error) {
	if _, err := s.VisibleTicket(ctx, a, ticketID); err != nil {
		return Complaint{}, err
	}
	var c Complaint
	var t Ticket
	var m Message
	var changed []string
	actor := Actor{Agent: &a}
	err := s.store.Tx(ctx, func(tx Tx) error {
		changed = changed[:0]
		var err error
		if c, err = tx.Complaint(ctx, ticketID); err != nil {
			return notFoundAs(err, "ticket %s is no complaint", ticketID)
		}
		if c.Status == ComplaintWithdrawn {
			return Errorf(CodeConflict, "this complaint was withdrawn").Say("complaints.err.withdrawn")
		}
		in := ComplaintInput{Source: c.Source, RegulatorRef: c.RegulatorRef, Severity: c.Severity, Summary: c.Summary, Wants: c.Wants}
		if c.RegulatorDue != nil {
			in.RegulatorDue = *c.RegulatorDue
		}
		set := func(name string, dst *string, v *string) {
			if v != nil && strings.TrimSpace(*v) != *dst {
				*dst = *v
				changed = append(changed, name)
			}
		}
		set("severity", (*string)(&in.Severity), (*string)(u.Severity))
		set("source", (*string)(&in.Source), (*string)(u.Source))
		set("regulator_ref", &in.RegulatorRef, u.RegulatorRef)
		set("summary", &in.Summary, u.Summary)
		set("wants", &in.Wants, u.Wants)
		if u.Source != nil && in.Source != SourceRegulator && u.RegulatorRef == nil {
			// No longer a referral: its reference and deadline go with it.
			in.RegulatorRef, in.RegulatorDue = "", time.Time{}
		}
		if err := in.normalize(); err != nil {
			return err
		}
		now := s.now().UTC()
		if u.OwnerID != nil && *u.OwnerID != c.OwnerID {
			if *u.OwnerID == "" {
				return Errorf(CodeInvalid, "owner_id: name the agent who answers for the complaint")
			}
			owner, err := complaintOwner(ctx, tx, actor, Ticket{}, *u.OwnerID)
			if err != nil {
				return err
			}
			c.OwnerID = owner
			if c.AcceptedAt == nil {
				c.AcceptedAt = &now
			}
			changed = append(changed, "owner")
		}
		if len(changed) == 0 {
			return nil
		}
		c.Severity, c.Source, c.RegulatorRef, c.Summary, c.Wants, c.UpdatedAt = in.Severity, in.Source, in.RegulatorRef, in.Summary, in.Wants, now
		if in.RegulatorDue.IsZero() {
			c.RegulatorDue = nil
		}
		if err := tx.PutComplaint(ctx, c); err != nil {
			return err
		}
		if t, err = tx.Ticket(ctx, ticketID); err != nil {
			return err
		}
		e := SystemEvent{Action: "complaint_changed", Args: map[string]string{"by": a.Name, "what": strings.Join(changed, ", ")}}
		m, err = s.recordEntry(ctx, tx, &t, actor, AuthorAgent, e, e.complaintText(), now)
		return err
	})
	if err != nil {
		return Complaint{}, fmt.Errorf("desk: update complaint %s: %w", ticketID, err)
	}
	if len(changed) > 0 {
		s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	}
	return maskComplaint(c), nil
}

// AcceptComplaint makes the agent the owner of a complaint nobody owns
// yet (one the bot filed): accepting it starts their responsibility.
func (s *Service) AcceptComplaint(ctx context.Context, a Agent, ticketID string) (Complaint, error) {
	c, err := s.Complaint(ctx, a, ticketID)
	if err != nil {
		return Complaint{}, err
	}
	if c.OwnerID != "" && c.OwnerID != a.ID {
		return Complaint{}, Errorf(CodeConflict, "this complaint has an owner already").Say("complaints.err.owned")
	}
	return s.UpdateComplaint(ctx, a, ticketID, ComplaintUpdate{OwnerID: &a.ID})
}

// DismissComplaintSuspicion is an agent's "not a complaint" on a ticket the
// detector flagged: the suspicion tag goes and the dismissed tag stays, so
// later messages of the ticket are not flagged again. Recorded like any tag
// change.
func (s *Service) DismissComplaintSuspicion(ctx context.Context, a Agent, ticketID string) (Ticket, error) {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return Ticket{}, err
	}
	if !slices.Contains(t.Tags, TagComplaintSuspected) {
		return Ticket{}, Errorf(CodeConflict, "this ticket is not flagged as a possible complaint").Say("complaints.err.not_suspected")
	}
	return s.ChangeTicket(ctx, a, ticketID, TicketChange{AddTags: []string{TagComplaintDismissed}, RemoveTags: []string{TagComplaintSuspected}})
}
