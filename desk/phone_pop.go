package desk

import (
	"context"

	"huiliu/desk/pii"
)

// CallRingingData is what a ringing call pops on the desk of the agent
// whose extension it rings: who calls (masked), whether they proved who
// they are, and their open tickets.
type CallRingingData struct {
	Ticket     Ticket   `json:"ticket"`
	Recipients []string `json:"recipients"`
	CallID     string   `json:"call_id"`
	Number     string   `json:"number"`
	Name       string   `json:"name"`
	Verified   bool     `json:"verified"`
	// OpenTickets are the caller's tickets not resolved or closed, the
	// call's own first; at most 5.
	OpenTickets []TicketRef `json:"open_tickets"`
}

// TicketRef names a ticket in a notice.
type TicketRef struct {
	ID      string `json:"id"`
	Number  int64  `json:"number"`
	Subject string `json:"subject"`
	Status  Status `json:"status"`
}

// screenPop tells the ringing agent's desks who is calling. It is a live
// notice only: a desk that was not connected just misses the pop, the
// call is on the timeline either way.
func (s *Service) screenPop(ctx context.Context, r CallRecord) {
	t, err := s.store.Ticket(ctx, r.TicketID)
	if err != nil {
		s.log.Warn("desk: screen pop", "call", r.ID, "err", err)
		return
	}
	d := CallRingingData{Ticket: maskTicket(t), Recipients: []string{r.AgentID}, CallID: r.ID, Number: pii.Mask(r.Customer),
		OpenTickets: []TicketRef{}}
	if c, err := s.store.Contact(ctx, r.ContactID); err == nil {
		d.Name = pii.Mask(c.Name)
		for _, id := range c.Identities {
			if id.VerifiedAt != nil {
				d.Verified = true
			}
		}
	}
	if page, err := s.store.Tickets(ctx, TicketFilter{ContactID: r.ContactID, Limit: 20}); err == nil {
		for _, ot := range page.Tickets {
			if ot.Status != StatusResolved && ot.Status != StatusClosed && len(d.OpenTickets) < 5 {
				d.OpenTickets = append(d.OpenTickets, TicketRef{ID: ot.ID, Number: ot.Number, Subject: pii.Mask(ot.Subject), Status: ot.Status})
			}
		}
	}
	s.publish(ctx, ticketEvent(EventCallRinging, t, d))
}

// CallEndedData is what the end of a call tells the agent who had it:
// which call to wrap up, on which ticket.
type CallEndedData struct {
	Ticket     Ticket   `json:"ticket"`
	Recipients []string `json:"recipients"`
	CallID     string   `json:"call_id"`
	Number     string   `json:"number"`
}

// wrapUpNotice asks the agent who had a call that just ended for its
// wrap-up (notes and disposition); like the pop, a live notice only (the
// ticket page offers the same form).
func (s *Service) wrapUpNotice(ctx context.Context, t Ticket, r CallRecord) {
	d := CallEndedData{Ticket: maskTicket(t), Recipients: []string{r.AgentID}, CallID: r.ID, Number: pii.Mask(r.Customer)}
	s.publish(ctx, ticketEvent(EventCallEnded, t, d))
}
