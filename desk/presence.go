package desk

import (
	"context"
	"sync"
	"time"
)

// Presence timings of a desk connection.
const (
	// AwayAfter without input on the page makes an agent away: present
	// but not given new tickets.
	AwayAfter = 5 * time.Minute
	// PresenceTTL is how long one heartbeat keeps a connection alive; a
	// node that dies stops beating and its agents go offline after it.
	PresenceTTL = time.Minute
	// HeartbeatEvery is how often a connection beats, well inside the TTL.
	HeartbeatEvery = 20 * time.Second
)

// PresenceFor is an agent's state after their last input on a page.
func PresenceFor(lastActivity, now time.Time) string {
	if now.Sub(lastActivity) >= AwayAfter {
		return PresenceAway
	}
	return PresenceOnline
}

// DeskConn is one open desk page's presence: it beats while the page is
// connected, online while the agent uses it, away after AwayAfter idle.
type DeskConn struct {
	r       *Router
	agentID string
	conn    string

	mu       sync.Mutex
	activity time.Time
	state    string
}

// DeskConnected records that agent opened a desk page; nil when the desk
// has no router (then the page's presence is not tracked).
func (s *Service) DeskConnected(ctx context.Context, agentID string) *DeskConn {
	if s.router == nil {
		return nil
	}
	c := &DeskConn{r: s.router, agentID: agentID, conn: NewID(), activity: s.now()}
	c.Beat(ctx)
	return c
}

// Activity records input on the page; an agent back from away is online
// at once rather than at the next beat.
func (c *DeskConn) Activity(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.activity = c.r.s.now()
	away := c.state != PresenceOnline
	c.mu.Unlock()
	if away {
		c.Beat(ctx)
	}
}

// Beat renews the connection in its current state. Becoming online nudges
// the router: the agent may take waiting tickets now.
func (c *DeskConn) Beat(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	state := PresenceFor(c.activity, c.r.s.now())
	changed := state != c.state
	c.state = state
	c.mu.Unlock()
	if err := c.r.presence.Heartbeat(ctx, c.agentID, c.conn, state, PresenceTTL); err != nil {
		c.r.log.Warn("presence: heartbeat", "agent", c.agentID, "err", err)
		return
	}
	if changed && state == PresenceOnline {
		c.r.s.NudgeRouting()
	}
}

// Close forgets the connection at once; with it gone the agent may be
// offline, which the router notices.
func (c *DeskConn) Close(ctx context.Context) {
	if c == nil {
		return
	}
	if err := c.r.presence.Leave(ctx, c.agentID, c.conn); err != nil {
		c.r.log.Warn("presence: leave", "agent", c.agentID, "err", err)
	}
	c.r.s.NudgeRouting()
}
