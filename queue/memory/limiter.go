package memory

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type limiter struct {
	b       *Backend
	mu      sync.Mutex
	windows map[string]*window
	sweep   sweeper
}

type window struct {
	hits int
	ends time.Time
}

func newLimiter(b *Backend) *limiter {
	return &limiter{b: b, windows: map[string]*window{}}
}

func (l *limiter) Allow(ctx context.Context, key string, limit int, win time.Duration) (bool, time.Duration, error) {
	if limit <= 0 || win <= 0 {
		return false, 0, invalid("allow %s: limit %d, window %v", key, limit, win)
	}
	if err := l.b.check(ctx); err != nil {
		return false, 0, fmt.Errorf("memory: allow %s: %w", key, err)
	}
	now := l.b.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sweep.due(now) {
		for k, w := range l.windows {
			if !now.Before(w.ends) {
				delete(l.windows, k)
			}
		}
	}
	w, ok := l.windows[key]
	if !ok || !now.Before(w.ends) {
		w = &window{ends: now.Add(win)}
		l.windows[key] = w
	}
	w.hits++
	if w.hits <= limit {
		return true, 0, nil
	}
	return false, w.ends.Sub(now), nil
}

func (l *limiter) Reset(ctx context.Context, key string) error {
	if err := l.b.check(ctx); err != nil {
		return fmt.Errorf("memory: reset %s: %w", key, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.windows, key)
	return nil
}
