// Package queuetest is the conformance suite every queue.Backend must pass:
// memory, miniredis and real Redis run the same tests.
package queuetest

import (
	"context"
	"testing"
	"time"

	"huiliu/queue"
)

// Config is what a test needs a fresh backend to be configured with.
type Config struct {
	// Retention is how many entries each bus stream keeps (exactly or at
	// least, for approximate trimming).
	Retention int
	// SubscriberBuffer is how many entries a live subscriber may lag.
	SubscriberBuffer int
}

// Instance is one fresh backend and control of its clock.
type Instance struct {
	Backend queue.Backend
	// Peer opens another node sharing Backend's state, or is nil when the
	// implementation is single-node by definition.
	Peer func(t *testing.T) queue.Backend
	// Lose makes the backend lose all its state the way it can in
	// production (in process: a restart; Redis: a FLUSHALL) and returns the
	// backend that serves afterwards.
	Lose func(t *testing.T) queue.Backend
	// Now is the clock the backend reads.
	Now func() time.Time
	// Advance moves that clock (and the store's) forward by d; with real
	// time it sleeps.
	Advance func(d time.Duration)
}

// Harness makes fresh backends; each must clean up after itself with
// t.Cleanup.
type Harness struct {
	New func(t *testing.T, cfg Config) Instance
	// RealTime says Advance sleeps, so the suite keeps durations short.
	RealTime bool
}

// waitFor bounds every wait for something asynchronous; tests poll or
// block up to this, they never assert on how long something took.
const waitFor = 20 * time.Second

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	s := &suite{h: h, unit: time.Second}
	if h.RealTime {
		s.unit = 400 * time.Millisecond
	}
	t.Run("Bus", s.bus)
	t.Run("Work", s.work)
	t.Run("Timers", s.timers)
	t.Run("Presence", s.presence)
	t.Run("Limiter", s.limiter)
	t.Run("Codes", s.codes)
	t.Run("Leases", s.leases)
	t.Run("Ping", func(t *testing.T) {
		t.Parallel()
		in := s.fresh(t)
		if err := in.Backend.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

type suite struct {
	h Harness
	// unit is the base ttl; short under real time so the suite stays fast.
	unit time.Duration
}

func (s *suite) fresh(t *testing.T) Instance {
	return s.freshWith(t, Config{Retention: 10000, SubscriberBuffer: 1024})
}

func (s *suite) freshWith(t *testing.T, cfg Config) Instance {
	t.Helper()
	in := s.h.New(t, cfg)
	if in.Backend == nil || in.Now == nil || in.Advance == nil {
		t.Fatal("harness returned an incomplete Instance")
	}
	return in
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitFor)
	t.Cleanup(cancel)
	return ctx
}
