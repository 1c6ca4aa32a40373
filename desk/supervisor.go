package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// TeamOverview is one team's row of the supervisor overview. TeamID ""
// is the tickets no rule routed to a team yet.
type TeamOverview struct {
	TeamID, Name                                string
	Open, Pending, Unassigned, AtRisk, Breached int
	// OldestWaiting is when the oldest open ticket nobody works was
	// created; zero when the queue is empty.
	OldestWaiting time.Time
	// Agents are the team's agents who are online or away.
	Agents []AgentLoad
}

// AgentLoad is a present agent's state, open load and capacity, the
// numbers auto-assignment goes by.
type AgentLoad struct {
	Agent    Agent
	Presence string
	Load     int
	Capacity int
}

// oldestScan bounds the queue read to find a team's oldest waiting ticket.
const oldestScan = 500

// SupervisorOverview is the per-team picture for supervisors and admins.
func (s *Service) SupervisorOverview(ctx context.Context, a Agent) ([]TeamOverview, error) {
	if !a.Role.AtLeast(RoleSupervisor) {
		return nil, Errorf(CodeForbidden, "the overview is for supervisors")
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: overview: %w", err)
	}
	alerts, err := s.SLAAlerts(ctx, a)
	if err != nil {
		return nil, err
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: overview: %w", err)
	}
	loads, err := s.store.AgentLoads(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: overview: %w", err)
	}
	settings, err := s.agentRoutingMap(ctx)
	if err != nil {
		return nil, err
	}
	states := map[string]string{}
	if s.router != nil {
		// Presence as the router reads it; without a router nobody's
		// presence is tracked, and nobody is shown present.
		if states, err = s.router.presence.All(ctx); err != nil {
			return nil, fmt.Errorf("desk: overview: presence: %w", err)
		}
	}
	rows := []TeamOverview{{Name: ""}}
	for _, t := range teams {
		rows = append(rows, TeamOverview{TeamID: t.ID, Name: t.Name})
	}
	for i := range rows {
		r := &rows[i]
		for _, q := range []struct {
			n *int
			f TicketFilter
		}{
			{&r.Open, TicketFilter{Team: r.TeamID, Status: []Status{StatusOpen}}},
			{&r.Pending, TicketFilter{Team: r.TeamID, Status: []Status{StatusPending}}},
			{&r.Unassigned, TicketFilter{Team: r.TeamID, Unassigned: true, Status: []Status{StatusOpen}}},
		} {
			if r.TeamID == "" {
				// TicketFilter has no "no team"; the unrouted row counts
				// by subtraction below.
				continue
			}
			if *q.n, err = s.store.CountTickets(ctx, q.f); err != nil {
				return nil, fmt.Errorf("desk: overview of team %s: %w", r.TeamID, err)
			}
		}
		for _, al := range alerts.AtRisk {
			if al.TeamID == r.TeamID {
				r.AtRisk++
			}
		}
		for _, al := range alerts.Breached {
			if al.TeamID == r.TeamID {
				r.Breached++
			}
		}
		if r.OldestWaiting, err = s.oldestQueued(ctx, r.TeamID); err != nil {
			return nil, err
		}
		for _, ag := range agents {
			st := states[ag.ID]
			if !ag.Active || r.TeamID == "" || !slices.Contains(ag.TeamIDs, r.TeamID) || (st != PresenceOnline && st != PresenceAway) {
				continue
			}
			r.Agents = append(r.Agents, AgentLoad{Agent: ag, Presence: st, Load: loads[ag.ID], Capacity: routingOf(settings, ag.ID).Capacity})
		}
		slices.SortFunc(r.Agents, func(x, y AgentLoad) int { return strings.Compare(x.Agent.Name, y.Agent.Name) })
	}
	if err := s.unroutedCounts(ctx, &rows[0], rows[1:]); err != nil {
		return nil, err
	}
	return rows, nil
}

// unroutedCounts fills the no-team row: everything minus the teams' share.
func (s *Service) unroutedCounts(ctx context.Context, r *TeamOverview, teams []TeamOverview) error {
	for _, q := range []struct {
		n *int
		f TicketFilter
	}{
		{&r.Open, TicketFilter{Status: []Status{StatusOpen}}},
		{&r.Pending, TicketFilter{Status: []Status{StatusPending}}},
		{&r.Unassigned, TicketFilter{Unassigned: true, Status: []Status{StatusOpen}}},
	} {
		n, err := s.store.CountTickets(ctx, q.f)
		if err != nil {
			return fmt.Errorf("desk: overview of unrouted tickets: %w", err)
		}
		*q.n = n
	}
	for _, t := range teams {
		r.Open, r.Pending, r.Unassigned = r.Open-t.Open, r.Pending-t.Pending, r.Unassigned-t.Unassigned
	}
	return nil
}

// oldestQueued is the creation time of the oldest open, unassigned ticket
// of team ("": no team yet) among the first oldestScan of its queue.
func (s *Service) oldestQueued(ctx context.Context, teamID string) (time.Time, error) {
	ts, err := s.store.QueuedTickets(ctx, []string{teamID}, oldestScan)
	if err != nil {
		return time.Time{}, fmt.Errorf("desk: oldest waiting of team %s: %w", teamID, err)
	}
	var oldest time.Time
	for _, t := range ts {
		if oldest.IsZero() || t.CreatedAt.Before(oldest) {
			oldest = t.CreatedAt
		}
	}
	return oldest, nil
}
