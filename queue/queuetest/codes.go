package queuetest

import (
	"errors"
	"testing"

	"huiliu/queue"
)

func (s *suite) codes(t *testing.T) {
	t.Run("Consume", s.codesConsume)
	t.Run("Exhaust", s.codesExhaust)
	t.Run("Expiry", s.codesExpiry)
}

func (s *suite) codesConsume(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	c := in.Backend.Codes()
	ttl := 100 * s.unit
	if ok, err := c.Check(ctx, "login:ann", "123456"); ok || !errors.Is(err, queue.ErrCodeExpired) {
		t.Fatalf("never issued: %v, %v; want ErrCodeExpired", ok, err)
	}
	if err := c.Issue(ctx, "login:ann", "123456", ttl, 3); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Check(ctx, "login:ann", "654321"); ok || err != nil {
		t.Fatalf("wrong code = %v, %v; want false, nil", ok, err)
	}
	if ok, err := c.Check(ctx, "login:ann", "123456"); !ok || err != nil {
		t.Fatalf("right code = %v, %v; want true", ok, err)
	}
	if ok, err := c.Check(ctx, "login:ann", "123456"); ok || !errors.Is(err, queue.ErrCodeExpired) {
		t.Fatalf("reused code = %v, %v; want ErrCodeExpired", ok, err)
	}
	// A new Issue replaces the old code and its attempts.
	if err := c.Issue(ctx, "k", "111111", ttl, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Issue(ctx, "k", "222222", ttl, 2); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Check(ctx, "k", "111111"); ok || err != nil {
		t.Fatalf("replaced code = %v, %v; want false, nil", ok, err)
	}
	if ok, err := c.Check(ctx, "k", "222222"); !ok || err != nil {
		t.Fatalf("new code = %v, %v; want true", ok, err)
	}
	if err := c.Issue(ctx, "k", "1", 0, 1); err == nil {
		t.Fatal("zero ttl accepted")
	}
	if err := c.Issue(ctx, "k", "1", ttl, 0); err == nil {
		t.Fatal("zero attempts accepted")
	}
}

func (s *suite) codesExhaust(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	c := in.Backend.Codes()
	if err := c.Issue(ctx, "v", "4242", 100*s.unit, 3); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if ok, err := c.Check(ctx, "v", "0000"); ok || err != nil {
			t.Fatalf("wrong attempt %d = %v, %v; want false, nil", i+1, ok, err)
		}
	}
	for range 2 {
		if ok, err := c.Check(ctx, "v", "4242"); ok || !errors.Is(err, queue.ErrTooManyAttempts) {
			t.Fatalf("after 3 wrong attempts = %v, %v; want ErrTooManyAttempts", ok, err)
		}
	}
	// The last allowed attempt may still be the right one.
	if err := c.Issue(ctx, "w", "4242", 100*s.unit, 2); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Check(ctx, "w", "0000"); ok || err != nil {
		t.Fatalf("wrong = %v, %v", ok, err)
	}
	if ok, err := c.Check(ctx, "w", "4242"); !ok || err != nil {
		t.Fatalf("right on the last attempt = %v, %v; want true", ok, err)
	}
}

func (s *suite) codesExpiry(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	c := in.Backend.Codes()
	if err := c.Issue(ctx, "e", "999", 2*s.unit, 3); err != nil {
		t.Fatal(err)
	}
	in.Advance(2*s.unit + s.unit/2)
	if ok, err := c.Check(ctx, "e", "999"); ok || !errors.Is(err, queue.ErrCodeExpired) {
		t.Fatalf("expired code = %v, %v; want ErrCodeExpired", ok, err)
	}
}
