package memory

import (
	"container/heap"
	"context"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

// timers is a min-heap on (at, key) with an index so Schedule and Cancel
// can fix or remove an entry in O(log n).
type timers struct {
	b     *Backend
	mu    sync.Mutex
	h     timerHeap
	byKey map[string]*timerItem
}

type timerItem struct {
	key string
	at  int64 // unix milliseconds, like the Redis sorted set score
	i   int
}

type timerHeap []*timerItem

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].key < h[j].key
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].i = i
	h[j].i = j
}
func (h *timerHeap) Push(x any) {
	it := x.(*timerItem)
	it.i = len(*h)
	*h = append(*h, it)
}
func (h *timerHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return it
}

func newTimers(b *Backend) *timers {
	return &timers{b: b, byKey: map[string]*timerItem{}}
}

func (t *timers) Schedule(ctx context.Context, key string, at time.Time) error {
	if err := t.b.check(ctx); err != nil {
		return fmt.Errorf("memory: schedule %s: %w", key, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if it, ok := t.byKey[key]; ok {
		it.at = at.UnixMilli()
		heap.Fix(&t.h, it.i)
		return nil
	}
	it := &timerItem{key: key, at: at.UnixMilli()}
	heap.Push(&t.h, it)
	t.byKey[key] = it
	return nil
}

func (t *timers) Cancel(ctx context.Context, key string) error {
	if err := t.b.check(ctx); err != nil {
		return fmt.Errorf("memory: cancel %s: %w", key, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if it, ok := t.byKey[key]; ok {
		heap.Remove(&t.h, it.i)
		delete(t.byKey, key)
	}
	return nil
}

func (t *timers) ClaimDue(ctx context.Context, now time.Time, n int) ([]queue.Timer, error) {
	if n <= 0 {
		return nil, invalid("claim due: n %d", n)
	}
	if err := t.b.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: claim due: %w", err)
	}
	limit := now.UnixMilli()
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []queue.Timer
	for len(out) < n && len(t.h) > 0 && t.h[0].at <= limit {
		it := heap.Pop(&t.h).(*timerItem)
		delete(t.byKey, it.key)
		out = append(out, queue.Timer{Key: it.key, At: time.UnixMilli(it.at)})
	}
	return out, nil
}

func (t *timers) Len(ctx context.Context) (int64, error) {
	if err := t.b.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: timers len: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return int64(len(t.h)), nil
}
