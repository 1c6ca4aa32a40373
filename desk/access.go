package desk

import (
	"context"
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
// is reported as not found, so ids of other teams' tickets leak nothing.
func (s *Service) VisibleTicket(ctx context.Context, a Agent, id string) (Ticket, error) {
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	if !CanSee(a, t) {
		return Ticket{}, Errorf(CodeNotFound, "ticket %s not found", id)
	}
	return t, nil
}
