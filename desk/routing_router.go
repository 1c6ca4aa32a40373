package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"huiliu/channels"
)

// PresenceStore is what routing needs of queue.Presence.
type PresenceStore interface {
	Heartbeat(ctx context.Context, agent, conn, state string, ttl time.Duration) error
	Leave(ctx context.Context, agent, conn string) error
	State(ctx context.Context, agent string) (string, error)
	All(ctx context.Context) (map[string]string, error)
}

// Leaser gives one node at a time a role; queue.Leases implements it.
type Leaser interface {
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, name, holder string) error
}

// Presence states (the same words as the queue layer's).
const (
	PresenceOnline  = "online"
	PresenceAway    = "away"
	PresenceOffline = "offline"
)

// Router routes new tickets by the rules, assigns tickets of auto teams to
// present agents, and puts tickets whose assignee left or went silent back
// in their team's queue. Its state is the SQL record plus presence; a
// restarted node or a lost Redis only delays it.
type Router struct {
	s        *Service
	presence PresenceStore
	leases   Leaser
	holder   string
	log      *slog.Logger
	rules    ruleCache
	wake     chan struct{}

	mu           sync.Mutex
	offlineSince map[string]time.Time
}

// RouterOptions configures a Router.
type RouterOptions struct {
	Presence PresenceStore
	Leases   Leaser
	// Holder names this node for the lease (a random id by default).
	Holder string
}

// Router timings.
const (
	// routingEvery is how often the worker looks even without a nudge.
	routingEvery = 3 * time.Second
	routingLease = 15 * time.Second
	// routingMinGap is the least time between two rounds of one node.
	routingMinGap = 500 * time.Millisecond
	// OfflineGrace is how long an assignee may be offline before their
	// tickets go back to the queue: a page reload or a node restart must
	// not take an agent's work away.
	OfflineGrace = time.Minute
	// assignBatch bounds the tickets one team's round assigns.
	assignBatch = 200
)

const routingLeaseName = "routing:assign"

// NewRouter builds the router. List it in Options.Observers: the service
// it is bound to routes new tickets with its rules, and commits nudge it.
func NewRouter(o RouterOptions) *Router {
	if o.Holder == "" {
		o.Holder = NewID()
	}
	return &Router{presence: o.Presence, leases: o.Leases, holder: o.Holder,
		wake: make(chan struct{}, 1), offlineSince: map[string]time.Time{}}
}

func (r *Router) bindService(s *Service) { r.s, r.log, s.router = s, s.log, r }

// AfterCommit asks for a round when a commit may have made work: a new
// ticket, or a change (a transfer, an unassignment, a hand-off from the
// bot) that put a ticket in a queue.
func (r *Router) AfterCommit(_ context.Context, c Change) error {
	if c.NewTicket || c.Kind == ChangeChanged {
		r.nudge()
	}
	return nil
}

func (r *Router) nudge() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// NudgeRouting asks the router for a round soon (a freed slot, an agent
// who came online).
func (s *Service) NudgeRouting() {
	if s.router != nil {
		s.router.nudge()
	}
}

// Run works the queues until ctx ends: on every nudge and every few
// seconds, on the node that holds the routing lease.
func (r *Router) Run(ctx context.Context) {
	tick := time.NewTicker(routingEvery)
	defer tick.Stop()
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = r.leases.Release(ctx, routingLeaseName, r.holder)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.wake:
		}
		ok, err := r.leases.Acquire(ctx, routingLeaseName, r.holder, routingLease)
		if err != nil {
			r.log.Warn("routing: lease", "err", err)
			continue
		}
		if !ok {
			continue // another node routes
		}
		if err := r.Round(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("routing: round", "err", err)
		}
		// Nudges come with every desk event; a short pause makes a busy
		// desk's nudges one round instead of one each.
		select {
		case <-ctx.Done():
			return
		case <-time.After(routingMinGap):
		}
	}
}

// Round runs one pass: tickets back to the queue first, so the assignment
// that follows can hand them to someone present.
func (r *Router) Round(ctx context.Context) error {
	teams, err := r.s.store.TeamRoutings(ctx)
	if err != nil {
		return fmt.Errorf("routing: teams: %w", err)
	}
	states, err := r.presence.All(ctx)
	if err != nil {
		return fmt.Errorf("routing: presence: %w", err)
	}
	now := r.s.now()
	r.trackOffline(states, now)
	var errs []error
	for _, tm := range teams {
		if tm.Mode == ModeAuto || tm.ReassignAfter > 0 {
			errs = append(errs, r.requeueTeam(ctx, tm, states, now))
		}
	}
	for _, tm := range teams {
		if tm.Mode == ModeAuto {
			errs = append(errs, r.assignTeam(ctx, tm.TeamID, states))
		}
	}
	return errors.Join(errs...)
}

// trackOffline remembers since when each agent seen before is gone, so
// OfflineGrace can be counted; an agent present again is forgotten.
func (r *Router) trackOffline(states map[string]string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range r.offlineSince {
		if st, ok := states[id]; ok && st != PresenceOffline {
			delete(r.offlineSince, id)
		}
	}
}

