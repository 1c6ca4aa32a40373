package poller

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/queue/memory"
)

// leases wraps the in-process queue leases: it counts refusals per holder
// and can make the lease look taken by another node for one holder.
type leases struct {
	Leases
	mu      sync.Mutex
	refused map[string]int
	stolen  map[string]bool
}

func newLeases(t *testing.T) *leases {
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	return &leases{Leases: b.Leases(), refused: map[string]int{}, stolen: map[string]bool{}}
}

func (l *leases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	stolen := l.stolen[holder]
	l.mu.Unlock()
	ok := false
	var err error
	if !stolen {
		ok, err = l.Leases.Acquire(ctx, name, holder, ttl)
	}
	if !ok && err == nil {
		l.mu.Lock()
		l.refused[holder]++
		l.mu.Unlock()
	}
	return ok, err
}

func (l *leases) steal(holder string, v bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stolen[holder] = v
}

func (l *leases) refusals(holder string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused[holder]
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// start runs cfg until the returned stop is called; stop waits for Run.
func start(t *testing.T, cfg Config) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, cfg) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestOnlyOnePollerOfAKeyRuns(t *testing.T) {
	l := newLeases(t)
	var active, overlap atomic.Int32
	var polls [2]atomic.Int32
	cfg := func(i int, holder string) Config {
		return Config{Lease: "test:poll:k", Holder: holder, Leases: l, TTL: 300 * time.Millisecond, Logger: quiet,
			Poll: func(ctx context.Context) error {
				if active.Add(1) > 1 {
					overlap.Add(1)
				}
				defer active.Add(-1)
				polls[i].Add(1)
				select {
				case <-ctx.Done():
				case <-time.After(time.Millisecond):
				}
				return nil
			}}
	}
	stopA := start(t, cfg(0, "a"))
	waitFor(t, "a polls", func() bool { return polls[0].Load() > 0 })
	start(t, cfg(1, "b"))
	waitFor(t, "b tries the lease a few times", func() bool { return l.refusals("b") >= 3 })
	if n := polls[1].Load(); n != 0 {
		t.Fatalf("b polled %d times while a held the lease", n)
	}
	stopA()
	waitFor(t, "b takes over", func() bool { return polls[1].Load() > 0 })
	if n := overlap.Load(); n != 0 {
		t.Fatalf("%d rounds ran while another node's round was running", n)
	}
}

func TestLosingTheLeaseCancelsTheRound(t *testing.T) {
	l := newLeases(t)
	var starts atomic.Int32
	rounds := make(chan context.Context, 10)
	ended := make(chan error, 10)
	start(t, Config{Lease: "test:poll:k", Holder: "a", Leases: l, TTL: 150 * time.Millisecond, Logger: quiet,
		Start: func(context.Context) error { starts.Add(1); return nil },
		Poll: func(ctx context.Context) error {
			rounds <- ctx
			<-ctx.Done() // a long poll that only ends with its context
			ended <- ctx.Err()
			return ctx.Err()
		}})
	<-rounds
	l.steal("a", true)
	if err := <-ended; !errors.Is(err, context.Canceled) {
		t.Fatalf("round ended with %v, want its context cancelled", err)
	}
	if n := starts.Load(); n != 1 {
		t.Fatalf("Start ran %d times during the first holding, want 1", n)
	}
	waitFor(t, "a refused while the lease is elsewhere", func() bool { return l.refusals("a") >= 2 })
	select {
	case <-rounds:
		t.Fatal("a polled without the lease")
	default:
	}
	l.steal("a", false)
	<-rounds // a takes the lease back and polls again, after a fresh Start
	if n := starts.Load(); n != 2 {
		t.Fatalf("Start ran %d times, want 2 (once per holding)", n)
	}
}

func TestFailedRoundsBackOffCappedAndResetOnSuccess(t *testing.T) {
	l := newLeases(t)
	// Rounds: five failures, one success, one failure, then block.
	results := []error{errBoom, errBoom, errBoom, errBoom, errBoom, nil, errBoom}
	var mu sync.Mutex
	var waits []time.Duration
	var n int
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := Config{Lease: "test:poll:k", Holder: "a", Leases: l, TTL: time.Minute, RetryBase: 100 * time.Millisecond, RetryCap: 400 * time.Millisecond, Logger: quiet,
		Poll: func(ctx context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			if n == len(results) {
				close(done)
				cancel()
				return nil
			}
			n++
			return results[n-1]
		}}
	err := run(ctx, cfg, func(_ context.Context, d time.Duration) {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	<-done
	// Nominal pauses: 100, 200, 400, 400 (capped), 400, then after the
	// success 100 again; each jittered into [d/2, d).
	want := []time.Duration{100, 200, 400, 400, 400, 100}
	if len(waits) != len(want) {
		t.Fatalf("waits = %v, want %d of them", waits, len(want))
	}
	for i, w := range want {
		d := w * time.Millisecond
		if waits[i] < d/2 || waits[i] >= d {
			t.Errorf("wait %d = %v, want in [%v, %v)", i, waits[i], d/2, d)
		}
	}
}

var errBoom = errors.New("boom")

func TestRunRequiresLeaseHolderAndPoll(t *testing.T) {
	if err := Run(context.Background(), Config{Lease: "x", Holder: "a"}); err == nil {
		t.Fatal("Run accepted a config without leases or poll")
	}
}

func TestRunReturnsWhileWaitingForTheLease(t *testing.T) {
	l := newLeases(t)
	if ok, err := l.Leases.Acquire(context.Background(), "test:poll:k", "other", time.Hour); !ok || err != nil {
		t.Fatalf("acquire: %v %v", ok, err)
	}
	stop := start(t, Config{Lease: "test:poll:k", Holder: "a", Leases: l, TTL: time.Hour, Logger: quiet,
		Poll: func(context.Context) error { t.Error("polled without the lease"); return nil }})
	waitFor(t, "a refused", func() bool { return l.refusals("a") >= 1 })
	stop() // waits a TTL/3 of 20 minutes unless the pause honours ctx
}
