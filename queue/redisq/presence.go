package redisq

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"huiliu/queue"
)

// presenceSlack keeps presence keys a while past their last expiry: Redis
// TTLs only collect garbage here, and the slack absorbs clock skew between
// the nodes that judge expiry and Redis.
const presenceSlack = time.Minute

type presence Backend

func (p *presence) keys(agent string) []string {
	return []string{p.cfg.prefix + "presence:" + agent, p.cfg.prefix + "presence"}
}

func (p *presence) Heartbeat(ctx context.Context, agent, conn, state string, ttl time.Duration) error {
	if state != queue.Online && state != queue.Away {
		return invalid("heartbeat %s: state %q", agent, state)
	}
	if ttl <= 0 {
		return invalid("heartbeat %s: ttl %v", agent, ttl)
	}
	exp := p.cfg.now().Add(ttl).UnixMilli()
	err := heartbeatScript.Run(ctx, p.rdb, p.keys(agent), conn, state+"|"+strconv.FormatInt(exp, 10),
		exp, agent, ms(ttl+presenceSlack)).Err()
	if err != nil {
		return fmt.Errorf("redisq: heartbeat %s: %w", agent, err)
	}
	return nil
}

func (p *presence) Leave(ctx context.Context, agent, conn string) error {
	if err := leaveScript.Run(ctx, p.rdb, p.keys(agent), conn, agent).Err(); err != nil {
		return fmt.Errorf("redisq: leave %s: %w", agent, err)
	}
	return nil
}

func (p *presence) State(ctx context.Context, agent string) (string, error) {
	states, err := presenceStateScript.Run(ctx, p.rdb, p.keys(agent), p.cfg.now().UnixMilli(), agent).StringSlice()
	if err != nil {
		return "", fmt.Errorf("redisq: presence of %s: %w", agent, err)
	}
	return best(states), nil
}

func best(states []string) string {
	out := queue.Offline
	for _, s := range states {
		if s == queue.Online {
			return queue.Online
		}
		out = queue.Away
	}
	return out
}

func (p *presence) All(ctx context.Context) (map[string]string, error) {
	now := p.cfg.now().UnixMilli()
	index := p.cfg.prefix + "presence"
	// Agents whose latest expiry passed have nothing alive.
	if err := p.rdb.ZRemRangeByScore(ctx, index, "-inf", strconv.FormatInt(now, 10)).Err(); err != nil {
		return nil, fmt.Errorf("redisq: presence: %w", err)
	}
	agents, err := p.rdb.ZRange(ctx, index, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisq: presence: %w", err)
	}
	out := make(map[string]string, len(agents))
	for _, a := range agents {
		s, err := p.State(ctx, a)
		if err != nil {
			return nil, err
		}
		if s != queue.Offline {
			out[a] = s
		}
	}
	return out, nil
}
