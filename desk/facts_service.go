package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"huiliu/channels"
)

// MaxCustomerNoBytes bounds a customer number (claimed or imported).
const MaxCustomerNoBytes = 64

// pastTicketsShown bounds the contact panel's list of past tickets.
const pastTicketsShown = 20

// ValidCustomerNo reports whether no can be a customer (or contract)
// number: 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with
// '.', so it is safe in a URL path segment.
func ValidCustomerNo(no string) bool {
	if no == "" || len(no) > MaxCustomerNoBytes || no[0] == '.' {
		return false
	}
	for _, r := range no {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-' || r == '_' || r == '.':
		default:
			return false
		}
	}
	return true
}

// conversationCustomer is the customer number a conversation is about:
// the contact's customer_no identity (verified ones first), else a number
// claimed on the ticket; "" when neither.
func (s *Service) conversationCustomer(ctx context.Context, t Ticket) (no, source string, c Contact, err error) {
	c, err = s.store.Contact(ctx, t.ContactID)
	if err != nil {
		return "", "", Contact{}, fmt.Errorf("desk: contact of ticket %s: %w", t.ID, err)
	}
	if id, ok := recordDestination(c, IdentityCustomerNo); ok {
		return id.Value, FactsFromIdentity, c, nil
	}
	cl, err := s.store.CustomerClaim(ctx, t.ID)
	if errors.Is(err, ErrNotFound) {
		return "", "", c, nil
	}
	if err != nil {
		return "", "", Contact{}, fmt.Errorf("desk: claim of ticket %s: %w", t.ID, err)
	}
	return cl.CustomerNo, FactsFromClaim, c, nil
}

// customerFacts reads a record; ok is false when there is no source or no
// record for no. Other failures are returned.
func (s *Service) customerFacts(ctx context.Context, no string) (CustomerFacts, bool, error) {
	if s.facts == nil || no == "" {
		return CustomerFacts{}, false, nil
	}
	f, err := s.facts.CustomerFacts(ctx, no)
	if errors.Is(err, ErrNoFacts) || errors.Is(err, ErrNotFound) {
		return CustomerFacts{}, false, nil
	}
	if err != nil {
		return CustomerFacts{}, false, Wrap(CodeUnavailable, fmt.Errorf("desk: facts of customer %s: %w", no, err),
			"the customer record cannot be read now")
	}
	return f, true, nil
}

// activeVerification is the proof on ticketID that holds now; Level 0
// when there is none or it lapsed.
func (s *Service) activeVerification(ctx context.Context, ticketID string) (Verification, error) {
	v, err := s.store.Verification(ctx, ticketID)
	if errors.Is(err, ErrNotFound) || (err == nil && !v.Active(s.now())) {
		return Verification{TicketID: ticketID}, nil
	}
	if err != nil {
		return Verification{}, fmt.Errorf("desk: verification of ticket %s: %w", ticketID, err)
	}
	return v, nil
}

// RecordFacts is the customer record of ticketID's customer as actor may
// see it now: every fact masked unless the conversation's active
// verification reaches the level the policy asks for it, the knowledge
// questions with their expected answers (for the agent only) and the
// contact's tickets on every channel.
func (s *Service) RecordFacts(ctx context.Context, actor Actor, ticketID string) (FactsView, error) {
	t, err := s.postTicket(ctx, actor, ticketID)
	if err != nil {
		return FactsView{}, err
	}
	no, source, c, err := s.conversationCustomer(ctx, t)
	if err != nil {
		return FactsView{}, err
	}
	view := FactsView{CustomerNo: no, Source: source, Contracts: []ContractView{}}
	f := TicketFilter{ContactID: c.ID, Limit: pastTicketsShown}
	if actor.Agent != nil {
		f.Visible = VisibilityOf(*actor.Agent)
	}
	page, err := s.store.Tickets(ctx, f)
	if err != nil {
		return FactsView{}, fmt.Errorf("desk: tickets of contact %s: %w", c.ID, err)
	}
	view.Tickets = page.Tickets
	if view.Verification, err = s.activeVerification(ctx, t.ID); err != nil {
		return FactsView{}, err
	}
	facts, ok, err := s.customerFacts(ctx, no)
	if err != nil || !ok {
		return view, err
	}
	pol, err := s.FactPolicy(ctx)
	if err != nil {
		return FactsView{}, err
	}
	view.Found = true
	maskFacts(&view, facts, pol.Policy, view.Verification.Level)
	return view, nil
}

