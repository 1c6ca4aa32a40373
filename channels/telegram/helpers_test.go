package telegram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

const testToken = "123456:TEST-secret-token_abc"

// memOffsets is an in-memory OffsetStore. drop simulates a process that
// dies before its offset write lands.
type memOffsets struct {
	mu   sync.Mutex
	m    map[string]int64
	drop bool
}

func newMemOffsets() *memOffsets { return &memOffsets{m: map[string]int64{}} }

func (o *memOffsets) Offset(ctx context.Context, bot string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[bot], nil
}

func (o *memOffsets) SetOffset(ctx context.Context, bot string, next int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.drop {
		o.m[bot] = next
	}
	return nil
}

func (o *memOffsets) get(bot string) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[bot]
}

// set rewinds or moves the offset, as a lost offset write leaves it.
func (o *memOffsets) set(bot string, next int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.m[bot] = next
}

func (o *memOffsets) setDrop(v bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.drop = v
}

// memLeases is an in-memory Leases on the real clock.
type memLeases struct {
	mu      sync.Mutex
	m       map[string]memLease
	refused map[string]int // by holder
}

type memLease struct {
	holder  string
	expires time.Time
}

func newMemLeases() *memLeases {
	return &memLeases{m: map[string]memLease{}, refused: map[string]int{}}
}

func (l *memLeases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if cur, ok := l.m[name]; ok && now.Before(cur.expires) && cur.holder != holder {
		l.refused[holder]++
		return false, nil
	}
	l.m[name] = memLease{holder: holder, expires: now.Add(ttl)}
	return true, nil
}

func (l *memLeases) Release(ctx context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.m[name]; ok && cur.holder == holder {
		delete(l.m, name)
	}
	return nil
}

func (l *memLeases) holder(name string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.m[name]; ok && time.Now().Before(cur.expires) {
		return cur.holder
	}
	return ""
}

func (l *memLeases) refusedCount(holder string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refused[holder]
}

// deadNode never releases: the node died without a goodbye.
type deadNode struct{ *memLeases }

func (deadNode) Release(ctx context.Context, name, holder string) error { return nil }

// dedupeSink stores each ExternalID once, like the desk's unique
// (channel, external_id).
type dedupeSink struct {
	mu       sync.Mutex
	byExt    map[string]channels.Receipt
	stored   []channels.Inbound
	calls    []string // ExternalIDs in call order, failures included
	failNext int
	// failFor fails the next n calls for an ExternalID.
	failFor map[string]int
	// afterCommit runs after a message is stored, before Ingest returns.
	afterCommit func(in channels.Inbound)
}

func newDedupeSink() *dedupeSink { return &dedupeSink{byExt: map[string]channels.Receipt{}} }

func (s *dedupeSink) Ingest(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	s.mu.Lock()
	s.calls = append(s.calls, in.ExternalID)
	if s.failNext > 0 || s.failFor[in.ExternalID] > 0 {
		if s.failNext > 0 {
			s.failNext--
		} else {
			s.failFor[in.ExternalID]--
		}
		s.mu.Unlock()
		return channels.Receipt{}, errors.New("desk is down")
	}
	if r, ok := s.byExt[in.ExternalID]; ok {
		s.mu.Unlock()
		r.Duplicate = true
		return r, nil
	}
	r := channels.Receipt{TicketID: "t-" + in.ThreadKey, MessageID: fmt.Sprintf("m%d", len(s.stored)+1)}
	s.byExt[in.ExternalID] = r
	s.stored = append(s.stored, in)
	hook := s.afterCommit
	s.mu.Unlock()
	if hook != nil {
		hook(in)
	}
	return r, nil
}

func (s *dedupeSink) messages() []channels.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]channels.Inbound(nil), s.stored...)
}

func (s *dedupeSink) callLog() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// syncBuffer collects log output from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// countingTransport counts getUpdates requests of one node.
type countingTransport struct {
	polls atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/getUpdates") {
		t.polls.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

type fixture struct {
	fake    *telegramtest.Server
	sink    *dedupeSink
	offsets *memOffsets
	leases  *memLeases
	logs    *syncBuffer
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{
		fake:    telegramtest.New(t, testToken),
		sink:    newDedupeSink(),
		offsets: newMemOffsets(),
		leases:  newMemLeases(),
		logs:    &syncBuffer{},
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log("channel logs:\n" + f.logs.String())
		}
	})
	return f
}

func (f *fixture) config() Config {
	return Config{Name: "main", Token: testToken, APIEndpoint: f.fake.Endpoint(), FileEndpoint: f.fake.FileEndpoint(), PollTimeout: 2 * time.Second,
		WebhookSecret: "hook-secret_1", LinkSecret: "0123456789abcdef-link"}
}

// channel builds a channel on the fixture; edit may change its config.
func (f *fixture) channel(t *testing.T, edit func(*Config, *Deps)) *Channel {
	t.Helper()
	cfg := f.config()
	deps := Deps{Offsets: f.offsets, Leases: f.leases,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if edit != nil {
		edit(&cfg, &deps)
	}
	c, err := New([]Config{cfg}, deps)
	if err != nil {
		t.Fatal(err)
	}
	c.leaseTTL = 600 * time.Millisecond
	c.retryBase = 20 * time.Millisecond
	c.downloadRetry = 10 * time.Millisecond
	return c
}

// run starts c.Run into the fixture's sink and returns a stop function that waits for it.
func (f *fixture) run(t *testing.T, c *Channel) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Run(ctx, f.sink)
	}()
	stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countLimiter allows the first `allow` hits, then refuses with wait.
type countLimiter struct {
	mu     sync.Mutex
	hits   int
	allow  int
	wait   time.Duration
	key    string
	limit  int
	window time.Duration
}

func (l *countLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits++
	l.key, l.limit, l.window = key, limit, window
	if l.hits <= l.allow {
		return true, 0, nil
	}
	return false, l.wait, nil
}

// telegramtestFault fails the second send to chat with a 502.
func telegramtestFault(chat int64) telegramtest.Fault {
	return telegramtest.Fault{Chat: chat, Skip: 1, Times: 1, Code: http.StatusBadGateway}
}

// cfgSprint prints a Config every way a careless log line might.
func cfgSprint(c Config) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s ", c, c, c, c)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("cfg", "bot", c)
	slog.New(slog.NewTextHandler(&b, nil)).Info("cfg", "bot", c)
	return b.String()
}
