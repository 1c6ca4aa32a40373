package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Outcomes of one-time code attempts, as the desk shows them to agents.
const (
	OTPSent          = "sent"           // a code went to the destination on record
	OTPNoDestination = "no_destination" // the record has no phone/email of that kind; nothing sent
	OTPSendFailed    = "send_failed"    // the provider refused or failed
	OTPWrong         = "wrong"          // a code was typed that does not match
	OTPExpired       = "expired"        // no code is pending (expired, used or out of tries)
	OTPVerified      = "verified"       // the right code: the conversation is verified
)

// Causes of refused codes, for callers that word them for customers (the
// widget card, Telegram). They sit under the desk.Error's code: invalid
// for wrong and expired, rate_limited for the limits.
var (
	ErrOTPWrong     = errors.New("wrong code")
	ErrOTPExpired   = errors.New("code expired or used")
	ErrOTPLocked    = errors.New("too many tries")
	ErrOTPSendLimit = errors.New("too many codes sent")
)

// OTPAttempt is one recorded code request or check of a conversation.
// Requests and checks refused by the limits are not recorded, so a flood
// of them writes nothing.
type OTPAttempt struct {
	ID       string    `json:"id"`
	TicketID string    `json:"ticket_id"`
	Kind     string    `json:"kind"`    // sms or email
	Outcome  string    `json:"outcome"` // OTPSent, OTPWrong, ...
	Masked   string    `json:"masked,omitempty"`
	AgentID  string    `json:"agent_id,omitempty"` // the agent who asked; empty: the customer
	At       time.Time `json:"at"`
}

// attempt records an outcome; a failure is logged, never returned, since
// the attempt itself already happened.
func (o *OTP) attempt(ctx context.Context, ticketID, kind, outcome, masked string, by Actor) {
	ctx = context.WithoutCancel(ctx)
	a := OTPAttempt{ID: NewID(), TicketID: ticketID, Kind: kind, Outcome: outcome, Masked: masked,
		AgentID: agentOf(by), At: o.svc.now().UTC()}
	err := o.svc.store.Tx(ctx, func(tx Tx) error { return tx.InsertOTPAttempt(ctx, a) })
	if err != nil {
		o.svc.log.Error("desk: record otp attempt", "ticket", ticketID, "outcome", outcome, "err", err)
	}
}

func agentOf(by Actor) string {
	if by.Agent == nil {
		return ""
	}
	return by.Agent.ID
}

// VerificationState is what the desk shows an agent about a conversation's
// verification: the proof (level 0 when none holds), whether one lapsed,
// where codes would go (masked; "" when the record has none) and the code
// attempts of the last hour.
type VerificationState struct {
	Verification
	// Expired: a proof was recorded and lapsed (idle past VerifiedFor).
	Expired bool `json:"expired"`
	// SMS and Email are the masked destinations on record.
	SMS   string `json:"sms"`
	Email string `json:"email"`
	// Sent, Wrong count the last hour's codes sent and wrong or expired
	// codes typed; Locked says the conversation's tries are used up for
	// now (5 an hour, a resend resets nothing).
	Sent     int          `json:"sent"`
	Wrong    int          `json:"wrong"`
	Locked   bool         `json:"locked"`
	Attempts []OTPAttempt `json:"attempts"`
}

// State is the verification state of ticketID for agent a, who must be
// able to see the ticket.
func (o *OTP) State(ctx context.Context, a Agent, ticketID string) (VerificationState, error) {
	t, err := o.svc.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return VerificationState{}, err
	}
	now := o.svc.now().UTC()
	st := VerificationState{Verification: Verification{TicketID: t.ID}, Attempts: []OTPAttempt{}}
	v, err := o.svc.store.Verification(ctx, t.ID)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return VerificationState{}, fmt.Errorf("desk: verification state of %s: %w", t.ID, err)
	case v.Active(now):
		st.Verification = v
	default:
		// Keep how and when for the agent, but no level: it no longer holds.
		st.Verification, st.Expired = v, true
		st.Level = LevelNone
	}
	d, err := o.svc.RecordDestinations(ctx, t.ID)
	if err != nil {
		return VerificationState{}, fmt.Errorf("desk: verification state of %s: %w", t.ID, err)
	}
	if d.Phone != "" {
		st.SMS = maskDestination(OTPSMS, d.Phone)
	}
	if d.Email != "" {
		st.Email = maskDestination(OTPEmail, d.Email)
	}
	list, err := o.svc.store.OTPAttempts(ctx, t.ID, now.Add(-otpWindow))
	if err != nil {
		return VerificationState{}, fmt.Errorf("desk: verification state of %s: %w", t.ID, err)
	}
	tries := 0
	for _, at := range list {
		switch at.Outcome {
		case OTPSent:
			st.Sent++
		case OTPWrong, OTPExpired:
			st.Wrong++
			tries++
		case OTPVerified:
			tries++
		}
	}
	st.Locked = tries >= otpMaxTries && st.Level == LevelNone
	st.Attempts = append(st.Attempts, list...)
	return st, nil
}

// AgentRequestCode sends a code to the record of ticketID at an agent's
// request (a customer on the phone or on Telegram reads it back); audited.
func (o *OTP) AgentRequestCode(ctx context.Context, actor Actor, ticketID, kind string) (CodeRequest, error) {
	if actor.Agent == nil {
		return CodeRequest{}, Errorf(CodeForbidden, "only an agent can ask for a code here")
	}
	t, err := o.svc.VisibleTicket(ctx, *actor.Agent, ticketID)
	if err != nil {
		return CodeRequest{}, err
	}
	res, err := o.request(ctx, t.ID, kind, actor)
	if err != nil {
		return CodeRequest{}, err
	}
	o.svc.auditNow(ctx, actor, "ticket.otp_requested", t.ID, kind+" "+res.Masked)
	return res, nil
}

// AgentCheckCode checks a code the customer read out to the agent (on a
// call); it counts against the same tries as the customer's own.
func (o *OTP) AgentCheckCode(ctx context.Context, actor Actor, ticketID, kind, code string) (Verification, error) {
	if actor.Agent == nil {
		return Verification{}, Errorf(CodeForbidden, "only an agent can check a code here")
	}
	t, err := o.svc.VisibleTicket(ctx, *actor.Agent, ticketID)
	if err != nil {
		return Verification{}, err
	}
	return o.check(ctx, t.ID, kind, code, actor)
}

// PendingCode reports the kind of the code last sent on ticketID when it
// may still be waiting to be typed (sent within its lifetime, nothing
// checked since), so a chat channel can take a bare 6-digit message as
// that code rather than as a message.
func (o *OTP) PendingCode(ctx context.Context, ticketID string) (string, bool, error) {
	list, err := o.svc.store.OTPAttempts(ctx, ticketID, o.svc.now().Add(-otpTTL))
	if err != nil {
		return "", false, fmt.Errorf("desk: pending code of %s: %w", ticketID, err)
	}
	for i := len(list) - 1; i >= 0; i-- {
		switch list[i].Outcome {
		case OTPSent:
			return list[i].Kind, true, nil
		case OTPVerified, OTPExpired:
			return "", false, nil
		}
	}
	return "", false, nil
}
