package redisq

import (
	"context"
	"fmt"
	"time"
)

type limiter Backend

func (l *limiter) key(key string) string { return l.cfg.prefix + "limit:" + key }

func (l *limiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || window <= 0 {
		return false, 0, invalid("allow %s: limit %d, window %v", key, limit, window)
	}
	res, err := allowScript.Run(ctx, l.rdb, []string{l.key(key)}, ms(window)).Int64Slice()
	if err != nil || len(res) != 2 {
		return false, 0, fmt.Errorf("redisq: allow %s: %w", key, err)
	}
	if res[0] <= int64(limit) {
		return true, 0, nil
	}
	return false, time.Duration(max(res[1], 1)) * time.Millisecond, nil
}

func (l *limiter) Reset(ctx context.Context, key string) error {
	if err := l.rdb.Del(ctx, l.key(key)).Err(); err != nil {
		return fmt.Errorf("redisq: reset %s: %w", key, err)
	}
	return nil
}
