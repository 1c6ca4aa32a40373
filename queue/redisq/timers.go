package redisq

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"huiliu/queue"
)

// timers is one sorted set scored by due time in unix milliseconds.
type timers struct {
	b    *Backend
	name string
	key  string
}

func (t *timers) Schedule(ctx context.Context, key string, at time.Time) error {
	err := t.b.rdb.ZAdd(ctx, t.key, redis.Z{Score: float64(at.UnixMilli()), Member: key}).Err()
	if err != nil {
		return fmt.Errorf("redisq: schedule %s/%s: %w", t.name, key, err)
	}
	return nil
}

func (t *timers) Cancel(ctx context.Context, key string) error {
	if err := t.b.rdb.ZRem(ctx, t.key, key).Err(); err != nil {
		return fmt.Errorf("redisq: cancel %s/%s: %w", t.name, key, err)
	}
	return nil
}

func (t *timers) ClaimDue(ctx context.Context, now time.Time, n int) ([]queue.Timer, error) {
	if n <= 0 {
		return nil, invalid("claim due %s: n %d", t.name, n)
	}
	res, err := claimDueScript.Run(ctx, t.b.rdb, []string{t.key}, now.UnixMilli(), n).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redisq: claim due %s: %w", t.name, err)
	}
	out := make([]queue.Timer, 0, len(res)/2)
	for i := 0; i+1 < len(res); i += 2 {
		score, err := strconv.ParseFloat(res[i+1], 64)
		if err != nil {
			return out, fmt.Errorf("redisq: claim due %s: score %q: %w", t.name, res[i+1], err)
		}
		out = append(out, queue.Timer{Key: res[i], At: time.UnixMilli(int64(score))})
	}
	return out, nil
}

func (t *timers) Len(ctx context.Context) (int64, error) {
	n, err := t.b.rdb.ZCard(ctx, t.key).Result()
	if err != nil {
		return 0, fmt.Errorf("redisq: timers %s len: %w", t.name, err)
	}
	return n, nil
}
