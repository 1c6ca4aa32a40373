package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds of the contact panel's lists.
const (
	MaxContactTickets  = 50
	MaxContactMatches  = 20
	minContactQueryLen = 2
)

// ContactTickets lists the tickets of a contact the agent may see, on every
// channel, newest activity first: only those tickets the agent may see
// themselves (a supervisor sees all), masked like the inbox.
func (s *Service) ContactTickets(ctx context.Context, a Agent, contactID string) ([]Ticket, error) {
	if _, err := s.visibleContact(ctx, a, contactID); err != nil {
		return nil, err
	}
	page, err := s.Tickets(ctx, a, TicketFilter{ContactID: contactID, Limit: MaxContactTickets})
	if err != nil {
		return nil, err
	}
	return page.Tickets, nil
}

// SearchContacts finds the contacts the agent may see whose name, number,
// e-mail address or other identity contains q, for picking the other side
// of a merge. Contacts merged away are left out; results are masked.
func (s *Service) SearchContacts(ctx context.Context, a Agent, q string) ([]Contact, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) < minContactQueryLen || len(q) > MaxPartyValueBytes || !ValidText(q) {
		return nil, Errorf(CodeInvalid, "search for at least %d characters", minContactQueryLen).Say("err.contact_query_short", "min", fmt.Sprint(minContactQueryLen))
	}
	cs, err := s.store.SearchContacts(ctx, q, VisibilityOf(a), MaxContactMatches)
	if err != nil {
		return nil, fmt.Errorf("desk: search contacts: %w", err)
	}
	for i := range cs {
		cs[i] = maskContact(cs[i])
	}
	return cs, nil
}
