package kb

import (
	"slices"
	"sync"
)

// cacheEntries bounds the result cache: a help centre's searches repeat
// (the widget asks again as the customer types, the top queries are a few
// hundred), and 2,048 answers of at most 50 hits are a few megabytes.
const cacheEntries = 2048

// cacheKey is a search as the index sees it: the query folded and put
// right, and everything else that changes the answer.
type cacheKey struct {
	text, locale, category string
	audience               Audience
	limit                  int
}

// resultCache keeps the hits of recent searches until the index or the
// synonyms change (clear). A search that began before a change must not
// store what it found afterwards: it stores only under the epoch it read.
type resultCache struct {
	mu    sync.Mutex
	epoch uint64
	m     map[cacheKey][]Hit
}

func (c *resultCache) get(k cacheKey) (hits []Hit, epoch uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hits, ok = c.m[k]
	return slices.Clone(hits), c.epoch, ok
}

func (c *resultCache) put(k cacheKey, epoch uint64, hits []Hit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if c.m == nil {
		c.m = map[cacheKey][]Hit{}
	}
	if len(c.m) >= cacheEntries {
		// Any entry will do: the cache is for repeats, which come back.
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[k] = slices.Clone(hits)
}

func (c *resultCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	clear(c.m)
}
