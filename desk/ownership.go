package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// First-contact ownership (首问负责制): the first agent who answers stays
// responsible. Once a transfer, another team or another agent worked the
// ticket (Handoff), the owner — or a supervisor, with a reason — must
// confirm that the customer was told the outcome before it is resolved, so
// nothing is closed behind the back of the person the customer knows.

// maxConfirmRunes bounds the note and the reason of a confirmation.
const maxConfirmRunes = 500

// NeedsConfirmation reports whether resolving t waits on the owner's
// confirmation that the customer was told the outcome.
func (t Ticket) NeedsConfirmation() bool {
	return t.OwnerID != "" && t.Handoff && t.ConfirmedBy == ""
}

// noteHandoff marks the change as a handoff when it moves a ticket that has
// an owner to another team or gives it to someone else. A new handoff
// withdraws an earlier confirmation: the outcome the customer was told may
// no longer hold.
func noteHandoff(cur Ticket, f *TicketFields) {
	if cur.OwnerID == "" {
		return
	}
	transfer := f.TeamID != nil
	reassign := f.AssigneeID != nil && *f.AssigneeID != "" && *f.AssigneeID != cur.OwnerID
	if !transfer && !reassign {
		return
	}
	if !cur.Handoff {
		yes := true
		f.Handoff = &yes
	}
	if cur.ConfirmedBy != "" {
		none := ""
		f.ConfirmedBy = &none
	}
}

// checkOutcomeConfirmed refuses to resolve or close a handed-off ticket
// whose owner has not confirmed yet, naming who must.
func checkOutcomeConfirmed(ctx context.Context, tx Tx, cur Ticket, f TicketFields) error {
	if f.Status == nil || (*f.Status != StatusResolved && *f.Status != StatusClosed) {
		return nil
	}
	next := cur
	if f.Handoff != nil {
		next.Handoff = *f.Handoff
	}
	if f.ConfirmedBy != nil {
		next.ConfirmedBy = *f.ConfirmedBy
	}
	if !next.NeedsConfirmation() {
		return nil
	}
	owner, err := tx.Agent(ctx, cur.OwnerID)
	if err != nil {
		return fmt.Errorf("owner of ticket %d: %w", cur.Number, err)
	}
	return Errorf(CodeConflict, "%s must confirm the customer was told the outcome before ticket %d is %s",
		agentLabel(owner), cur.Number, *f.Status).Say("err.confirm_first."+string(*f.Status),
		"owner", agentLabel(owner), "number", strconv.FormatInt(cur.Number, 10))
}

// agentLabel names an agent as customers and colleagues know them:
// "李娜 (HL123456)".
func agentLabel(a Agent) string {
	if a.EmployeeNo == "" {
		return a.Name
	}
	return a.Name + " (" + a.EmployeeNo + ")"
}

// ConfirmOutcome records that the customer was told the outcome: by the
// owner (note optional) or by a supervisor for the owner (reason
// required). It is a system entry on the timeline and an audit entry.
// Confirming again changes nothing.
func (s *Service) ConfirmOutcome(ctx context.Context, a Agent, id, note, reason string) (Ticket, error) {
	note, reason = strings.TrimSpace(note), strings.TrimSpace(reason)
	for _, v := range []string{note, reason} {
		if utf8.RuneCountInString(v) > maxConfirmRunes || !ValidText(v) {
			return Ticket{}, Errorf(CodeInvalid, "note and reason must be text of at most %d characters", maxConfirmRunes)
		}
	}
	if _, err := s.VisibleTicket(ctx, a, id); err != nil {
		return Ticket{}, err
	}
	var t Ticket
	changed := false
	err := s.store.Tx(ctx, func(tx Tx) error {
		changed = false
		cur, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if cur.Status == StatusClosed {
			return Errorf(CodeConflict, "ticket %d is closed", cur.Number).Say("err.ticket_closed", "number", strconv.FormatInt(cur.Number, 10))
		}
		if cur.OwnerID == "" {
			return Errorf(CodeConflict, "ticket %d has no owner yet; the first public reply makes one", cur.Number).Say("err.no_owner_yet",
				"number", strconv.FormatInt(cur.Number, 10))
		}
		owner, err := tx.Agent(ctx, cur.OwnerID)
		if err != nil {
			return fmt.Errorf("owner of ticket %d: %w", cur.Number, err)
		}
		switch {
		case a.ID == owner.ID:
		case !a.Role.AtLeast(RoleSupervisor):
			return Errorf(CodeForbidden, "only the owner, %s, or a supervisor may confirm the outcome of ticket %d", agentLabel(owner), cur.Number).Say(
				"err.confirm_not_owner", "owner", agentLabel(owner), "number", strconv.FormatInt(cur.Number, 10))
		case reason == "":
			return Errorf(CodeInvalid, "a supervisor confirming for %s must give a reason", agentLabel(owner)).Say("err.confirm_reason", "owner", agentLabel(owner))
		}
		if cur.ConfirmedBy != "" {
			t = cur
			return nil
		}
		now := s.now().UTC()
		if t, err = tx.SetTicketFields(ctx, id, TicketFields{ConfirmedBy: &a.ID}, now); err != nil {
			return err
		}
		e := SystemEvent{Action: "outcome_confirmed", Args: map[string]string{"by": a.Name, "for": owner.Name}}
		if a.ID != owner.ID {
			e.Args["reason"] = reason
		}
		if note != "" {
			e.Args["note"] = note
		}
		m := Message{ID: NewID(), TicketID: id, Direction: DirSystem, AuthorKind: AuthorAgent, AuthorID: a.ID,
			Channel: t.Channel, Text: e.text(), Event: &e, CreatedAt: now}
		if err := tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		t.LastSeq++
		changed = true
		return s.audit(ctx, tx, Actor{Agent: &a}, "ticket.outcome_confirmed", t.ID, m.Text)
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: confirm outcome of ticket %s: %w", id, err)
	}
	if changed {
		s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	}
	return t, nil
}

// ownershipText is the English form of ownership's system entries.
func ownershipText(e SystemEvent) string {
	a := e.Args
	switch e.Action {
	case "outcome_confirmed":
		s := fmt.Sprintf("%s confirmed the customer was told the outcome", a["by"])
		if a["reason"] != "" {
			s = fmt.Sprintf("%s confirmed for %s that the customer was told the outcome (reason: %s)", a["by"], a["for"], a["reason"])
		}
		if a["note"] != "" {
			s += ": " + a["note"]
		}
		return s
	case "returned_to_owner":
		return fmt.Sprintf("the customer wrote again; the ticket went back to its owner %s", a["owner"])
	case "owner_notified":
		return fmt.Sprintf("the customer wrote again while the owner %s is away; the ticket stays with the team and %s was notified", a["owner"], a["owner"])
	}
	return e.Action
}
