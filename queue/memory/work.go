package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"huiliu/queue"
)

type workQueues struct {
	b      *Backend
	mu     sync.Mutex
	queues map[string]*workQueue
	nextID uint64
}

type job struct {
	id        string
	n         uint64 // push order
	data      []byte
	attempts  int
	claimedAt time.Time
	claimed   bool
	acked     bool
}

type workQueue struct {
	jobs  map[string]*job
	ready []*job // never-claimed jobs in push order; acked ones are skipped
}

func newWorkQueues(b *Backend) *workQueues {
	return &workQueues{b: b, queues: map[string]*workQueue{}}
}

func (w *workQueues) Push(ctx context.Context, name string, data []byte) (string, error) {
	if err := w.b.check(ctx); err != nil {
		return "", fmt.Errorf("memory: push %s: %w", name, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	q, ok := w.queues[name]
	if !ok {
		q = &workQueue{jobs: map[string]*job{}}
		w.queues[name] = q
	}
	w.nextID++
	j := &job{id: strconv.FormatUint(w.nextID, 10), n: w.nextID, data: append([]byte(nil), data...)}
	q.jobs[j.id] = j
	q.ready = append(q.ready, j)
	return j.id, nil
}

func (w *workQueues) Claim(ctx context.Context, name, consumer string, n int, visibility time.Duration) ([]queue.Job, error) {
	if n <= 0 || visibility <= 0 {
		return nil, invalid("claim %s: n %d, visibility %v", name, n, visibility)
	}
	if err := w.b.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: claim %s: %w", name, err)
	}
	now := w.b.now()
	w.mu.Lock()
	defer w.mu.Unlock()
	q, ok := w.queues[name]
	if !ok {
		return nil, nil
	}
	// Overdue jobs first, like XAUTOCLAIM before XREADGROUP in redisq.
	var picked []*job
	for _, j := range q.jobs {
		if j.claimed && now.Sub(j.claimedAt) >= visibility {
			picked = append(picked, j)
		}
	}
	slices.SortFunc(picked, func(a, b *job) int { return cmp.Compare(a.n, b.n) })
	if len(picked) > n {
		picked = picked[:n]
	}
	for len(picked) < n && len(q.ready) > 0 {
		j := q.ready[0]
		q.ready[0] = nil
		q.ready = q.ready[1:]
		if !j.acked {
			picked = append(picked, j)
		}
	}
	out := make([]queue.Job, 0, len(picked))
	for _, j := range picked {
		j.claimed = true
		j.claimedAt = now
		j.attempts++
		out = append(out, queue.Job{ID: j.id, Data: append([]byte(nil), j.data...), Attempts: j.attempts})
	}
	return out, nil
}

func (w *workQueues) Ack(ctx context.Context, name, id string) error {
	if err := w.b.check(ctx); err != nil {
		return fmt.Errorf("memory: ack %s %s: %w", name, id, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	q, ok := w.queues[name]
	if !ok {
		return nil
	}
	if j, ok := q.jobs[id]; ok {
		j.acked = true
		delete(q.jobs, id)
	}
	if len(q.jobs) == 0 {
		delete(w.queues, name)
	}
	return nil
}
