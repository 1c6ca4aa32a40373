package memory

import (
	"context"
	"crypto/subtle"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

type codes struct {
	b     *Backend
	mu    sync.Mutex
	codes map[string]*code
	sweep sweeper
}

type code struct {
	code    []byte // nil once attempts ran out (kept until expiry to say so)
	left    int
	expires time.Time
}

func newCodes(b *Backend) *codes {
	return &codes{b: b, codes: map[string]*code{}}
}

func (c *codes) Issue(ctx context.Context, key, value string, ttl time.Duration, maxAttempts int) error {
	if ttl <= 0 || maxAttempts <= 0 {
		return invalid("issue code %s: ttl %v, attempts %d", key, ttl, maxAttempts)
	}
	if err := c.b.check(ctx); err != nil {
		return fmt.Errorf("memory: issue code %s: %w", key, err)
	}
	now := c.b.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sweep.due(now) {
		for k, v := range c.codes {
			if !now.Before(v.expires) {
				delete(c.codes, k)
			}
		}
	}
	c.codes[key] = &code{code: []byte(value), left: maxAttempts, expires: now.Add(ttl)}
	return nil
}

func (c *codes) Check(ctx context.Context, key, value string) (bool, error) {
	if err := c.b.check(ctx); err != nil {
		return false, fmt.Errorf("memory: check code %s: %w", key, err)
	}
	now := c.b.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.codes[key]
	if ok && !now.Before(v.expires) {
		delete(c.codes, key)
		ok = false
	}
	switch {
	case !ok:
		return false, queue.ErrCodeExpired
	case v.left <= 0:
		return false, queue.ErrTooManyAttempts
	case subtle.ConstantTimeCompare(v.code, []byte(value)) == 1:
		delete(c.codes, key)
		return true, nil
	}
	v.left--
	if v.left <= 0 {
		v.code = nil
	}
	return false, nil
}
