package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxPurposeRunes bounds the purpose an agent gives for a revelation.
const maxPurposeRunes = 200

// AuditPIIReveal is the audit action of every unmasked view of personal
// data: a message, an identity or an export.
const AuditPIIReveal = "pii.reveal"

// checkReveal admits an agent holding pii.reveal with a purpose, and
// returns the purpose cleaned.
func checkReveal(a Agent, purpose string) (string, error) {
	if !a.Can(PermPIIReveal) {
		return "", Errorf(CodeForbidden, "revealing personal data needs the %s permission", PermPIIReveal)
	}
	purpose = strings.TrimSpace(purpose)
	if purpose == "" || utf8.RuneCountInString(purpose) > maxPurposeRunes || !ValidText(purpose) {
		return "", Errorf(CodeInvalid, "give the purpose of revealing personal data (at most %d characters)", maxPurposeRunes)
	}
	return purpose, nil
}

// RevealMessage returns one message of a ticket the agent may see as it
// was stored, unmasked, and records who revealed it and why. The ticket is
// checked before the permission, so a stranger learns nothing of ids.
func (s *Service) RevealMessage(ctx context.Context, actor Actor, ticketID, messageID, purpose string) (Message, error) {
	if actor.Agent == nil {
		return Message{}, Errorf(CodeForbidden, "only an agent reveals personal data")
	}
	a := *actor.Agent
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return Message{}, err
	}
	m, err := found(s.store.Message(ctx, messageID))("message", messageID)
	if err != nil {
		return Message{}, err
	}
	if m.TicketID != t.ID {
		return Message{}, hidden("message", messageID, errNotVisible)
	}
	if purpose, err = checkReveal(a, purpose); err != nil {
		return Message{}, err
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, actor, AuditPIIReveal, "message:"+m.ID, fmt.Sprintf("ticket #%d: %s", t.Number, purpose))
	})
	if err != nil {
		return Message{}, fmt.Errorf("desk: reveal message %s: %w", messageID, err)
	}
	return m, nil
}

// RevealIdentity returns one identity of a contact the agent may see with
// its value unmasked, audited like RevealMessage.
func (s *Service) RevealIdentity(ctx context.Context, actor Actor, contactID, identityID, purpose string) (Identity, error) {
	if actor.Agent == nil {
		return Identity{}, Errorf(CodeForbidden, "only an agent reveals personal data")
	}
	a := *actor.Agent
	if _, err := s.Contact(ctx, a, contactID); err != nil {
		return Identity{}, err
	}
	c, err := found(s.store.Contact(ctx, contactID))("contact", contactID)
	if err != nil {
		return Identity{}, err
	}
	var id Identity
	for _, i := range c.Identities {
		if i.ID == identityID {
			id = i
		}
	}
	if id.ID == "" {
		return Identity{}, hidden("identity", identityID, ErrNotFound)
	}
	if purpose, err = checkReveal(a, purpose); err != nil {
		return Identity{}, err
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, actor, AuditPIIReveal, "identity:"+id.ID, fmt.Sprintf("contact %s %s: %s", c.ID, id.Kind, purpose))
	})
	if err != nil {
		return Identity{}, fmt.Errorf("desk: reveal identity %s: %w", identityID, err)
	}
	return id, nil
}
