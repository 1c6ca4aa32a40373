package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// CanSee reports whether agent may see ticket t: supervisors and admins see
// everything; agents see their teams' tickets, tickets not yet routed to a
// team, and tickets they own or work on.
func CanSee(a Agent, t Ticket) bool {
	if a.Role.AtLeast(RoleSupervisor) {
		return true
	}
	return t.TeamID == "" || t.OwnerID == a.ID || t.AssigneeID == a.ID || slices.Contains(a.TeamIDs, t.TeamID)
}

// CanSeeEvent applies CanSee to what an event says about its ticket.
func CanSeeEvent(a Agent, ev Event) bool {
	return CanSee(a, Ticket{TeamID: ev.TeamID, OwnerID: ev.OwnerID, AssigneeID: ev.AssigneeID})
}

// VisibilityOf is the inbox restriction for agent a (nil: sees all).
func VisibilityOf(a Agent) *Visibility {
	if a.Role.AtLeast(RoleSupervisor) {
		return nil
	}
	return &Visibility{AgentID: a.ID, TeamIDs: a.TeamIDs}
}

// VisibleTicket loads a ticket the agent may see. A ticket they may not see
// and one that does not exist give the same error, so ids of other teams'
// tickets leak nothing.
func (s *Service) VisibleTicket(ctx context.Context, a Agent, id string) (Ticket, error) {
	t, err := found(s.store.Ticket(ctx, id))("ticket", id)
	if err != nil {
		return Ticket{}, err
	}
	if !CanSee(a, t) {
		return Ticket{}, hidden("ticket", id, errNotVisible)
	}
	return t, nil
}

// errNotVisible is the logged cause of a hidden object that exists.
var errNotVisible = errors.New("not visible to this agent")

// hidden is the one answer for an object the caller may not see and for one
// that does not exist: the same code and the same message (no id, no
// reason), so probing ids tells nothing. The cause stays for logs only.
func hidden(kind, id string, cause error) error {
	return &Error{Code: CodeNotFound, Message: kind + " not found", Err: fmt.Errorf("%s %s: %w", kind, id, cause)}
}

// found turns a store read of one object into the caller's answer: absent
// becomes hidden(kind, id), any other failure is wrapped with the object.
func found[T any](v T, err error) func(kind, id string) (T, error) {
	return func(kind, id string) (T, error) {
		var zero T
		if errors.Is(err, ErrNotFound) {
			return zero, hidden(kind, id, err)
		}
		if err != nil {
			return zero, fmt.Errorf("desk: %s %s: %w", kind, id, err)
		}
		return v, nil
	}
}

// requireRole refuses an actor below min. The system and the command line
// (no agent) act with every right; the HTTP layer checks roles first too,
// but the rule lives here so every transport gets it.
func requireRole(actor Actor, min Role) error {
	if actor.Agent != nil && !actor.Agent.Role.AtLeast(min) {
		return Errorf(CodeForbidden, "this needs the %s role", min)
	}
	return nil
}

// canSeeContact applies the contact rule: supervisors and admins see every
// contact; an agent sees a contact only through a ticket of it they may see.
func (s *Service) canSeeContact(ctx context.Context, a Agent, contactID string) (bool, error) {
	if a.Role.AtLeast(RoleSupervisor) {
		return true, nil
	}
	page, err := s.store.Tickets(ctx, TicketFilter{ContactID: contactID, Visible: VisibilityOf(a), Limit: 1})
	if err != nil {
		return false, fmt.Errorf("desk: tickets of contact %s: %w", contactID, err)
	}
	return len(page.Tickets) > 0, nil
}
