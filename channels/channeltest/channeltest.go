// Package channeltest is the conformance suite every channel runs in its
// tests: replays reach the desk under the same external id (so they are
// stored once), Run stops when its context ends, sends tell permanent from
// retryable failures, and a conversation's messages reach the desk in the
// order the customer sent them. A channel plugs in through a Harness that
// drives its peer (a fake Bot API, a widget's socket, a mail server).
package channeltest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
)

// Harness plugs one channel into the suite.
type Harness struct {
	// Channel is the name every inbound envelope must carry.
	Channel string
	// New builds a fresh channel for one test. sink is the sink the suite
	// passes to Run; handlers that take messages outside Run (webhooks,
	// sockets) must store into it too.
	New func(t *testing.T, sink channels.Sink) Channel
}

// Channel is one built channel and the handles on its peer.
type Channel struct {
	Receiver channels.Receiver
	Adapter  channels.Adapter
	// Deliver makes the peer hand the channel one customer message, text
	// in conversation conv (the suite uses "a" and "b"), and returns
	// without waiting for it to be stored. Delivering the same conv and
	// text again is a replay: the peer offers the same message again (the
	// same update, the same client message id), as after a lost
	// acknowledgement.
	Deliver func(t *testing.T, conv, text string)
	// Outbound is a message to conversation conv that Adapter can send.
	Outbound func(conv string) channels.Outbound
	// Fail makes the peer refuse the next Send with f. Nil when sends do
	// not reach a peer that could refuse them (the website chat's replies
	// are read from SQL).
	Fail func(t *testing.T, f Failure)
}

// Failure is how the peer refuses a send.
type Failure int

const (
	// Temporary is a failure a retry may fix (a 5xx, a timeout).
	Temporary Failure = iota
	// RetryAfter is a temporary failure with the delay the peer asked for
	// (a 429 with Retry-After).
	RetryAfter
	// Permanent is a refusal no retry fixes (a blocked bot, an unknown
	// mailbox).
	Permanent
)

func (f Failure) String() string {
	switch f {
	case Temporary:
		return "temporary"
	case RetryAfter:
		return "retry-after"
	case Permanent:
		return "permanent"
	}
	return fmt.Sprintf("Failure(%d)", int(f))
}

// Run runs the suite on h.
func Run(t *testing.T, h Harness) {
	t.Run("ReplayIsStoredOnce", func(t *testing.T) { testReplay(t, h) })
	t.Run("RunStopsOnCancel", func(t *testing.T) { testCancel(t, h) })
	t.Run("SendFailures", func(t *testing.T) { testSendFailures(t, h) })
	t.Run("OrderPerConversation", func(t *testing.T) { testOrder(t, h) })
}

// started is a channel under test with its Receiver running.
type started struct {
	Channel
	sink *Sink
	// stop cancels Run, waits for it and returns its error.
	stop func() error
	// returned reports whether Run has returned.
	returned func() bool
}

// start builds the channel and runs its Receiver until stop is called or
// the test ends.
func start(t *testing.T, h Harness) started {
	t.Helper()
	sink := NewSink(t, h.Channel)
	ch := h.New(t, sink)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var ended atomic.Bool
	go func() {
		err := ch.Receiver.Run(ctx, sink)
		ended.Store(true)
		done <- err
	}()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(hangGuard):
				err = errors.New("Receiver.Run did not return after its context ended")
				t.Error(err)
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return started{Channel: ch, sink: sink, stop: stop, returned: ended.Load}
}

// hangGuard bounds every wait of the suite: it only turns a hang into a
// failure and is never what a test measures.
const hangGuard = 15 * time.Second

func testReplay(t *testing.T, h Harness) {
	ch := start(t, h)
	sink := ch.sink
	ch.Deliver(t, "a", "replay one")
	sink.WaitStored(t, 1)
	ch.Deliver(t, "a", "replay one")
	ch.Deliver(t, "a", "replay two")
	sink.WaitStored(t, 2)
	// The replay was offered before "replay two", so by now the channel has
	// dealt with it: dropped it itself, or handed it over again unchanged.
	var ids []string
	for _, in := range sink.Calls() {
		if in.Text == "replay one" {
			ids = append(ids, in.ExternalID)
		}
	}
	if ids = slices.Compact(ids); len(ids) != 1 {
		t.Fatalf("the replayed message reached the sink under the external ids %q, want one id", ids)
	}
	got := sink.Texts()
	if !slices.Equal(got, []string{"replay one", "replay two"}) {
		t.Fatalf("stored %q, want the replayed message once", got)
	}
}

func testCancel(t *testing.T, h Harness) {
	ch := start(t, h)
	ch.Deliver(t, "a", "before the stop")
	ch.sink.WaitStored(t, 1) // Run is up and working
	if ch.returned() {
		t.Fatal("Run returned before its context ended")
	}
	if err := ch.stop(); err != nil {
		t.Fatalf("Run returned %v after cancel, want nil", err)
	}
}

func testSendFailures(t *testing.T, h Harness) {
	ch := start(t, h)
	ctx := context.Background()
	if _, err := ch.Adapter.Send(ctx, ch.Outbound("a")); err != nil {
		t.Fatalf("a plain send failed: %v", err)
	}
	if ch.Fail == nil {
		t.Skip("the channel's sends reach no peer that could refuse them")
	}
	for _, f := range []Failure{Temporary, RetryAfter, Permanent} {
		ch.Fail(t, f)
		_, err := ch.Adapter.Send(ctx, ch.Outbound("a"))
		var ra *channels.RetryAfterError
		switch {
		case err == nil:
			t.Errorf("%s refusal: Send returned nil", f)
		case f == Permanent && !errors.Is(err, channels.ErrPermanent):
			t.Errorf("permanent refusal: %v is not channels.ErrPermanent, so it would be retried", err)
		case f != Permanent && errors.Is(err, channels.ErrPermanent):
			t.Errorf("%s refusal: %v is marked permanent, so it would never be retried", f, err)
		case f == RetryAfter && (!errors.As(err, &ra) || ra.After <= 0):
			t.Errorf("retry-after refusal: %v carries no *channels.RetryAfterError with the peer's delay", err)
		}
	}
	if _, err := ch.Adapter.Send(ctx, ch.Outbound("a")); err != nil {
		t.Fatalf("a send after the refusals failed: %v", err)
	}
}

func testOrder(t *testing.T, h Harness) {
	ch := start(t, h)
	sink := ch.sink
	var want []string
	for i := 1; i <= 4; i++ {
		for _, conv := range []string{"a", "b"} {
			text := fmt.Sprintf("%s%d", conv, i)
			ch.Deliver(t, conv, text)
			want = append(want, text)
		}
	}
	sink.WaitStored(t, len(want))
	convs := sink.Conversations()
	if len(convs) != 2 {
		t.Fatalf("stored %d conversations %q, want 2", len(convs), convs)
	}
	for _, texts := range convs {
		if len(texts) == 0 {
			continue
		}
		var exp []string
		for _, w := range want {
			if w[0] == texts[0][0] {
				exp = append(exp, w)
			}
		}
		if !slices.Equal(texts, exp) {
			t.Errorf("a conversation was stored as %q, want %q", texts, exp)
		}
	}
}