// offlineFor says how long agentID has been seen offline by this router.
func (r *Router) offlineFor(agentID string, states map[string]string, now time.Time) time.Duration {
	if st, ok := states[agentID]; ok && st != PresenceOffline {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	since, ok := r.offlineSince[agentID]
	if !ok {
		r.offlineSince[agentID] = now
		return 0
	}
	return now.Sub(since)
}

// assignTeam hands the team's queued tickets to its online agents.
func (r *Router) assignTeam(ctx context.Context, teamID string, states map[string]string) error {
	queued, err := r.s.store.QueuedTickets(ctx, []string{teamID}, assignBatch)
	if err != nil || len(queued) == 0 {
		return err
	}
	all, err := r.s.candidates(ctx, teamID)
	if err != nil {
		return fmt.Errorf("routing: candidates of %s: %w", teamID, err)
	}
	cands := slices.DeleteFunc(all, func(c Candidate) bool {
		return states[c.Agent.ID] != PresenceOnline || (c.Agent.Role.AtLeast(RoleSupervisor) && !c.Routing.AutoAssign)
	})
	for _, t := range queued {
		i := PickAgent(cands, t)
		if i < 0 {
			continue // nobody can take this one; a later one may fit someone
		}
		_, _, err := r.s.claimAndRecord(ctx, t.ID, cands[i].Agent, nil)
		if errors.Is(err, ErrAtCapacity) {
			cands[i].Load = cands[i].Routing.Capacity // pulls filled them meanwhile
			continue
		}
		if errors.Is(err, ErrConflict) {
			continue // taken by a pull meanwhile
		}
		if err != nil {
			return err
		}
		cands[i].Load++
		cands[i].Routing.LastAssignedAt = r.s.now()
	}
	return nil
}

// Requeue reasons.
const (
	RequeueOffline = "offline"
	RequeueSilent  = "silent"
)

func (r *Router) requeueTeam(ctx context.Context, tm TeamRouting, states map[string]string, now time.Time) error {
	list, err := r.s.store.AssignedTickets(ctx, tm.TeamID, assignBatch)
	if err != nil {
		return fmt.Errorf("routing: assigned tickets of %s: %w", tm.TeamID, err)
	}
	for _, at := range list {
		reason := requeueReason(at, tm, r.offlineFor(at.AssigneeID, states, now), now)
		if reason == "" {
			continue
		}
		if err := r.s.requeue(ctx, at.Ticket, reason); err != nil && !errors.Is(err, ErrConflict) {
			return err
		}
	}
	return nil
}

// requeueReason says why a worked ticket goes back to the queue, or "".
// Silence is counted from the customer's unanswered message or the
// assignment, whichever came later; only open tickets wait on the desk.
func requeueReason(at AssignedTicket, tm TeamRouting, offline time.Duration, now time.Time) string {
	if offline >= OfflineGrace {
		return RequeueOffline
	}
	if tm.ReassignAfter <= 0 || at.Status != StatusOpen || at.WaitingSince.IsZero() {
		return ""
	}
	since := at.WaitingSince
	if at.AssignedAt.After(since) {
		since = at.AssignedAt
	}
	if now.Sub(since) >= tm.ReassignAfter {
		return RequeueSilent
	}
	return ""
}

// requeue unassigns t from its assignee; the owner stays and sees the
// entry live.
func (s *Service) requeue(ctx context.Context, t Ticket, reason string) error {
	from := t.AssigneeID
	name := from
	if a, err := s.store.Agent(ctx, from); err == nil {
		name = a.Name
	}
	var m Message
	err := s.store.Tx(ctx, func(tx Tx) error {
		now := s.now().UTC()
		var err error
		if t, err = tx.ReleaseTicket(ctx, t.ID, from, now); err != nil {
			return err
		}
		// One action per reason, so desks translate each as a whole.
		e := SystemEvent{Action: "requeue_" + reason, Args: map[string]string{"by": assignByAuto, "from": name, "reason": reason}}
		m, err = s.recordEntry(ctx, tx, &t, Actor{}, AuthorSystem, e, requeueText(name, reason), now)
		return err
	})
	if err != nil {
		return fmt.Errorf("desk: requeue ticket %s: %w", t.ID, err)
	}
	// The owner sees the entry live: the event names them.
	s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	return nil
}

func requeueText(from, reason string) string {
	if reason == RequeueOffline {
		return fmt.Sprintf("back to the queue: %s went offline", from)
	}
	return fmt.Sprintf("back to the queue: %s did not answer the customer in time", from)
}

// routeNew sets a new ticket's language and, by the rules, its team,
// category and priority, inside the transaction that creates it. A rule
// failure leaves the ticket unrouted rather than losing the message.
func (s *Service) routeNew(ctx context.Context, tx Tx, t *Ticket, text string, ids []Identity) {
	t.Language = DetectLanguage(text)
	if s.router == nil {
		return
	}
	now := s.now()
	rules, def, err := s.router.rules.get(ctx, s.store, now)
	if err != nil {
		s.log.Error("routing: rules", "err", err)
		return
	}
	in := RouteInput{Channel: t.Channel, Language: t.Language, Category: t.Category, Text: text, At: now}
	if slices.ContainsFunc(rules, func(r RoutingRule) bool { return r.Enabled && len(r.Conditions.Segments) > 0 }) {
		if in.Segments, err = tx.SegmentsOf(ctx, ids); err != nil {
			s.log.Error("routing: segments", "ticket", t.ID, "err", err)
		}
	}
	res := EvaluateRules(rules, def, in)
	t.TeamID = res.TeamID
	if res.Category != "" {
		t.Category = res.Category
	}
	if res.Priority != "" {
		t.Priority = res.Priority
	}
}

// partyIdentities turns the identities a sender proved into the form a
// segment lookup takes.
func partyIdentities(ps []channels.Party) []Identity {
	out := make([]Identity, len(ps))
	for i, p := range ps {
		out[i] = Identity{Kind: p.Kind, Value: p.Value}
	}
	return out
}
