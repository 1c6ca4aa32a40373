package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

type leases struct {
	b      *Backend
	mu     sync.Mutex
	leases map[string]lease
	sweep  sweeper
}

type lease struct {
	holder  string
	expires time.Time
}

func newLeases(b *Backend) *leases {
	return &leases{b: b, leases: map[string]lease{}}
}

func (l *leases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if ttl <= 0 || holder == "" {
		return false, invalid("acquire %s: holder %q, ttl %v", name, holder, ttl)
	}
	if err := l.b.check(ctx); err != nil {
		return false, fmt.Errorf("memory: acquire %s: %w", name, err)
	}
	now := l.b.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sweep.due(now) {
		for k, v := range l.leases {
			if !now.Before(v.expires) {
				delete(l.leases, k)
			}
		}
	}
	if cur, ok := l.leases[name]; ok && now.Before(cur.expires) && cur.holder != holder {
		return false, nil
	}
	l.leases[name] = lease{holder: holder, expires: now.Add(ttl)}
	return true, nil
}

func (l *leases) Release(ctx context.Context, name, holder string) error {
	if err := l.b.check(ctx); err != nil {
		return fmt.Errorf("memory: release %s: %w", name, err)
	}
	now := l.b.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	cur, ok := l.leases[name]
	switch {
	case !ok || !now.Before(cur.expires):
		delete(l.leases, name)
		return nil
	case cur.holder != holder:
		return fmt.Errorf("memory: release %s: %w", name, queue.ErrLeaseHeldByOther)
	}
	delete(l.leases, name)
	return nil
}
