package desk

import (
	"context"
	"errors"

	"huiliu/channels"
)

// linkIdentities records the identities a sender proved with a message
// (a signed deep link's customer number, a phone number the channel vouches
// for) on the sender's contact. When another contact already holds the same
// identity verified, the two are one person and the sender's contact is
// merged into it; an unverified holder is never merged with (a guess is not
// proof). Each outcome is a system entry on the ticket's timeline.
//
// It runs after the message's own commit, so a failure here never costs the
// customer's message; it is logged and the next proof tries again.
func (s *Service) linkIdentities(ctx context.Context, in channels.Inbound, ticketID, contactID string) {
	var notes []SystemEvent
	var t Ticket
	err := s.store.Tx(ctx, func(tx Tx) error {
		notes = notes[:0]
		now := s.now().UTC()
		current := contactID
		for _, l := range in.Links {
			if !l.Verified || !ValidIdentityKind(l.Kind) || l.Value == "" || !ValidText(l.Value) || len(l.Value) > MaxPartyValueBytes {
				continue
			}
			held, err := tx.IdentityByValue(ctx, l.Kind, l.Value)
			switch {
			case errors.Is(err, ErrNotFound):
				id := Identity{ID: NewID(), ContactID: current, Kind: l.Kind, Value: l.Value,
					VerifiedAt: &now, Method: l.Method, Verifier: in.Channel, CreatedAt: now}
				if err := tx.InsertIdentity(ctx, id); err != nil {
					return err
				}
				notes = append(notes, linkEvent("identity_verified", l))
			case err != nil:
				return err
			case held.ContactID == current:
				if held.VerifiedAt == nil {
					if err := tx.VerifyIdentity(ctx, held.ID, now, l.Method, in.Channel); err != nil {
						return err
					}
					notes = append(notes, linkEvent("identity_verified", l))
				}
			case held.VerifiedAt == nil:
				notes = append(notes, linkEvent("merge_refused", l))
			default:
				if err := tx.MergeContacts(ctx, current, held.ContactID); err != nil {
					return err
				}
				e := linkEvent("contacts_merged", l)
				e.Args["into"] = held.ContactID
				notes = append(notes, e)
				current = held.ContactID
			}
		}
		if len(notes) == 0 {
			return nil
		}
		var err error
		if t, err = tx.Ticket(ctx, ticketID); err != nil {
			return err
		}
		for _, n := range notes {
			m := Message{ID: NewID(), TicketID: ticketID, Direction: DirSystem, AuthorKind: AuthorSystem,
				Channel: in.Channel, Text: n.text(), Event: &n, CreatedAt: now}
			if err := tx.InsertMessage(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.Error("desk: link identities", "ticket", ticketID, "err", err)
		return
	}
	if len(notes) > 0 {
		s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	}
}

// linkEvent describes what became of a proved identity, for the timeline.
func linkEvent(action string, l channels.Party) SystemEvent {
	return SystemEvent{Action: action, Args: map[string]string{"kind": l.Kind, "value": l.Value, "method": l.Method}}
}
