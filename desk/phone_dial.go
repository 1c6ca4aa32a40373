package desk

import (
	"context"
	"fmt"
	"strings"
)

// Dialer asks a phone line's call platform to ring an agent's extension
// and connect it to a number (channels/phone.Dialer); it reports the line
// used. prefer is the line to use when it can.
type Dialer interface {
	Dial(ctx context.Context, prefer, extension, number, requestID string) (string, error)
}

// ClickToCallEnabled reports whether a phone line offers click-to-call.
func (s *Service) ClickToCallEnabled() bool { return s.dialer != nil }

// ClickToCall has the call platform ring agent a's extension and dial the
// phone identity identityID of the contact of a ticket a may see. Huiliu
// places no call itself: the platform does, and its events then bring
// the call onto the timeline like any other.
func (s *Service) ClickToCall(ctx context.Context, a Agent, ticketID, identityID string) error {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return err
	}
	if s.dialer == nil {
		return Errorf(CodeUnavailable, "click-to-call is not set up on any phone line").Say("err.phone.no_click_to_call")
	}
	ps, err := s.phoneStore()
	if err != nil {
		return err
	}
	ext, err := ps.AgentExtension(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("desk: click-to-call: %w", err)
	}
	if ext == "" {
		return Errorf(CodeConflict, "you have no phone extension; an admin sets it").Say("err.phone.no_extension")
	}
	c, err := s.store.Contact(ctx, t.ContactID)
	if err != nil {
		return fmt.Errorf("desk: click-to-call: contact of ticket %s: %w", t.ID, err)
	}
	number := ""
	for _, id := range c.Identities {
		// A withheld caller's identity is a placeholder, not a number.
		if id.ID == identityID && id.Kind == IdentityPhone && strings.HasPrefix(id.Value, "+") {
			number = id.Value
		}
	}
	if number == "" {
		return Errorf(CodeNotFound, "no such phone number on the ticket's contact").Say("err.phone.no_number")
	}
	prefer := ""
	if t.Channel == ChannelPhone {
		prefer = t.ThreadKey
	}
	line, err := s.dialer.Dial(ctx, prefer, ext, number, NewID())
	if err != nil {
		s.log.Warn("desk: click-to-call", "ticket", t.ID, "agent", a.ID, "err", err)
		return Wrap(CodeUnavailable, err, "the call platform did not place the call; try again or dial by hand").Say("err.phone.dial_failed")
	}
	s.auditNow(ctx, AgentActor(a), "ticket.click_to_call", t.ID, line+" "+identityID)
	return nil
}
