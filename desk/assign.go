package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Candidate is an agent who might take a ticket, as selection sees them.
type Candidate struct {
	Agent   Agent
	Routing AgentRouting
	// Load is how many open and pending tickets they work now.
	Load int
}

// canTake reports whether the candidate has a free slot and the skills the
// ticket needs; a skill list left empty takes anything, and a ticket
// without a language (or category) needs no such skill.
func (c Candidate) canTake(t Ticket) bool {
	r := c.Routing
	skilled := func(skills []string, v string) bool { return len(skills) == 0 || v == "" || slices.Contains(skills, v) }
	return c.Load < r.Capacity && skilled(r.Languages, t.Language) && skilled(r.Channels, t.Channel) && skilled(r.Categories, t.Category)
}

// PickAgent chooses who gets t among cands: the least loaded one who can
// take it; among equals the one whose last assignment is oldest, so work
// goes round. It returns the index in cands, or -1.
func PickAgent(cands []Candidate, t Ticket) int {
	best := -1
	for i, c := range cands {
		if !c.canTake(t) {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := cands[best]
		if n := cmp.Or(cmp.Compare(c.Load, b.Load), c.Routing.LastAssignedAt.Compare(b.Routing.LastAssignedAt),
			cmp.Compare(c.Agent.ID, b.Agent.ID)); n < 0 {
			best = i
		}
	}
	return best
}

// assignBy records who assigns: the router or an agent pulling a ticket.
const assignByAuto = "auto"

// claimAndRecord assigns a free ticket to agent in one conditional UPDATE
// and records the assignment on the timeline and in the audit log, as a
// manual assignment is; ErrConflict when someone else got it first.
func (s *Service) claimAndRecord(ctx context.Context, ticketID string, to Agent, by *Agent) (Ticket, Message, error) {
	var t Ticket
	var m Message
	err := s.store.Tx(ctx, func(tx Tx) error {
		now := s.now().UTC()
		var err error
		if t, err = tx.ClaimTicket(ctx, ticketID, to.ID, now); err != nil {
			return err
		}
		name, actor, author := assignByAuto, Actor{}, AuthorSystem
		if by != nil {
			name, actor, author = by.Name, Actor{Agent: by}, AuthorAgent
		}
		e := SystemEvent{Action: "assign", Args: map[string]string{"by": name, "to": to.Name, "employee_no": to.EmployeeNo}}
		m, err = s.recordEntry(ctx, tx, &t, actor, author, e, e.text(), now)
		return err
	})
	if err != nil {
		return Ticket{}, Message{}, fmt.Errorf("desk: assign ticket %s to %s: %w", ticketID, to.ID, err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	return t, m, nil
}

// recordEntry stores a system entry on t's timeline and in the audit log.
func (s *Service) recordEntry(ctx context.Context, tx Tx, t *Ticket, actor Actor, author AuthorKind, e SystemEvent, text string, now time.Time) (Message, error) {
	m := Message{ID: NewID(), TicketID: t.ID, Direction: DirSystem, AuthorKind: author, Channel: t.Channel,
		Text: text, Event: &e, CreatedAt: now}
	if actor.Agent != nil {
		m.AuthorID = actor.Agent.ID
	}
	if err := tx.InsertMessage(ctx, m); err != nil {
		return Message{}, err
	}
	t.LastSeq++
	m.Seq = t.LastSeq
	return m, s.audit(ctx, tx, actor, "ticket."+e.Action, t.ID, text)
}

// candidates lists the active agents of team with their settings and loads.
func (s *Service) candidates(ctx context.Context, teamID string) ([]Candidate, error) {
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := s.agentRoutingMap(ctx)
	if err != nil {
		return nil, err
	}
	loads, err := s.store.AgentLoads(ctx)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, a := range agents {
		if a.Active && slices.Contains(a.TeamIDs, teamID) {
			out = append(out, Candidate{Agent: a, Routing: routingOf(settings, a.ID), Load: loads[a.ID]})
		}
	}
	return out, nil
}

func (s *Service) agentRoutingMap(ctx context.Context) (map[string]AgentRouting, error) {
	list, err := s.store.AgentRoutings(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]AgentRouting, len(list))
	for _, r := range list {
		m[r.AgentID] = r
	}
	return m, nil
}

// pullScan bounds how many queued tickets one "next ticket" looks at.
const pullScan = 100

// NextTicket gives agent the most urgent, oldest open ticket of their teams
// that nobody works and that they can take (skills, capacity), claimed so
// that of any number of agents asking at once exactly one gets each ticket.
func (s *Service) NextTicket(ctx context.Context, a Agent) (Ticket, error) {
	if len(a.TeamIDs) == 0 {
		return Ticket{}, Errorf(CodeNotFound, "you are in no team, so no queue has tickets for you").Say("err.no_team")
	}
	settings, err := s.agentRoutingMap(ctx)
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: next ticket for %s: %w", a.ID, err)
	}
	loads, err := s.store.AgentLoads(ctx)
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: next ticket for %s: %w", a.ID, err)
	}
	me := Candidate{Agent: a, Routing: routingOf(settings, a.ID), Load: loads[a.ID]}
	if me.Load >= me.Routing.Capacity {
		return Ticket{}, Errorf(CodeConflict, "you already work %d tickets, your capacity is %d; resolve one first", me.Load, me.Routing.Capacity).Say(
			"err.capacity_full", "capacity", strconv.Itoa(me.Routing.Capacity))
	}
	queued, err := s.store.QueuedTickets(ctx, a.TeamIDs, pullScan)
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: next ticket for %s: %w", a.ID, err)
	}
	for _, t := range queued {
		if !me.canTake(t) {
			continue
		}
		got, _, err := s.claimAndRecord(ctx, t.ID, a, &a)
		if errors.Is(err, ErrAtCapacity) {
			// A parallel pull of the same agent took the last slot.
			return Ticket{}, Errorf(CodeConflict, "you already work as many tickets as your capacity, %d; resolve one first", me.Routing.Capacity).Say(
				"err.capacity_full", "capacity", strconv.Itoa(me.Routing.Capacity))
		}
		if errors.Is(err, ErrConflict) {
			continue // another agent was quicker: try the next one
		}
		if err != nil {
			return Ticket{}, err
		}
		s.NudgeRouting()
		return got, nil
	}
	return Ticket{}, Errorf(CodeNotFound, "no ticket is waiting in your teams' queues that you can take").Say("err.queue_empty")
}
