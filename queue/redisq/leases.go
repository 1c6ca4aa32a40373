package redisq

import (
	"context"
	"fmt"
	"time"

	"huiliu/queue"
)

type leases Backend

func (l *leases) key(name string) string { return l.cfg.prefix + "lease:" + name }

func (l *leases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if ttl <= 0 || holder == "" {
		return false, invalid("acquire %s: holder %q, ttl %v", name, holder, ttl)
	}
	r, err := acquireScript.Run(ctx, l.rdb, []string{l.key(name)}, holder, ms(ttl)).Int()
	if err != nil {
		return false, fmt.Errorf("redisq: acquire %s: %w", name, err)
	}
	return r == 1, nil
}

func (l *leases) Release(ctx context.Context, name, holder string) error {
	r, err := releaseScript.Run(ctx, l.rdb, []string{l.key(name)}, holder).Int()
	if err != nil {
		return fmt.Errorf("redisq: release %s: %w", name, err)
	}
	if r < 0 {
		return fmt.Errorf("redisq: release %s: %w", name, queue.ErrLeaseHeldByOther)
	}
	return nil
}
