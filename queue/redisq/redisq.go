// Package redisq implements queue.Backend on Redis (go-redis v9), for any
// number of nodes sharing one Redis. Every multi-step change runs as a Lua
// script, so it is atomic across nodes.
package redisq

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"huiliu/queue"
)

// Defaults of the options.
const (
	DefaultPrefix           = "huiliu:"
	DefaultRetention        = 10000
	DefaultSubscriberBuffer = 1024
	DefaultPollInterval     = time.Second
	DefaultStreamTTL        = 7 * 24 * time.Hour
)

type config struct {
	prefix    string
	retention int
	buffer    int
	poll      time.Duration
	streamTTL time.Duration
	now       func() time.Time
	log       *slog.Logger
}

// Option configures a Backend.
type Option func(*config)

// WithPrefix puts every key (and the notification channel) under prefix.
func WithPrefix(prefix string) Option { return func(c *config) { c.prefix = prefix } }

// WithRetention bounds each bus stream to about n entries (trimming is
// approximate: at least n are kept).
func WithRetention(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.retention = n
		}
	}
}

// WithSubscriberBuffer sets how many live entries a subscriber may lag
// before it is dropped.
func WithSubscriberBuffer(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.buffer = n
		}
	}
}

// WithPollInterval sets how often live streams are checked for entries
// whose notification was lost (pub/sub is fire-and-forget).
func WithPollInterval(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.poll = d
		}
	}
}

// WithStreamTTL sets after how long without a publish a bus stream and
// its counter are deleted by Redis (a late resume then gets a Reset).
func WithStreamTTL(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.streamTTL = d
		}
	}
}

// WithClock sets the clock used for presence expiry (the only state whose
// expiry is computed on the node; everything else uses Redis TTLs).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithLogger sets the logger for background errors (pub/sub, polling).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.log = l
		}
	}
}

// Backend is the Redis queue.Backend.
type Backend struct {
	cfg config
	rdb *redis.Client
	hub *hub

	timersMu sync.Mutex
	timers   map[string]*timers

	work     *workQueues
	closeErr error
	once     sync.Once
}

var _ queue.Backend = (*Backend)(nil)

// New connects to redisURL (redis://[user:pass@]host:port/db) and checks
// it answers.
func New(ctx context.Context, redisURL string, opts ...Option) (*Backend, error) {
	o, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redisq: parse url: %w", err)
	}
	b := NewClient(redis.NewClient(o), opts...)
	if err := b.Ping(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// NewClient wraps an existing client; Close closes it.
func NewClient(rdb *redis.Client, opts ...Option) *Backend {
	cfg := config{
		prefix:    DefaultPrefix,
		retention: DefaultRetention,
		buffer:    DefaultSubscriberBuffer,
		poll:      DefaultPollInterval,
		streamTTL: DefaultStreamTTL,
		now:       time.Now,
		log:       slog.Default(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	b := &Backend{cfg: cfg, rdb: rdb, timers: map[string]*timers{}}
	b.hub = newHub(b)
	b.work = &workQueues{b: b}
	return b
}

// key builds a key under the prefix. The {tag} keeps the keys of one
// stream, queue or set in one cluster slot, as the scripts need.
func (b *Backend) key(kind, name, suffix string) string {
	return b.cfg.prefix + kind + ":{" + name + "}" + suffix
}

// Bus returns the event bus.
func (b *Backend) Bus() queue.Bus { return (*bus)(b) }

// Work returns the work queues.
func (b *Backend) Work() queue.WorkQueue { return b.work }

// Timers returns the timer set called name.
func (b *Backend) Timers(name string) queue.Timers {
	b.timersMu.Lock()
	defer b.timersMu.Unlock()
	t, ok := b.timers[name]
	if !ok {
		t = &timers{b: b, name: name, key: b.key("timers", name, "")}
		b.timers[name] = t
	}
	return t
}

// Presence returns the presence tracker.
func (b *Backend) Presence() queue.Presence { return (*presence)(b) }

// Limiter returns the rate limiter.
func (b *Backend) Limiter() queue.Limiter { return (*limiter)(b) }

// Codes returns the one-time code store.
func (b *Backend) Codes() queue.Codes { return (*codes)(b) }

// Leases returns the leases.
func (b *Backend) Leases() queue.Leases { return (*leases)(b) }

// Ping reports whether Redis answers.
func (b *Backend) Ping(ctx context.Context) error {
	if err := b.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisq: ping: %w", err)
	}
	return nil
}

// Close stops the subscriptions and background goroutines, then closes
// the client.
func (b *Backend) Close() error {
	b.once.Do(func() {
		b.hub.close()
		if err := b.rdb.Close(); err != nil {
			b.closeErr = fmt.Errorf("redisq: close: %w", err)
		}
	})
	return b.closeErr
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("redisq: %s: %w", fmt.Sprintf(format, args...), queue.ErrInvalid)
}

// ms converts a duration to whole milliseconds, at least 1, as Redis TTLs
// need.
func ms(d time.Duration) int64 { return max(d.Milliseconds(), 1) }
