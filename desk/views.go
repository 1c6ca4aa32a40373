package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"huiliu/desk/pii"
)

// The reads of the agents' desk. Each takes the acting agent and applies
// the visibility rules of access.go itself, so no transport recomposes them:
// what an agent may not see answers exactly as what does not exist.

// Tickets lists one page of the tickets the agent may see that match f;
// f.Visible is set here, whatever the caller put there.
func (s *Service) Tickets(ctx context.Context, a Agent, f TicketFilter) (TicketPage, error) {
	f.Visible = VisibilityOf(a)
	page, err := s.store.Tickets(ctx, f)
	if err != nil {
		return TicketPage{}, fmt.Errorf("desk: tickets for %s: %w", a.ID, err)
	}
	if page.Tickets == nil {
		page.Tickets = []Ticket{}
	}
	maskTickets(page.Tickets)
	return page, nil
}

// TicketDetail is a ticket the agent may see with its contact.
func (s *Service) TicketDetail(ctx context.Context, a Agent, id string) (Ticket, Contact, error) {
	t, err := s.VisibleTicket(ctx, a, id)
	if err != nil {
		return Ticket{}, Contact{}, err
	}
	c, err := s.store.Contact(ctx, t.ContactID)
	if err != nil {
		return Ticket{}, Contact{}, fmt.Errorf("desk: contact of ticket %s: %w", id, err)
	}
	return maskTicket(t), maskContact(c), nil
}

// maxMessagesRead is the most messages one store read returns.
const maxMessagesRead = 500

// TicketMessages lists up to limit messages of a ticket the agent may see,
// after the message id after ("" from the start), each with its files.
func (s *Service) TicketMessages(ctx context.Context, a Agent, id, after string, limit int) ([]Message, error) {
	t, err := s.VisibleTicket(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out, err := s.storedMessages(ctx, t.ID, after, limit)
	if err != nil {
		return nil, err
	}
	maskMessages(out)
	return out, nil
}

// storedMessages reads up to limit messages of a ticket with their files,
// as stored (unmasked).
func (s *Service) storedMessages(ctx context.Context, ticketID, after string, limit int) ([]Message, error) {
	if limit < 1 {
		limit = maxMessagesRead
	}
	out := []Message{}
	for {
		want := min(limit-len(out), maxMessagesRead)
		ms, err := s.store.Messages(ctx, ticketID, after, want)
		if err != nil {
			return nil, fmt.Errorf("desk: messages of ticket %s: %w", ticketID, err)
		}
		out = append(out, ms...)
		if len(ms) < want || len(out) >= limit {
			break
		}
		after = ms[len(ms)-1].ID
	}
	files, err := s.store.Attachments(ctx, ticketID)
	if err != nil {
		return nil, fmt.Errorf("desk: files of ticket %s: %w", ticketID, err)
	}
	byMessage := map[string][]Attachment{}
	for _, f := range files {
		byMessage[f.MessageID] = append(byMessage[f.MessageID], f)
	}
	for i := range out {
		out[i].Attachments = byMessage[out[i].ID]
	}
	return out, nil
}

// Attachment is a file of a message on a ticket the agent may see.
func (s *Service) Attachment(ctx context.Context, a Agent, id string) (Attachment, error) {
	f, err := found(s.store.Attachment(ctx, id))("attachment", id)
	if err != nil {
		return Attachment{}, err
	}
	m, err := s.store.Message(ctx, f.MessageID)
	if err != nil {
		return Attachment{}, fmt.Errorf("desk: message of attachment %s: %w", id, err)
	}
	if _, err := s.VisibleTicket(ctx, a, m.TicketID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Attachment{}, hidden("attachment", id, err)
		}
		return Attachment{}, err
	}
	// The download is named like the timeline lists it: masked.
	f.Name = pii.Mask(f.Name)
	return f, nil
}

// maxMergeHops bounds how far Contact follows merged_into (a contact merged
// into one that was merged again).
const maxMergeHops = 8

