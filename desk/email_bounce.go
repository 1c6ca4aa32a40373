package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"huiliu/desk/pii"
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

// BounceBlock is how long a bounce blocks mail to its address: a reply to
// it fails at once, saying why, instead of bouncing again, until an agent
// clears the mark on the ticket or the time has passed (the customer may
// have fixed their mailbox).
const BounceBlock = 30 * 24 * time.Hour

// Blocks reports whether a bounce recorded at b.At still blocks mail at now.
func (b EmailBounce) Blocks(now time.Time) bool {
	return !b.At.IsZero() && now.Sub(b.At) < BounceBlock
}

// BounceKeeper is the part of a MailboxDirectory that keeps the addresses
// bounces reported. EmailBounce answers ErrNotFound for an address without one.
type BounceKeeper interface {
	EmailBounce(ctx context.Context, address string) (EmailBounce, error)
	EmailBounces(ctx context.Context) ([]EmailBounce, error)
	ClearEmailBounce(ctx context.Context, address string) error
}

func (s *Service) bounceKeeper() (BounceKeeper, bool) {
	bk, ok := s.mailboxes.(BounceKeeper)
	return bk, ok
}

// customerAddresses are the email addresses of a ticket's contact.
func (s *Service) customerAddresses(ctx context.Context, t Ticket) ([]string, error) {
	c, err := s.store.Contact(ctx, t.ContactID)
	if err != nil {
		return nil, fmt.Errorf("desk: contact of ticket %s: %w", t.ID, err)
	}
	var out []string
	for _, id := range c.Identities {
		if id.Kind == IdentityEmail {
			out = append(out, id.Value)
		}
	}
	return out, nil
}

// TicketBounce returns the bounce that blocks mail to the customer of an
// email ticket, nil when none does. The reason is masked like every read;
// the address is not returned (the page knows whose it is).
func (s *Service) TicketBounce(ctx context.Context, a Agent, ticketID string) (*EmailBounce, error) {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return nil, err
	}
	bk, ok := s.bounceKeeper()
	if !ok || t.Channel != "email" {
		return nil, nil
	}
	addrs, err := s.customerAddresses(ctx, t)
	if err != nil {
		return nil, err
	}
	now := s.now()
	for _, addr := range addrs {
		b, err := bk.EmailBounce(ctx, addr)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("desk: bounce of ticket %s: %w", ticketID, err)
		}
		if b.Blocks(now) {
			return &EmailBounce{Reason: pii.Mask(b.Reason), At: b.At}, nil
		}
	}
	return nil, nil
}

// ClearTicketBounce lifts the bounce marks of an email ticket's customer,
// so replies go out again (the customer says their mailbox works now).
// Audited.
func (s *Service) ClearTicketBounce(ctx context.Context, a Agent, ticketID string) error {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return err
	}
	bk, ok := s.bounceKeeper()
	if !ok || t.Channel != "email" {
		return Errorf(CodeConflict, "ticket %d is no email conversation", t.Number)
	}
	addrs, err := s.customerAddresses(ctx, t)
	if err != nil {
		return err
	}
	for _, addr := range addrs {
		if err := bk.ClearEmailBounce(ctx, addr); err != nil {
			return fmt.Errorf("desk: clear bounce of ticket %s: %w", ticketID, err)
		}
	}
	s.auditNow(ctx, AgentActor(a), "email.bounce_cleared", t.ID, "")
	return nil
}

// EmailBounces lists the addresses bounces reported, newest first, for
// admins; addresses and reasons are masked.
func (s *Service) EmailBounces(ctx context.Context, a Agent) ([]EmailBounce, error) {
	if !a.Role.AtLeast(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "only admins list bouncing addresses")
	}
	bk, ok := s.bounceKeeper()
	if !ok {
		return []EmailBounce{}, nil
	}
	list, err := bk.EmailBounces(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: bouncing addresses: %w", err)
	}
	now := s.now()
	for i := range list {
		list[i].Address = maskIdentityValue(Identity{Kind: IdentityEmail, Value: list[i].Address})
		list[i].Reason = pii.Mask(list[i].Reason)
		list[i].Blocking = list[i].Blocks(now)
	}
	return list, nil
}
