package webchat

import (
	"context"
	"time"
)

// Limiter counts attempts; the queue layer implements it.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}
