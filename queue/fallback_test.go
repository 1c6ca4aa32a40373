package queue_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"huiliu/queue"
	"huiliu/queue/memory"
)

// down is a shared limiter during an outage.
type down struct{}

func (down) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	return false, 0, errors.New("dial tcp: connection refused")
}
func (down) Reset(context.Context, string) error { return errors.New("dial tcp: connection refused") }

// invalid refuses its arguments, which no fallback could fix.
type invalid struct{ down }

func (invalid) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	return false, 0, fmt.Errorf("limit 0: %w", queue.ErrInvalid)
}

func TestFallbackLimiterCountsLocallyWhileSharedFails(t *testing.T) {
	ctx := context.Background()
	local := memory.New()
	defer local.Close()
	var failures int
	l := queue.FallbackLimiter(down{}, local.Limiter(), func(error) { failures++ })
	for i := range 3 {
		ok, _, err := l.Allow(ctx, "login:ip:1", 3, time.Minute)
		if err != nil || !ok {
			t.Fatalf("attempt %d: ok %t err %v", i+1, ok, err)
		}
	}
	ok, retry, err := l.Allow(ctx, "login:ip:1", 3, time.Minute)
	if err != nil || ok || retry <= 0 {
		t.Fatalf("over the limit during the outage: ok %t retry %v err %v", ok, retry, err)
	}
	if failures != 4 {
		t.Fatalf("%d failures heard, want 4", failures)
	}
	if err := l.Reset(ctx, "login:ip:1"); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if ok, _, _ := l.Allow(ctx, "login:ip:1", 3, time.Minute); !ok {
		t.Fatal("reset did not clear the local count")
	}
	if _, _, err := queue.FallbackLimiter(invalid{}, local.Limiter(), nil).Allow(ctx, "k", 0, time.Minute); !errors.Is(err, queue.ErrInvalid) {
		t.Fatalf("invalid arguments: %v", err)
	}
}

func TestFallbackLimiterUsesSharedWhileItAnswers(t *testing.T) {
	ctx := context.Background()
	shared, local := memory.New(), memory.New()
	defer shared.Close()
	defer local.Close()
	l := queue.FallbackLimiter(shared.Limiter(), local.Limiter(), func(err error) { t.Errorf("fallback: %v", err) })
	if ok, _, _ := l.Allow(ctx, "k", 1, time.Minute); !ok {
		t.Fatal("first hit refused")
	}
	if ok, _, _ := shared.Limiter().Allow(ctx, "k", 1, time.Minute); ok {
		t.Fatal("the hit was not counted on the shared limiter")
	}
	if ok, _, _ := local.Limiter().Allow(ctx, "k", 1, time.Minute); !ok {
		t.Fatal("the hit was counted locally too")
	}
}
