package desk

import (
	"context"
	"fmt"
)

// MarkUndelivered records that a sent message did not arrive (an email
// bounce): its delivery becomes failed with the reason, and desks see the
// change. The message must be an outgoing one of ticketID, so a report
// naming another ticket's message changes nothing.
func (s *Service) MarkUndelivered(ctx context.Context, ticketID, messageID, reason string) error {
	m, err := s.store.Message(ctx, messageID)
	if err != nil {
		return fmt.Errorf("desk: undelivered message %s: %w", messageID, err)
	}
	if m.TicketID != ticketID || m.Direction != DirOut {
		return fmt.Errorf("desk: undelivered message %s is no reply of ticket %s: %w", messageID, ticketID, ErrNotFound)
	}
	reason = truncateRunes(reason, 500)
	if err := s.store.Tx(ctx, func(tx Tx) error { return tx.SetDelivery(ctx, messageID, DeliveryFailed, reason) }); err != nil {
		return fmt.Errorf("desk: mark message %s undelivered: %w", messageID, err)
	}
	if t, err := s.store.Ticket(ctx, ticketID); err == nil {
		ev := ticketEvent(EventMessageUpdated, t, map[string]string{"delivery": string(DeliveryFailed), "delivery_error": reason})
		ev.MessageID = messageID
		s.publish(ctx, ev)
	}
	return nil
}
