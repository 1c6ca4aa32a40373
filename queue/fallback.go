package queue

import (
	"context"
	"errors"
	"time"
)

// FallbackLimiter counts on shared (Redis, every node) and, whenever shared
// fails, on local (this node's memory). Limits then hold per node rather
// than per cluster for the length of the outage, which beats refusing
// everyone: agents can still sign in while Redis is down. onFallback, when
// not nil, hears each failure of shared (for a log line and a counter).
func FallbackLimiter(shared, local Limiter, onFallback func(error)) Limiter {
	return fallbackLimiter{shared: shared, local: local, onFallback: onFallback}
}

type fallbackLimiter struct {
	shared, local Limiter
	onFallback    func(error)
}

func (f fallbackLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	ok, retry, err := f.shared.Allow(ctx, key, limit, window)
	if err == nil || errors.Is(err, ErrInvalid) {
		return ok, retry, err
	}
	if f.onFallback != nil {
		f.onFallback(err)
	}
	return f.local.Allow(ctx, key, limit, window)
}

// Reset clears the key on both, so a count the node kept during an outage
// does not outlive a successful sign-in.
func (f fallbackLimiter) Reset(ctx context.Context, key string) error {
	lerr := f.local.Reset(ctx, key)
	if err := f.shared.Reset(ctx, key); err != nil {
		if f.onFallback != nil {
			f.onFallback(err)
		}
	}
	return lerr
}
