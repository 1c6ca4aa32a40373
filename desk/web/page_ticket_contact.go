package web

import (
	"context"

	"huiliu/desk"
)

// contactPanel is the contact panel's history, notes and merges (the
// identities are ticketView's own).
type contactPanel struct {
	Tickets []contactTicketView
	Notes   []contactNoteView
	Merges  []contactMergeView
	// MergedAway: the contact was merged into another (merges and notes
	// happen on that one).
	MergedAway bool
}

type contactTicketView struct {
	Ticket  desk.Ticket
	Current bool
}

type contactNoteView struct {
	Note   desk.ContactNote
	Author string
	Mine   bool
	Edited bool
}

// contactMergeView is a merge by hand seen from the contact on the page:
// Other is the contact merged into it (or it into, when Away).
type contactMergeView struct {
	Merge         desk.ContactMerge
	Other, Agent  string
	UndoneBy      string
	Away, CanUndo bool
}

func (s *Server) contactPanel(ctx context.Context, lang string, a desk.Agent, t desk.Ticket, contact desk.Contact, names map[string]desk.Agent) (contactPanel, error) {
	p := contactPanel{MergedAway: contact.MergedInto != ""}
	ts, err := s.svc.ContactTickets(ctx, a, contact.ID)
	if err != nil {
		return contactPanel{}, err
	}
	for _, tk := range ts {
		p.Tickets = append(p.Tickets, contactTicketView{Ticket: tk, Current: tk.ID == t.ID})
	}
	ns, err := s.svc.ContactNotes(ctx, a, contact.ID)
	if err != nil {
		return contactPanel{}, err
	}
	for _, n := range ns {
		p.Notes = append(p.Notes, contactNoteView{Note: n, Author: agentLabel(names, n.AuthorID), Mine: n.AuthorID == a.ID,
			Edited: !n.UpdatedAt.Equal(n.CreatedAt)})
	}
	ms, err := s.svc.ContactMerges(ctx, a, contact.ID)
	if err != nil {
		return contactPanel{}, err
	}
	for _, m := range ms {
		v := contactMergeView{Merge: m, Agent: agentLabel(names, m.AgentID), UndoneBy: agentLabel(names, m.UndoneBy), Away: m.FromID == contact.ID}
		other := m.FromID
		if v.Away {
			other = m.IntoID
		}
		// The other side may be one this agent cannot see (its tickets
		// are another team's): it is then named by nothing.
		if c, err := s.svc.Contact(ctx, a, other); err == nil {
			v.Other = contactName(lang, c)
		}
		v.CanUndo = m.UndoneAt == nil && !v.Away && (m.AgentID == a.ID || a.Role.AtLeast(desk.RoleSupervisor))
		p.Merges = append(p.Merges, v)
	}
	return p, nil
}
