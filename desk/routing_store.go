package desk

import (
	"context"
	"time"
)

// RoutingReader holds the queries of routing rules, agents' routing
// settings and assignment.
type RoutingReader interface {
	// RoutingRules lists every rule by position.
	RoutingRules(ctx context.Context) ([]RoutingRule, error)
	RoutingRule(ctx context.Context, id string) (RoutingRule, error)
	// TeamRoutings lists the teams that have settings.
	TeamRoutings(ctx context.Context) ([]TeamRouting, error)
	// AgentRoutings lists the agents that have settings, with when each
	// was last auto-assigned a ticket.
	AgentRoutings(ctx context.Context) ([]AgentRouting, error)
	// SegmentsOf lists the segments of any of the identities.
	SegmentsOf(ctx context.Context, ids []Identity) ([]string, error)
	// AgentLoads counts the open and pending tickets assigned to each agent
	// (agents with none are absent).
	AgentLoads(ctx context.Context) (map[string]int, error)
	// QueuedTickets lists open, unassigned tickets of the teams, most
	// urgent first, then oldest, at most limit.
	QueuedTickets(ctx context.Context, teamIDs []string, limit int) ([]Ticket, error)
	// AssignedTickets lists open and pending tickets of team that someone
	// is assigned, with when the customer started waiting on them (zero
	// when the last public message is the desk's) and when they were
	// assigned.
	AssignedTickets(ctx context.Context, teamID string, limit int) ([]AssignedTicket, error)
}

// RoutingWriter holds their writes.
type RoutingWriter interface {
	InsertRoutingRule(ctx context.Context, r RoutingRule) error
	UpdateRoutingRule(ctx context.Context, r RoutingRule) error
	DeleteRoutingRule(ctx context.Context, id string) error
	// SetRulePosition moves one rule; reordering writes every rule's.
	SetRulePosition(ctx context.Context, id string, position int) error
	// PutTeamRouting stores a team's settings; with Default set it clears
	// the flag on every other team.
	PutTeamRouting(ctx context.Context, t TeamRouting) error
	PutAgentRouting(ctx context.Context, a AgentRouting) error
	// PutSegments adds identity→segment entries; present ones stay.
	PutSegments(ctx context.Context, s []Segment, at time.Time) (int, error)
	// ClaimTicket assigns an open ticket nobody works to agent, in one
	// conditional statement, and returns it; ErrConflict when it was not
	// free (someone else was quicker, or it was closed or moved),
	// ErrAtCapacity when the agent's open and pending tickets already
	// reach their capacity. Load check and claim are one atomic step, so
	// concurrent claims never take an agent past their capacity.
	ClaimTicket(ctx context.Context, ticketID, agentID string, at time.Time) (Ticket, error)
	// ReleaseTicket unassigns a ticket still assigned to agentID;
	// ErrConflict when it no longer is.
	ReleaseTicket(ctx context.Context, ticketID, agentID string, at time.Time) (Ticket, error)
}
