package desk

import (
	"context"
	"errors"
)

// PresenceReader tells whether an agent is at the desk (PresenceOnline,
// PresenceAway or PresenceOffline); queue.Presence implements it.
type PresenceReader interface {
	State(ctx context.Context, agent string) (string, error)
}

// errOwnerTaken rolls back a return to the owner that lost to a concurrent
// assignment, so no seq is spent on it.
var errOwnerTaken = errors.New("ticket was assigned meanwhile")

// returnToOwner runs after a customer message committed on a ticket that
// has an owner and nobody working it: the ticket goes back to the owner
// when they are at the desk (online or away), else it stays with its team
// and, when the message brought the ticket back, the owner gets a system
// entry (its event reaches their desk). The message is stored already, so
// a failure here is logged, not returned.
func (s *Service) returnToOwner(ctx context.Context, t Ticket, reopened bool) {
	present := false
	if s.presence != nil {
		state, err := s.presence.State(ctx, t.OwnerID)
		if err != nil {
			s.log.Warn("desk: owner presence", "ticket", t.ID, "owner", t.OwnerID, "err", err)
		}
		present = state == PresenceOnline || state == PresenceAway
	}
	if !present && !reopened {
		return
	}
	owner, err := s.store.Agent(ctx, t.OwnerID)
	if err != nil {
		s.log.Error("desk: owner of returning customer's ticket", "ticket", t.ID, "err", err)
		return
	}
	if !owner.Active {
		return // a deactivated owner is nobody to route to or to tell
	}
	e := SystemEvent{Action: "owner_notified", Args: map[string]string{"owner": owner.Name}}
	touch := TicketTouch{At: s.now().UTC()}
	if present {
		e.Action = "returned_to_owner"
		touch.ClaimFor = owner.ID // the assignee only where still empty
	}
	var m Message
	err = s.store.Tx(ctx, func(tx Tx) error {
		// The ticket row first: it hands out the entry's Seq.
		t2, err := tx.TouchTicket(ctx, t.ID, touch)
		if err != nil {
			return err
		}
		if present && t2.AssigneeID != owner.ID {
			return errOwnerTaken
		}
		t = t2
		m = Message{ID: NewID(), TicketID: t.ID, Seq: t.LastSeq, Direction: DirSystem, AuthorKind: AuthorSystem,
			Channel: t.Channel, Text: e.text(), Event: &e, CreatedAt: touch.At}
		if err := tx.InsertMessage(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, Actor{}, "ticket."+e.Action, t.ID, m.Text)
	})
	if errors.Is(err, errOwnerTaken) || errors.Is(err, ErrNotFound) {
		return // someone took it, or it was closed: nothing to route
	}
	if err != nil {
		s.log.Error("desk: return ticket to owner", "ticket", t.ID, "action", e.Action, "err", err)
		return
	}
	s.publish(ctx, messageEvent(EventMessageCreated, t, m))
}
