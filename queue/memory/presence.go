package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

type presence struct {
	b      *Backend
	mu     sync.Mutex
	agents map[string]map[string]conn // agent -> conn -> state
	sweep  sweeper
}

type conn struct {
	state   string
	expires time.Time
}

func newPresence(b *Backend) *presence {
	return &presence{b: b, agents: map[string]map[string]conn{}}
}

func (p *presence) Heartbeat(ctx context.Context, agent, c, state string, ttl time.Duration) error {
	if state != queue.Online && state != queue.Away {
		return invalid("heartbeat %s: state %q", agent, state)
	}
	if ttl <= 0 {
		return invalid("heartbeat %s: ttl %v", agent, ttl)
	}
	if err := p.b.check(ctx); err != nil {
		return fmt.Errorf("memory: heartbeat %s: %w", agent, err)
	}
	now := p.b.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sweep.due(now) {
		for a := range p.agents {
			p.prune(a, now)
		}
	}
	conns, ok := p.agents[agent]
	if !ok {
		conns = map[string]conn{}
		p.agents[agent] = conns
	}
	conns[c] = conn{state: state, expires: now.Add(ttl)}
	return nil
}

func (p *presence) Leave(ctx context.Context, agent, c string) error {
	if err := p.b.check(ctx); err != nil {
		return fmt.Errorf("memory: leave %s: %w", agent, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if conns, ok := p.agents[agent]; ok {
		delete(conns, c)
		if len(conns) == 0 {
			delete(p.agents, agent)
		}
	}
	return nil
}

// prune drops expired conns of agent and returns its state; p.mu is held.
func (p *presence) prune(agent string, now time.Time) string {
	state := queue.Offline
	conns := p.agents[agent]
	for id, c := range conns {
		switch {
		case !now.Before(c.expires):
			delete(conns, id)
		case c.state == queue.Online:
			state = queue.Online
		case state == queue.Offline:
			state = queue.Away
		}
	}
	if len(conns) == 0 {
		delete(p.agents, agent)
	}
	return state
}

func (p *presence) State(ctx context.Context, agent string) (string, error) {
	if err := p.b.check(ctx); err != nil {
		return "", fmt.Errorf("memory: presence of %s: %w", agent, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.prune(agent, p.b.now()), nil
}

func (p *presence) All(ctx context.Context) (map[string]string, error) {
	if err := p.b.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: presence: %w", err)
	}
	now := p.b.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]string{}
	for a := range p.agents {
		if s := p.prune(a, now); s != queue.Offline {
			out[a] = s
		}
	}
	return out, nil
}
