package webchat

import (
	"context"
	"sync"
	"time"
)

// Limiter counts attempts; the queue layer implements it.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// localLimiter is the in-process fixed-window limiter used when
// Options.Limiter is nil, and as a stand-in while the shared one fails:
// limits then hold per node instead of across nodes, which is better than
// none and never blocks a customer because Redis is down.
type localLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	windows map[string]localWindow
}

type localWindow struct {
	start time.Time
	count int
}

// maxLocalKeys bounds the map; expired windows are swept when it is full.
const maxLocalKeys = 100_000

func newLocalLimiter(now func() time.Time) *localLimiter {
	return &localLimiter{now: now, windows: map[string]localWindow{}}
}

func (l *localLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.windows[key]
	if !ok || now.Sub(w.start) >= window || now.Before(w.start) {
		if !ok && len(l.windows) >= maxLocalKeys {
			l.sweep(now, window)
		}
		w = localWindow{start: now}
	}
	if w.count >= limit {
		return false, w.start.Add(window).Sub(now), nil
	}
	w.count++
	l.windows[key] = w
	return true, 0, nil
}

// sweep drops expired windows; when all are live it drops everything,
// since forgetting counts is safer than growing without bound.
func (l *localLimiter) sweep(now time.Time, window time.Duration) {
	for k, w := range l.windows {
		if now.Sub(w.start) >= window {
			delete(l.windows, k)
		}
	}
	if len(l.windows) >= maxLocalKeys {
		clear(l.windows)
	}
}
