package desk

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/channels"
	"huiliu/desk/pii"
)

// LineManual is the line of calls agents log by hand.
const LineManual = "manual"

// LoggedCall is a call an agent records by hand, for desks whose phones
// are not connected.
type LoggedCall struct {
	Number      string        `json:"number"`
	Direction   string        `json:"direction"` // in or out
	Talk        time.Duration `json:"-"`
	Reached     bool          `json:"reached"` // the call was answered
	Notes       string        `json:"notes"`
	Disposition string        `json:"disposition"`
}

var loggedNumber = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{2,30}$`)

// LogCall records a call on a ticket the agent may see: a call record of
// the line "manual" and an internal timeline entry of kind call (never
// sent to the customer). A reached call of ours keeps open callbacks.
func (s *Service) LogCall(ctx context.Context, a Agent, ticketID string, l LoggedCall) (CallRecord, error) {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return CallRecord{}, err
	}
	l.Number, l.Notes, l.Disposition = strings.TrimSpace(l.Number), strings.TrimSpace(l.Notes), strings.TrimSpace(l.Disposition)
	switch {
	case !loggedNumber.MatchString(l.Number):
		return CallRecord{}, Errorf(CodeInvalid, "number: digits, spaces, ( ) and -, optionally after +")
	case l.Direction != "in" && l.Direction != "out":
		return CallRecord{}, Errorf(CodeInvalid, "direction must be in or out")
	case l.Talk < 0 || l.Talk > 24*time.Hour:
		return CallRecord{}, Errorf(CodeInvalid, "duration must be between 0 and a day")
	case utf8.RuneCountInString(l.Notes) > maxCallNotesRunes || !ValidText(l.Notes):
		return CallRecord{}, Errorf(CodeInvalid, "notes: at most %d characters of text", maxCallNotesRunes)
	case len(l.Disposition) > maxCallShortBytes || !ValidText(l.Disposition):
		return CallRecord{}, Errorf(CodeInvalid, "disposition: at most %d bytes of text", maxCallShortBytes)
	}
	if t.Status == StatusClosed {
		return CallRecord{}, Errorf(CodeConflict, "ticket %d is closed", t.Number)
	}
	now := s.now().UTC()
	r := CallRecord{ID: NewID(), Line: LineManual, CallID: NewID(), TicketID: t.ID, MessageID: NewID(), ContactID: t.ContactID,
		Direction: l.Direction, Customer: l.Number, AgentID: a.ID, State: channels.CallMissed, EndedAt: now,
		Disposition: l.Disposition, Notes: l.Notes, Source: "manual", CreatedAt: now, UpdatedAt: now}
	if l.Reached {
		r.State, r.AnsweredAt, r.StartedAt, r.Talk = channels.CallEnded, now.Add(-l.Talk), now.Add(-l.Talk), l.Talk
	}
	if l.Direction == "in" && !l.Reached {
		r.State = channels.CallMissed
	}
	var merged CallRecord
	var changed bool
	err = s.store.Tx(ctx, func(tx Tx) error {
		ptx, ok := tx.(PhoneWriter)
		if !ok {
			return fmt.Errorf("the store keeps no calls")
		}
		ev := callEvent(r, a.Name)
		m := Message{ID: r.MessageID, TicketID: t.ID, Direction: DirNote, AuthorKind: AuthorAgent, AuthorID: a.ID,
			Channel: t.Channel, Kind: MessageKindCall, Text: callText(r), Event: &ev, CreatedAt: now}
		if err := tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		var err error
		if merged, err = ptx.MergeCall(ctx, r); err != nil {
			return err
		}
		tt, err := tx.Ticket(ctx, t.ID)
		if err != nil {
			return err
		}
		if changed, err = s.callFollowups(ctx, tx, ptx, &tt, &merged, now); err != nil {
			return err
		}
		// The record's id is known only now; the entry links to it.
		if err := s.writeCallEntry(ctx, tx, merged); err != nil {
			return err
		}
		return s.audit(ctx, tx, AgentActor(a), "ticket.call_logged", t.ID, merged.ID)
	})
	if err != nil {
		return CallRecord{}, fmt.Errorf("desk: log a call on ticket %s: %w", ticketID, err)
	}
	if m, err := s.store.Message(ctx, merged.MessageID); err == nil {
		s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	}
	if changed {
		s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: AgentActor(a)})
	}
	return maskCall(merged), nil
}

// WrapUpCall stores an agent's notes and disposition after a call on a
// ticket they may see; the call's timeline entry shows them.
func (s *Service) WrapUpCall(ctx context.Context, a Agent, callID, notes, disposition string) (CallRecord, error) {
	ps, err := s.phoneStore()
	if err != nil {
		return CallRecord{}, err
	}
	rec, err := ps.CallByID(ctx, callID)
	if err != nil {
		return CallRecord{}, notFoundAs(err, "call not found")
	}
	t, err := s.VisibleTicket(ctx, a, rec.TicketID)
	if err != nil {
		return CallRecord{}, Errorf(CodeNotFound, "call not found")
	}
	notes, disposition = strings.TrimSpace(notes), strings.TrimSpace(disposition)
	if utf8.RuneCountInString(notes) > maxCallNotesRunes || !ValidText(notes) {
		return CallRecord{}, Errorf(CodeInvalid, "notes: at most %d characters of text", maxCallNotesRunes)
	}
	if len(disposition) > maxCallShortBytes || !ValidText(disposition) {
		return CallRecord{}, Errorf(CodeInvalid, "disposition: at most %d bytes of text", maxCallShortBytes)
	}
	now := s.now().UTC()
	err = s.store.Tx(ctx, func(tx Tx) error {
		ptx, ok := tx.(PhoneWriter)
		if !ok {
			return fmt.Errorf("the store keeps no calls")
		}
		if err := ptx.SetCallWrapUp(ctx, callID, notes, disposition, now); err != nil {
			return err
		}
		if rec, err = ptx.CallByID(ctx, callID); err != nil {
			return err
		}
		if err := s.writeCallEntry(ctx, tx, rec); err != nil {
			return err
		}
		return s.audit(ctx, tx, AgentActor(a), "ticket.call_wrap_up", t.ID, callID)
	})
	if err != nil {
		return CallRecord{}, fmt.Errorf("desk: wrap-up of call %s: %w", callID, err)
	}
	if m, err := s.store.Message(ctx, rec.MessageID); err == nil {
		s.publish(ctx, messageEvent(EventMessageUpdated, t, m))
	}
	return maskCall(rec), nil
}

// maskCall is a call record as agents get it: numbers and notes masked
// like every other personal datum on the way out.
func maskCall(r CallRecord) CallRecord {
	r.Customer, r.Ours, r.Notes = pii.Mask(r.Customer), pii.Mask(r.Ours), pii.Mask(r.Notes)
	r.RecordingURL = ""
	return r
}
