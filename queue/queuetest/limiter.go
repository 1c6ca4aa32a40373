package queuetest

import (
	"testing"
)

func (s *suite) limiter(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	l := in.Backend.Limiter()
	window := 5 * s.unit
	for i := range 3 {
		ok, retry, err := l.Allow(ctx, "ip:1", 3, window)
		if err != nil || !ok || retry != 0 {
			t.Fatalf("hit %d = %v, %v, %v; want allowed", i+1, ok, retry, err)
		}
	}
	ok, retry, err := l.Allow(ctx, "ip:1", 3, window)
	if err != nil || ok {
		t.Fatalf("hit 4 = %v, %v; want refused", ok, err)
	}
	if retry <= 0 || retry > window {
		t.Fatalf("retryAfter = %v, want in (0, %v]", retry, window)
	}
	// Another key has its own window.
	if ok, _, err := l.Allow(ctx, "ip:2", 3, window); err != nil || !ok {
		t.Fatalf("other key refused: %v", err)
	}
	in.Advance(retry + s.unit/4)
	for i := range 3 {
		if ok, _, err := l.Allow(ctx, "ip:1", 3, window); err != nil || !ok {
			t.Fatalf("new window hit %d refused: %v", i+1, err)
		}
	}
	if ok, _, err := l.Allow(ctx, "ip:1", 3, window); err != nil || ok {
		t.Fatalf("new window hit 4 allowed: %v", err)
	}
	if err := l.Reset(ctx, "ip:1"); err != nil {
		t.Fatal(err)
	}
	if ok, _, err := l.Allow(ctx, "ip:1", 3, window); err != nil || !ok {
		t.Fatalf("refused after Reset: %v", err)
	}
	if err := l.Reset(ctx, "never"); err != nil {
		t.Fatalf("Reset of an unknown key: %v", err)
	}
	if _, _, err := l.Allow(ctx, "ip:3", 0, window); err == nil {
		t.Fatal("limit 0 accepted")
	}
	if _, _, err := l.Allow(ctx, "ip:3", 1, 0); err == nil {
		t.Fatal("zero window accepted")
	}
}
