package webchat

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestTextTooLarge(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "big", strings.Repeat("字", DefaultMaxTextBytes/3+1))
	_, f := c.until(t, frameError)
	if f.Code != CodeTooLarge || f.ClientMsgID != "big" {
		t.Fatalf("error %+v", f)
	}
	c.message(t, "ok", strings.Repeat("a", DefaultMaxTextBytes))
	if _, a := c.until(t, frameAck); a.ClientMsgID != "ok" {
		t.Fatalf("ack %+v", a)
	}
	if n := len(e.desk.stored()); n != 1 {
		t.Fatalf("%d stored, want only the one at the limit", n)
	}
}

func TestRateLimited(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MessagesPerMinute = 2 })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	for _, id := range []string{"a", "b"} {
		c.message(t, id, "msg "+id)
		c.until(t, frameAck)
	}
	c.message(t, "c", "one too many")
	_, f := c.until(t, frameError)
	if f.Code != CodeRateLimited || f.ClientMsgID != "c" || f.RetryAfter < 1 || f.RetryAfter > 60 {
		t.Fatalf("error %+v", f)
	}
	if n := len(e.desk.stored()); n != 2 {
		t.Fatalf("%d stored", n)
	}
	e.clock.Advance(time.Minute)
	c.message(t, "c", "one too many")
	if _, a := c.until(t, frameAck); a.ClientMsgID != "c" {
		t.Fatalf("after the window: %+v", a)
	}
}

type failingLimiter struct{}

func (failingLimiter) Allow(context.Context, string, int, time.Duration) (bool, time.Duration, error) {
	return false, 0, errors.New("redis: connection refused")
}

func TestFailingLimiterFallsBackToLocal(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MessagesPerMinute = 1; o.Limiter = failingLimiter{} })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "a", "first")
	c.until(t, frameAck)
	c.message(t, "b", "second")
	if _, f := c.until(t, frameError); f.Code != CodeRateLimited {
		t.Fatalf("error %+v", f)
	}
	if !strings.Contains(e.logs.String(), "rate limiter failed") {
		t.Fatal("not logged")
	}
}

func TestInvalidFramesAnsweredNotFatal(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	for _, raw := range []string{
		`not json`,
		`[]`,
		`{"type":"launch"}`,
		`{"text":"no type"}`,
		`{"type":"message","text":"no id"}`,
		`{"type":"message","client_msg_id":"has space","text":"x"}`,
		`{"type":"message","client_msg_id":"e1","text":""}`,
		`{"type":"message","client_msg_id":"e2","text":" \n\t "}`,
		`{"type":"message","client_msg_id":"e3","text":"a\u0000b"}`,
		"{\"type\":\"message\",\"client_msg_id\":\"e4\",\"text\":\"\xff\xfe\"}",
		`{"type":"message","client_msg_id":"e5","text":"x"} {"again":1}`,
		`{"type":"message","client_msg_id":"e6","text":7}`,
		`{"type":"hello"}`,
	} {
		c.send(t, raw)
		if f := c.next(t); f.Type != frameError || f.Code != CodeInvalid || f.Text == "" {
			t.Fatalf("%q: got %+v", raw, f)
		}
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if f := c.next(t); f.Code != CodeInvalid {
		t.Fatalf("binary: %+v", f)
	}
	if n := len(e.desk.stored()); n != 0 {
		t.Fatalf("%d stored", n)
	}
	c.message(t, "fine", "still works")
	if _, a := c.until(t, frameAck); a.ClientMsgID != "fine" {
		t.Fatalf("ack %+v", a)
	}
}

func TestHelloRequiredFirst(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.message(t, "m1", "hi")
	if f := c.next(t); f.Type != frameError || f.Code != CodeInvalid {
		t.Fatalf("got %+v", f)
	}
	if code := c.closeCode(t); code != websocket.ClosePolicyViolation {
		t.Fatalf("close %d", code)
	}
}

func TestReadLimitCloses1009(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ReadLimit = 1024 })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "m1", strings.Repeat("x", 2000))
	if code := c.closeCode(t); code != websocket.CloseMessageTooBig {
		t.Fatalf("close %d, want 1009", code)
	}
	eventually(t, "the connection to be dropped", func() bool { return e.srv.hub.count() == 0 })
}

// A client that stops answering pings is dropped after PongWait.
func TestDeadConnectionDropped(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.PingInterval = 20 * time.Millisecond; o.PongWait = 100 * time.Millisecond })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	// The gorilla client answers pings only while reading; it stops here.
	eventually(t, "the silent connection to be dropped", func() bool { return e.srv.hub.count() == 0 })

}
