package queuetest

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func (s *suite) timers(t *testing.T) {
	t.Run("ScheduleCancelClaim", s.timersBasic)
	t.Run("ConcurrentClaimers", s.timersConcurrent)
}

func (s *suite) timersBasic(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	tm := in.Backend.Timers("sla")
	base := time.UnixMilli(1_900_000_000_000)
	at := func(sec float64) time.Time { return base.Add(time.Duration(sec * float64(time.Second))) }
	for key, sec := range map[string]float64{"a": 3, "b": 1, "c": 2, "d": 10, "e": 1.5} {
		if err := tm.Schedule(ctx, key, at(sec)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tm.Schedule(ctx, "a", at(0.5)); err != nil { // replaces 3 s
		t.Fatal(err)
	}
	if err := tm.Cancel(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if err := tm.Cancel(ctx, "never"); err != nil {
		t.Fatalf("Cancel of an unknown key: %v", err)
	}
	if n, err := tm.Len(ctx); err != nil || n != 4 {
		t.Fatalf("Len = %d, %v; want 4", n, err)
	}
	// Other sets are separate.
	if n, err := in.Backend.Timers("other").Len(ctx); err != nil || n != 0 {
		t.Fatalf("other set Len = %d, %v", n, err)
	}
	if got, err := tm.ClaimDue(ctx, at(0.4), 10); err != nil || len(got) != 0 {
		t.Fatalf("nothing due yet, got %v, %v", got, err)
	}
	got, err := tm.ClaimDue(ctx, at(1.5), 2) // a, b, e are due; ask for two
	if err != nil || len(got) != 2 {
		t.Fatalf("ClaimDue = %v, %v", got, err)
	}
	if got[0].Key != "a" || !got[0].At.Equal(at(0.5)) || got[1].Key != "b" || !got[1].At.Equal(at(1)) {
		t.Fatalf("ClaimDue = %v, want a@0.5s then b@1s", got)
	}
	got, err = tm.ClaimDue(ctx, at(5), 10)
	if err != nil || len(got) != 1 || got[0].Key != "e" || !got[0].At.Equal(at(1.5)) {
		t.Fatalf("ClaimDue = %v, %v; want only e (inclusive of now)", got, err)
	}
	if got, err := tm.ClaimDue(ctx, at(5), 10); err != nil || len(got) != 0 {
		t.Fatalf("claimed twice: %v, %v", got, err)
	}
	if n, err := tm.Len(ctx); err != nil || n != 1 {
		t.Fatalf("Len = %d, %v; want 1 (d)", n, err)
	}
	// Rescheduling a claimed key arms it again.
	if err := tm.Schedule(ctx, "a", at(6)); err != nil {
		t.Fatal(err)
	}
	got, err = tm.ClaimDue(ctx, at(20), 10)
	if err != nil || len(got) != 2 || got[0].Key != "a" || got[1].Key != "d" {
		t.Fatalf("ClaimDue = %v, %v; want a then d", got, err)
	}
	if _, err := tm.ClaimDue(ctx, at(20), 0); err == nil {
		t.Fatal("ClaimDue n=0 accepted")
	}
}

func (s *suite) timersConcurrent(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	tm := in.Backend.Timers("sla")
	const timers, claimers = 2000, 50
	base := time.UnixMilli(1_900_000_000_000)
	for i := range timers {
		if err := tm.Schedule(ctx, fmt.Sprint("t", i), base.Add(time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	// A few not yet due must stay.
	for i := range 5 {
		if err := tm.Schedule(ctx, fmt.Sprint("later", i), base.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	now := base.Add(timers * time.Millisecond)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	errs := make(chan error, claimers)
	for range claimers {
		wg.Go(func() {
			for {
				got, err := tm.ClaimDue(ctx, now, 7)
				if err != nil {
					errs <- err
					return
				}
				if len(got) == 0 {
					return
				}
				for i := 1; i < len(got); i++ {
					if got[i].At.Before(got[i-1].At) {
						errs <- fmt.Errorf("batch out of order: %v", got)
						return
					}
				}
				mu.Lock()
				for _, tr := range got {
					seen[tr.Key]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != timers {
		t.Fatalf("%d distinct timers claimed, want %d", len(seen), timers)
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("timer %s claimed %d times", k, n)
		}
	}
	if n, err := tm.Len(ctx); err != nil || n != 5 {
		t.Fatalf("Len = %d, %v; want the 5 not due", n, err)
	}
}