// ClaimCustomer records on ticketID that its customer says they are
// customerNo. It is audited and shown as "claimed, not verified"; it
// reveals nothing (facts stay masked at the conversation's level) and
// merges no contact. A number without a record is accepted the same way,
// so claims cannot probe which numbers exist.
func (s *Service) ClaimCustomer(ctx context.Context, actor Actor, ticketID, customerNo string) (CustomerClaim, error) {
	customerNo = strings.TrimSpace(customerNo)
	if !ValidCustomerNo(customerNo) {
		return CustomerClaim{}, Errorf(CodeInvalid, "a customer number is 1 to %d letters, digits or -_.", MaxCustomerNoBytes)
	}
	t, err := s.postTicket(ctx, actor, ticketID)
	if err != nil {
		return CustomerClaim{}, err
	}
	_, by := actor.kindID()
	cl := CustomerClaim{TicketID: t.ID, CustomerNo: customerNo, AgentID: by, ClaimedAt: s.now().UTC()}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.PutCustomerClaim(ctx, cl); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, actor, "ticket.customer_claimed", t.ID, "customer_no="+customerNo); err != nil {
			return err
		}
		e := SystemEvent{Action: "customer_claimed", Args: map[string]string{"customer_no": customerNo}}
		_, err := s.recordEntry(ctx, tx, &t, actor, AuthorSystem, e, factsEventText(e), cl.ClaimedAt)
		return err
	})
	if err != nil {
		return CustomerClaim{}, fmt.Errorf("desk: claim on ticket %s: %w", ticketID, err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	return cl, nil
}

// RecordDestinations says where a one-time code for ticketID may go: the
// contact's own phone and email identities first (verified ones first),
// then the phone and email of the record of the contact's customer number,
// then those of a claimed number's record. Never anything the visitor
// typed. Empty fields: nowhere of that kind.
func (s *Service) RecordDestinations(ctx context.Context, ticketID string) (Destinations, error) {
	t, err := s.store.Ticket(ctx, ticketID)
	if err != nil {
		return Destinations{}, notFoundAs(fmt.Errorf("desk: ticket %s: %w", ticketID, err), "ticket not found")
	}
	no, source, c, err := s.conversationCustomer(ctx, t)
	if err != nil {
		return Destinations{}, err
	}
	var d Destinations
	if id, ok := recordDestination(c, IdentityPhone); ok {
		d.Phone = id.Value
	}
	if id, ok := recordDestination(c, IdentityEmail); ok {
		d.Email = id.Value
	}
	if d.Phone != "" && d.Email != "" {
		return d, nil
	}
	f, ok, err := s.customerFacts(ctx, no)
	if err != nil || !ok || (f.Phone == "" && f.Email == "") {
		return d, err
	}
	if d.Phone == "" && d.Email == "" {
		// Both from the record: the code proves the customer number.
		d.CustomerNo, d.FromClaim = no, source == FactsFromClaim
	}
	if d.Phone == "" {
		d.Phone = f.Phone
	}
	if d.Email == "" {
		d.Email = f.Email
	}
	return d, nil
}

// ConfirmClaim makes the number claimed on ticketID a verified identity of
// its contact after the customer proved it, method naming the proof
// (otp_sms, otp_email). Call it only after a right code that went to a
// destination RecordDestinations gave with FromClaim. When another contact
// holds the number verified the two are merged, as for signed links.
func (s *Service) ConfirmClaim(ctx context.Context, ticketID, method string) error {
	t, err := s.store.Ticket(ctx, ticketID)
	if err != nil {
		return fmt.Errorf("desk: confirm claim of ticket %s: %w", ticketID, err)
	}
	cl, err := s.store.CustomerClaim(ctx, t.ID)
	if err != nil {
		return notFoundAs(fmt.Errorf("desk: confirm claim of ticket %s: %w", ticketID, err), "no claim on this conversation")
	}
	in := channels.Inbound{Channel: t.Channel, Links: []channels.Party{{Kind: IdentityCustomerNo, Value: cl.CustomerNo,
		Verified: true, Method: method}}}
	s.linkIdentities(ctx, in, t.ID, t.ContactID)
	return nil
}
