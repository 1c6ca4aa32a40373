package queuetest

import (
	"errors"
	"testing"

	"huiliu/queue"
)

func (s *suite) leases(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	l := in.Backend.Leases()
	ttl := 3 * s.unit
	acquire := func(holder string, want bool) {
		t.Helper()
		if ok, err := l.Acquire(ctx, "poll bot 1", holder, ttl); err != nil || ok != want {
			t.Fatalf("Acquire by %s = %v, %v; want %v", holder, ok, err, want)
		}
	}
	acquire("n1", true)
	acquire("n2", false)
	acquire("n1", true) // renewal
	// Renewals keep it past the first ttl.
	in.Advance(2 * s.unit)
	acquire("n1", true)
	in.Advance(2 * s.unit)
	acquire("n2", false)
	if err := l.Release(ctx, "poll bot 1", "n2"); !errors.Is(err, queue.ErrLeaseHeldByOther) {
		t.Fatalf("Release by non-holder: %v, want ErrLeaseHeldByOther", err)
	}
	acquire("n2", false) // still n1's
	if err := l.Release(ctx, "poll bot 1", "n1"); err != nil {
		t.Fatal(err)
	}
	acquire("n2", true)
	if err := l.Release(ctx, "poll bot 1", "n1"); !errors.Is(err, queue.ErrLeaseHeldByOther) {
		t.Fatalf("stale Release: %v, want ErrLeaseHeldByOther", err)
	}
	// Without renewal the lease lapses and another holder takes over.
	in.Advance(ttl + s.unit/2)
	acquire("n1", true)
	acquire("n2", false)
	if err := l.Release(ctx, "free", "n1"); err != nil {
		t.Fatalf("Release of a free lease: %v", err)
	}
	if ok, err := l.Acquire(ctx, "other", "n2", ttl); err != nil || !ok {
		t.Fatalf("names are independent: %v, %v", ok, err)
	}
}
