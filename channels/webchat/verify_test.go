package webchat

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeVerifier answers codes for any ticket; "123456" is right, "999999"
// means the conversation is locked.
type fakeVerifier struct {
	mu      sync.Mutex
	tickets []string
}

func (f *fakeVerifier) SendCode(_ context.Context, ticketID, kind string) (VerifyResult, error) {
	f.mu.Lock()
	f.tickets = append(f.tickets, ticketID)
	f.mu.Unlock()
	if kind == VerifyEmail {
		return VerifyResult{State: VerifySent}, nil // nothing on record: same state, no destination
	}
	return VerifyResult{State: VerifySent, Masked: "138****8001"}, nil
}

func (f *fakeVerifier) CheckCode(_ context.Context, ticketID, _, code string) (VerifyResult, error) {
	f.mu.Lock()
	f.tickets = append(f.tickets, ticketID)
	f.mu.Unlock()
	switch code {
	case "123456":
		return VerifyResult{State: VerifyVerified}, nil
	case "999999":
		return VerifyResult{State: VerifyLocked, RetryAfter: 90 * time.Second}, nil
	}
	return VerifyResult{State: VerifyWrong}, nil
}

func TestVerifyFrames(t *testing.T) {
	v := &fakeVerifier{}
	e := newEnv(t, func(o *Options) { o.Verifier = v })
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})

	verify := func(f map[string]any) frame {
		t.Helper()
		c.send(t, f)
		_, last := c.until(t, frameVerify)
		return last
	}
	if f := verify(map[string]any{"type": "verify_send", "kind": "sms"}); f.State != VerifyNoChat {
		t.Fatalf("before any message: %+v", f)
	}
	c.message(t, "m1", "你好")
	_, ack := c.until(t, frameAck)

	if f := verify(map[string]any{"type": "verify_send", "kind": "sms"}); f.State != VerifySent || f.Masked != "138****8001" || f.ResendAfter != 60 {
		t.Fatalf("sent: %+v", f)
	}
	if f := verify(map[string]any{"type": "verify_send", "kind": "email"}); f.State != VerifySent || f.Masked != "" {
		t.Fatalf("nothing on record: %+v", f)
	}
	if f := verify(map[string]any{"type": "verify_code", "kind": "sms", "code": "000000"}); f.State != VerifyWrong {
		t.Fatalf("wrong: %+v", f)
	}
	if f := verify(map[string]any{"type": "verify_code", "kind": "sms", "code": "999999"}); f.State != VerifyLocked || f.RetryAfter != 90 {
		t.Fatalf("locked: %+v", f)
	}
	if f := verify(map[string]any{"type": "verify_code", "kind": "sms", "code": " 123456 "}); f.State != VerifyVerified {
		t.Fatalf("right: %+v", f)
	}
	// A destination cannot be named; an unknown kind is refused.
	c.send(t, map[string]any{"type": "verify_send", "kind": "voice", "to": "13900000000"})
	if _, f := c.until(t, frameError); f.Code != CodeInvalid {
		t.Fatalf("unknown kind: %+v", f)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, tk := range v.tickets {
		if tk != ack.TicketID {
			t.Fatalf("a code was handled on ticket %q, not the visitor's own %q", tk, ack.TicketID)
		}
	}
}

func TestVerifyFramesWithoutVerifier(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "m1", "你好")
	c.until(t, frameAck)
	c.send(t, map[string]any{"type": "verify_send", "kind": "sms"})
	if _, f := c.until(t, frameVerify); f.State != VerifyUnavailable {
		t.Fatalf("without a verifier: %+v", f)
	}
}
