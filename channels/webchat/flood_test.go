package webchat

import (
	"strconv"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestNewTicketsLimitedPerAddress: one address opening chat after chat is
// refused with rate_limited and a retry time once it has opened its
// burst; customers who already have a ticket and idle sockets cost nothing.
func TestNewTicketsLimitedPerAddress(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.NewTicketsPerAddress = 3 })
	var first *client
	for i := range 3 {
		c := e.dial(t)
		defer c.close()
		c.hello(t, helloArgs{})
		c.message(t, "m"+strconv.Itoa(i), "hello")
		if _, a := c.until(t, frameAck); a.ClientMsgID != "m"+strconv.Itoa(i) {
			t.Fatalf("ticket %d: %+v", i, a)
		}
		if i == 0 {
			first = c
		}
	}
	// Sockets that only connect (tabs behind one NAT) are not tickets.
	for range 5 {
		c := e.dial(t)
		defer c.close()
		c.hello(t, helloArgs{})
	}
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "x", "one chat too many")
	_, f := c.until(t, frameError)
	if f.Code != CodeRateLimited || f.ClientMsgID != "x" || f.RetryAfter < 1 || f.RetryAfter > int(addressWindow/time.Second) {
		t.Fatalf("error %+v, want rate_limited with a retry time", f)
	}
	if n := len(e.desk.stored()); n != 3 {
		t.Fatalf("%d stored, want 3", n)
	}
	// A customer with a ticket goes on writing.
	first.message(t, "m0b", "more on my ticket")
	if _, a := first.until(t, frameAck); a.ClientMsgID != "m0b" {
		t.Fatalf("follow-up: %+v", a)
	}
	e.clock.Advance(addressWindow)
	c.message(t, "x", "one chat too many")
	if _, a := c.until(t, frameAck); a.ClientMsgID != "x" {
		t.Fatalf("after the window: %+v", a)
	}
}

func TestNewTicketsLimitedPerSite(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.NewTicketsPerAddress = -1; o.NewTicketsPerSite = 2 })
	for i := range 3 {
		c := e.dial(t)
		defer c.close()
		c.hello(t, helloArgs{})
		c.message(t, "m", "hello")
		f := c.answer(t)
		if i < 2 && f.Type != frameAck {
			t.Fatalf("ticket %d: %+v", i, f)
		}
		if i == 2 {
			if f.Type != frameError || f.Code != CodeRateLimited || f.RetryAfter < 1 {
				t.Fatalf("third ticket of the site: %+v, want rate_limited", f)
			}
		}
	}
}

// TestNewVisitorsLimitedPerAddress: minting visitor after visitor from one
// address is refused with rate_limited and close 1013; a returning visitor
// (valid token) is never counted.
func TestNewVisitorsLimitedPerAddress(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.NewVisitorsPerAddress = 2 })
	var token string
	for range 2 {
		c := e.dial(t)
		defer c.close()
		w, _ := c.hello(t, helloArgs{})
		token = w.Visitor
	}
	c := e.dial(t)
	defer c.close()
	c.send(t, map[string]any{"type": "hello"})
	if f := c.next(t); f.Type != frameError || f.Code != CodeRateLimited || f.RetryAfter < 1 {
		t.Fatalf("third new visitor: %+v, want rate_limited", f)
	}
	if code := c.closeCode(t); code != websocket.CloseTryAgainLater {
		t.Fatalf("close %d, want 1013", code)
	}
	back := e.dial(t)
	defer back.close()
	if w, _ := back.hello(t, helloArgs{Visitor: token}); w.Visitor == "" {
		t.Fatalf("returning visitor refused: %+v", w)
	}
}

// TestBusyWhenIngestsAreFull: with every ingest slot taken the node answers
// busy with a retry delay at once instead of queueing, stores nothing for
// it, and takes the same message when it is offered again.
func TestBusyWhenIngestsAreFull(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxIngests = 1 })
	gate, entered := make(chan struct{}), make(chan string, 4)
	e.desk.mu.Lock()
	e.desk.gate, e.desk.entered = gate, entered
	e.desk.mu.Unlock()
	a, b := e.dial(t), e.dial(t)
	defer a.close()
	defer b.close()
	a.hello(t, helloArgs{})
	b.hello(t, helloArgs{})
	a.message(t, "a1", "slow to store")
	<-entered
	b.message(t, "b1", "while the node is full")
	_, f := b.until(t, frameError)
	if f.Code != CodeBusy || f.ClientMsgID != "b1" || f.RetryAfterMs < busyRetry.Milliseconds() || f.RetryAfterMs > 2*busyRetry.Milliseconds() {
		t.Fatalf("error %+v, want busy with retry_after_ms", f)
	}
	gate <- struct{}{}
	if _, ack := a.until(t, frameAck); ack.ClientMsgID != "a1" {
		t.Fatalf("ack %+v", ack)
	}
	// The slot frees just after a's ack is written, so a retry sent at
	// once may still be answered busy: retry as the widget does.
	for deadline := time.Now().Add(10 * time.Second); ; {
		b.message(t, "b1", "while the node is full")
		select {
		case <-entered:
		case <-time.After(100 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("the retried message never reached the desk")
			}
			continue
		}
		break
	}
	gate <- struct{}{}
	if _, ack := b.until(t, frameAck); ack.ClientMsgID != "b1" {
		t.Fatalf("retried message: %+v", ack)
	}
	if n := len(e.desk.stored()); n != 2 {
		t.Fatalf("%d stored, want 2", n)
	}
}

// answer is the next ack or error frame.
func (c *client) answer(t *testing.T) frame {
	t.Helper()
	for {
		if f := c.next(t); f.Type == frameAck || f.Type == frameError {
			return f
		}
	}
}
