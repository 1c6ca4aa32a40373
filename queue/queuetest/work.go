package queuetest

import (
	"fmt"
	"sync"
	"testing"
)

func (s *suite) work(t *testing.T) {
	t.Run("ClaimAck", s.workClaimAck)
	t.Run("Reclaim", s.workReclaim)
	t.Run("ConsumersExclusive", s.workExclusive)
}

func (s *suite) workClaimAck(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	w := in.Backend.Work()
	vis := 3 * s.unit
	if jobs, err := w.Claim(ctx, "q", "c1", 5, vis); err != nil || len(jobs) != 0 {
		t.Fatalf("Claim on empty queue = %v, %v", jobs, err)
	}
	var ids []string
	for i := range 3 {
		id, err := w.Push(ctx, "q", fmt.Appendf(nil, "job%d", i))
		if err != nil || id == "" {
			t.Fatalf("Push = %q, %v", id, err)
		}
		ids = append(ids, id)
	}
	got, err := w.Claim(ctx, "q", "c1", 2, vis)
	if err != nil || len(got) != 2 {
		t.Fatalf("Claim 2 = %v, %v", got, err)
	}
	for i, j := range got {
		if j.ID != ids[i] || string(j.Data) != fmt.Sprintf("job%d", i) || j.Attempts != 1 {
			t.Fatalf("job %d = %+v, want id %s job%d attempt 1", i, j, ids[i], i)
		}
	}
	rest, err := w.Claim(ctx, "q", "c2", 5, vis)
	if err != nil || len(rest) != 1 || rest[0].ID != ids[2] || rest[0].Attempts != 1 {
		t.Fatalf("second consumer got %+v, %v; want only %s", rest, err, ids[2])
	}
	if more, err := w.Claim(ctx, "q", "c3", 5, vis); err != nil || len(more) != 0 {
		t.Fatalf("everything is claimed, yet got %+v, %v", more, err)
	}
	for _, id := range ids {
		if err := w.Ack(ctx, "q", id); err != nil {
			t.Fatalf("Ack %s: %v", id, err)
		}
	}
	if err := w.Ack(ctx, "q", ids[0]); err != nil {
		t.Fatalf("second Ack: %v", err)
	}
	in.Advance(vis + s.unit/2)
	if again, err := w.Claim(ctx, "q", "c1", 5, vis); err != nil || len(again) != 0 {
		t.Fatalf("acked jobs came back: %+v, %v", again, err)
	}
	// Queues are independent.
	if _, err := w.Push(ctx, "other", []byte("o")); err != nil {
		t.Fatal(err)
	}
	if jobs, err := w.Claim(ctx, "q", "c1", 5, vis); err != nil || len(jobs) != 0 {
		t.Fatalf("queue q got %+v from queue other, %v", jobs, err)
	}
	if _, err := w.Claim(ctx, "q", "c1", 0, vis); err == nil {
		t.Fatal("Claim n=0 accepted")
	}
	if _, err := w.Claim(ctx, "q", "c1", 1, 0); err == nil {
		t.Fatal("Claim with zero visibility accepted")
	}
}

func (s *suite) workReclaim(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	w := in.Backend.Work()
	vis := s.unit
	id, err := w.Push(ctx, "q", []byte("once"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.Claim(ctx, "q", "c1", 1, vis)
	if err != nil || len(first) != 1 || first[0].Attempts != 1 {
		t.Fatalf("first Claim = %+v, %v", first, err)
	}
	if hidden, err := w.Claim(ctx, "q", "c2", 1, vis); err != nil || len(hidden) != 0 {
		t.Fatalf("job not hidden while claimed: %+v, %v", hidden, err)
	}
	in.Advance(vis + vis/2)
	again, err := w.Claim(ctx, "q", "c2", 1, vis)
	if err != nil || len(again) != 1 {
		t.Fatalf("job not reclaimable after visibility: %+v, %v", again, err)
	}
	if again[0].ID != id || again[0].Attempts != 2 || string(again[0].Data) != "once" {
		t.Fatalf("reclaimed %+v, want %s attempt 2", again[0], id)
	}
	if hidden, err := w.Claim(ctx, "q", "c1", 1, vis); err != nil || len(hidden) != 0 {
		t.Fatalf("reclaimed job not hidden again: %+v, %v", hidden, err)
	}
	if err := w.Ack(ctx, "q", id); err != nil {
		t.Fatal(err)
	}
	in.Advance(2 * vis)
	if gone, err := w.Claim(ctx, "q", "c1", 1, vis); err != nil || len(gone) != 0 {
		t.Fatalf("acked job came back: %+v, %v", gone, err)
	}
}

func (s *suite) workExclusive(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	w := in.Backend.Work()
	const jobs, consumers = 300, 8
	for i := range jobs {
		if _, err := w.Push(ctx, "q", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, consumers)
	for c := range consumers {
		wg.Go(func() {
			for {
				// A visibility far beyond the test: nothing may come back.
				got, err := w.Claim(ctx, "q", fmt.Sprint("c", c), 4, 1000*s.unit)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				for _, j := range got {
					mu.Lock()
					seen[j.ID]++
					mu.Unlock()
					if err := w.Ack(ctx, "q", j.ID); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != jobs {
		t.Fatalf("%d distinct jobs claimed, want %d", len(seen), jobs)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("job %s claimed %d times", id, n)
		}
	}
}