// Contact is a contact the agent may see: supervisors and admins any, an
// agent only one with a ticket they may see.
func (s *Service) Contact(ctx context.Context, a Agent, id string) (Contact, error) {
	c, err := s.visibleContact(ctx, a, id)
	if err != nil {
		return Contact{}, err
	}
	return maskContact(c), nil
}

// visibleContact is Contact unmasked, for the desk's own use (the address
// an agent-started email goes to); never handed to an agent as it is.
func (s *Service) visibleContact(ctx context.Context, a Agent, id string) (Contact, error) {
	c, err := found(s.store.Contact(ctx, id))("contact", id)
	if err != nil {
		return Contact{}, err
	}
	// A merged contact's tickets went to the contact it was merged into,
	// so it is seen through that one's tickets.
	holder := c
	for hops := 0; holder.MergedInto != "" && hops < maxMergeHops; hops++ {
		if holder, err = found(s.store.Contact(ctx, holder.MergedInto))("contact", id); err != nil {
			return Contact{}, err
		}
	}
	ok, err := s.canSeeContact(ctx, a, holder.ID)
	if err != nil {
		return Contact{}, err
	}
	if !ok {
		return Contact{}, hidden("contact", id, errNotVisible)
	}
	return c, nil
}

// FindContacts lists the contacts holding the identity (kind, value) that
// the agent may see: none when nobody holds it or the holder is hidden.
func (s *Service) FindContacts(ctx context.Context, a Agent, kind, value string) ([]Contact, error) {
	value = strings.TrimSpace(value)
	if !ValidIdentityKind(kind) || value == "" {
		return nil, Errorf(CodeInvalid, "give kind (webchat, telegram, email, phone, customer_no, api) and value")
	}
	if kind == IdentityEmail {
		value = strings.ToLower(value)
	}
	out := []Contact{}
	id, err := s.store.IdentityByValue(ctx, kind, value)
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("desk: find contact by %s: %w", kind, err)
	}
	c, err := s.Contact(ctx, a, id.ContactID)
	if errors.Is(err, ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return append(out, c), nil
}

// ContactsOf maps contact ids to the contacts of the given tickets that the
// agent may see (a ticket they may not see contributes nothing), for lists
// that show who wrote.
func (s *Service) ContactsOf(ctx context.Context, a Agent, tickets []Ticket) (map[string]Contact, error) {
	out := map[string]Contact{}
	for _, t := range tickets {
		if _, done := out[t.ContactID]; done || !CanSee(a, t) {
			continue
		}
		c, err := s.store.Contact(ctx, t.ContactID)
		if err != nil {
			return nil, fmt.Errorf("desk: contact of ticket %s: %w", t.ID, err)
		}
		out[t.ContactID] = maskContact(c)
	}
	return out, nil
}

// SLADuesOf maps the given tickets the agent may see to their next running
// SLA deadline, for lists that show it.
func (s *Service) SLADuesOf(ctx context.Context, a Agent, tickets []Ticket) (map[string]time.Time, error) {
	var ids []string
	for _, t := range tickets {
		if CanSee(a, t) {
			ids = append(ids, t.ID)
		}
	}
	m, err := s.store.SLADues(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("desk: sla deadlines: %w", err)
	}
	return m, nil
}

// TicketChannels lists the channels the desk's tickets came by: what an
// inbox channel filter can usefully offer.
func (s *Service) TicketChannels(ctx context.Context) ([]string, error) {
	cs, err := s.store.TicketChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: ticket channels: %w", err)
	}
	return cs, nil
}

// Teams lists every team; any agent may read them (transfers, filters).
func (s *Service) Teams(ctx context.Context) ([]Team, error) {
	ts, err := s.store.Teams(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: teams: %w", err)
	}
	if ts == nil {
		ts = []Team{}
	}
	return ts, nil
}

// Colleagues lists every agent for display (names of owners, assignees,
// authors; assignment choices); any agent may read them. The account
// administration list is Agents.
func (s *Service) Colleagues(ctx context.Context) ([]Agent, error) {
	as, err := s.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: agents: %w", err)
	}
	return as, nil
}
