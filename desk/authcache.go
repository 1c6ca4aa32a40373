package desk

import (
	"sync"
	"time"
)

// Every API request authenticates; without a cache that is two reads (the
// credential and its agent) before any work. Principals are kept briefly:
// a logout or an account change on this node takes effect at once, on
// other nodes within authCacheTTL.
const (
	authCacheTTL  = 5 * time.Second
	authCacheSize = 10000
)

type authEntry struct {
	p       Principal
	expires time.Time
}

type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry
}

func (c *authCache) get(key string, now time.Time) (Principal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || now.After(e.expires) {
		return Principal{}, false
	}
	return e.p, true
}

func (c *authCache) put(key string, p Principal, now time.Time) {
	expires := now.Add(authCacheTTL)
	if p.Session != nil && p.Session.ExpiresAt.Before(expires) {
		expires = p.Session.ExpiresAt
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= authCacheSize {
		// Dropping everything is crude but bounded, and the next request
		// of each caller refills its entry.
		c.m = make(map[string]authEntry)
	}
	c.m[key] = authEntry{p: p, expires: expires}
}

// forget drops one credential (logout) or, with key "", all of them (an
// account changed).
func (c *authCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == "" {
		c.m = nil
		return
	}
	delete(c.m, key)
}
