// Package memory implements queue.Backend in process, for a single node
// (the embedded default when no Redis is configured). It starts no
// goroutines of its own: expired state is swept lazily during writes.
package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

// Defaults of the options.
const (
	DefaultRetention        = 10000
	DefaultSubscriberBuffer = 1024
	DefaultIdleTTL          = time.Hour
	// sweepEvery bounds how often expired entries are swept; sweeping is
	// O(entries), so this keeps it amortised.
	sweepEvery = time.Minute
)

type config struct {
	now       func() time.Time
	retention int
	buffer    int
	idleTTL   time.Duration
}

// Option configures a Backend.
type Option func(*config)

// WithClock makes the backend read time from now (tests fast-forward it).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithRetention bounds how many entries each bus stream keeps for replay.
func WithRetention(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.retention = n
		}
	}
}

// WithSubscriberBuffer sets how many live entries a subscriber may lag
// behind before it is dropped.
func WithSubscriberBuffer(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.buffer = n
		}
	}
}

// WithIdleTTL sets after how long a stream with no subscribers and no new
// entries frees its retained entries (its sequence counter is kept).
func WithIdleTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.idleTTL = d
		}
	}
}

// Backend is the in-process queue.Backend.
type Backend struct {
	cfg config

	// done is closed by Close; it wakes subscribers replaying a backlog.
	done      chan struct{}
	closeOnce sync.Once

	bus      *bus
	work     *workQueues
	presence *presence
	limiter  *limiter
	codes    *codes
	leases   *leases

	timersMu sync.Mutex
	timers   map[string]*timers
}

var _ queue.Backend = (*Backend)(nil)

// New returns an empty in-process backend.
func New(opts ...Option) *Backend {
	cfg := config{
		now:       time.Now,
		retention: DefaultRetention,
		buffer:    DefaultSubscriberBuffer,
		idleTTL:   DefaultIdleTTL,
	}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Backend{cfg: cfg, done: make(chan struct{}), timers: map[string]*timers{}}
	b.bus = newBus(b)
	b.work = newWorkQueues(b)
	b.presence = newPresence(b)
	b.limiter = newLimiter(b)
	b.codes = newCodes(b)
	b.leases = newLeases(b)
	return b
}

func (b *Backend) now() time.Time { return b.cfg.now() }

func (b *Backend) closed() bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

// Bus returns the event bus.
func (b *Backend) Bus() queue.Bus { return b.bus }

// Work returns the work queues.
func (b *Backend) Work() queue.WorkQueue { return b.work }

// Timers returns the timer set called name.
func (b *Backend) Timers(name string) queue.Timers {
	b.timersMu.Lock()
	defer b.timersMu.Unlock()
	t, ok := b.timers[name]
	if !ok {
		t = newTimers(b)
		b.timers[name] = t
	}
	return t
}

// Presence returns the presence tracker.
func (b *Backend) Presence() queue.Presence { return b.presence }

// Limiter returns the rate limiter.
func (b *Backend) Limiter() queue.Limiter { return b.limiter }

// Codes returns the one-time code store.
func (b *Backend) Codes() queue.Codes { return b.codes }

// Leases returns the leases.
func (b *Backend) Leases() queue.Leases { return b.leases }

// Ping fails only after Close.
func (b *Backend) Ping(ctx context.Context) error {
	if b.closed() {
		return queue.ErrClosed
	}
	return ctx.Err()
}

// Close ends every subscription. Other calls fail with queue.ErrClosed
// afterwards.
func (b *Backend) Close() error {
	b.closeOnce.Do(func() {
		close(b.done)
		b.bus.closeAll()
	})
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("memory: %s: %w", fmt.Sprintf(format, args...), queue.ErrInvalid)
}

// sweeper remembers when a map was last swept of expired entries.
type sweeper struct{ last time.Time }

// due reports whether a sweep is due at now, and if so records it.
func (s *sweeper) due(now time.Time) bool {
	if now.Sub(s.last) < sweepEvery && !now.Before(s.last) {
		return false
	}
	s.last = now
	return true
}

// check fails after Close or when ctx is done.
func (b *Backend) check(ctx context.Context) error {
	if b.closed() {
		return queue.ErrClosed
	}
	return ctx.Err()
}
