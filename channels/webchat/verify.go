package webchat

import (
	"context"
	"strings"
	"time"
)

// Kinds of one-time code a visitor may ask for.
const (
	VerifySMS   = "sms"
	VerifyEmail = "email"
)

// States of a verify frame.
const (
	VerifySent        = "sent"        // a code went to the record's destination (masked), or none is on record (masked "")
	VerifyVerified    = "verified"    // the code was right: the conversation is verified
	VerifyWrong       = "wrong"       // the code does not match; type it again
	VerifyExpired     = "expired"     // no code is waiting (expired or used); ask for a new one
	VerifyLocked      = "locked"      // too many tries; retry_after seconds
	VerifyTooMany     = "too_many"    // too many codes sent; retry_after seconds
	VerifyUnavailable = "unavailable" // the code could not be sent or checked now
	VerifyNoChat      = "no_chat"     // the visitor has no conversation to verify
)

// VerifyResendAfter is how long the widget waits before it offers a resend.
// The desk's own limits (5 sends an hour) hold whatever a client does.
const VerifyResendAfter = 60 * time.Second

// Verifier sends and checks one-time codes of a conversation; cmd/huiliu
// implements it over desk.OTP. The code goes only to the destination on
// the conversation's record: a visitor never names one.
type Verifier interface {
	SendCode(ctx context.Context, ticketID, kind string) (VerifyResult, error)
	CheckCode(ctx context.Context, ticketID, kind, code string) (VerifyResult, error)
}

// VerifyResult is the outcome a verify frame reports.
type VerifyResult struct {
	State      string
	Masked     string
	RetryAfter time.Duration
}

type verifyFrame struct {
	Type   string `json:"type"`
	State  string `json:"state"`
	Kind   string `json:"kind"`
	Masked string `json:"masked,omitempty"`
	// ResendAfter (sent) is when the widget may offer a resend;
	// RetryAfter (locked, too_many) when a try may succeed; seconds.
	ResendAfter int `json:"resend_after,omitempty"`
	RetryAfter  int `json:"retry_after,omitempty"`
}

// handleVerify answers verify_send and verify_code on the visitor's own
// active conversation.
func (c *conn) handleVerify(f clientFrame) {
	c.mu.Lock()
	ticket := c.ticket
	c.mu.Unlock()
	v := c.s.o.Verifier
	if ticket == "" || v == nil {
		state := VerifyNoChat
		if v == nil {
			state = VerifyUnavailable
		}
		c.push(encodeFrame(verifyFrame{Type: frameVerify, State: state, Kind: f.Kind}))
		return
	}
	ctx, cancel := context.WithTimeout(&c.life, 30*time.Second)
	defer cancel()
	var res VerifyResult
	var err error
	if f.Type == frameVerifySend {
		res, err = v.SendCode(ctx, ticket, f.Kind)
	} else {
		res, err = v.CheckCode(ctx, ticket, f.Kind, strings.TrimSpace(f.Code))
	}
	if err != nil {
		if c.life.Err() != nil {
			return
		}
		c.logger().Error("webchat: one-time code", "frame", f.Type, "err", err)
		res = VerifyResult{State: VerifyUnavailable}
	}
	out := verifyFrame{Type: frameVerify, State: res.State, Kind: f.Kind, Masked: res.Masked}
	if res.State == VerifySent {
		out.ResendAfter = retrySeconds(VerifyResendAfter)
	}
	if res.RetryAfter > 0 {
		out.RetryAfter = retrySeconds(res.RetryAfter)
	}
	c.push(encodeFrame(out))
}
