package desk

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"huiliu/queue"
)

// CodeSender delivers a one-time code over SMS or email; cmd/huiliu
// implements it over the SMS providers and the mail channel.
type CodeSender interface {
	// SendCode sends code to to (a phone number for "sms", an address for
	// "email") worded in lang.
	SendCode(ctx context.Context, kind, to, code, lang string) error
}

// Kinds of one-time code.
const (
	OTPSMS   = "sms"
	OTPEmail = "email"
)

// Rules of one-time codes (issue 11): a code lives 5 minutes and takes at
// most 5 tries; a conversation gets at most 5 sends and 5 tries an hour, a
// phone number or address at most 5 sends an hour, whatever resends.
const (
	otpDigits      = 6
	otpTTL         = 5 * time.Minute
	otpMaxTries    = 5
	otpMaxSends    = 5
	otpWindow      = time.Hour
	defaultOTPIdle = 30 * time.Minute
)

// OTPOptions configures an OTP service.
type OTPOptions struct {
	Codes   queue.Codes
	Limiter queue.Limiter
	Sender  CodeSender
	// Key is the server secret codes are hashed with, so the Codes backend
	// (Redis) never holds a code that could be typed in; at least 32 bytes.
	Key []byte
	// VerifiedFor is how long a verification holds without activity;
	// default 30 minutes.
	VerifiedFor time.Duration
}

// OTP sends one-time codes to the phone or email on a customer's record
// and records the conversation as verified when the code comes back.
type OTP struct {
	svc  *Service
	o    OTPOptions
	idle time.Duration
}

// NewOTP builds the code service on svc (its store, clock and audit).
func NewOTP(svc *Service, o OTPOptions) (*OTP, error) {
	if o.Codes == nil || o.Limiter == nil || o.Sender == nil {
		return nil, errors.New("desk: otp needs codes, a limiter and a sender")
	}
	if len(o.Key) < 32 {
		return nil, errors.New("desk: otp key must be at least 32 bytes")
	}
	idle := o.VerifiedFor
	if idle <= 0 {
		idle = defaultOTPIdle
	}
	return &OTP{svc: svc, o: o, idle: idle}, nil
}

// CodeRequest is the answer to RequestCode. It has the same shape whether
// or not the record holds a destination: Sent is true whenever the request
// was accepted, and Masked is the masked destination, or "" when the record
// has none (then nothing was sent). The visitor never names a destination,
// so the answer tells them nothing about any number but their own record's.
type CodeRequest struct {
	Sent   bool   `json:"sent"`
	Masked string `json:"masked"`
}

// RequestCode sends a fresh code for ticketID to the customer's phone (kind
// "sms") or email ("email") on record, preferring a verified one. A resend
// replaces the previous code but resets no counter.
func (o *OTP) RequestCode(ctx context.Context, ticketID, kind string) (CodeRequest, error) {
	return o.request(ctx, ticketID, kind, Actor{})
}

// request is RequestCode on behalf of by (the zero Actor: the customer).
func (o *OTP) request(ctx context.Context, ticketID, kind string, by Actor) (CodeRequest, error) {
	if _, ok := otpIdentityKind(kind); !ok {
		return CodeRequest{}, Errorf(CodeInvalid, "unknown code kind %q", kind)
	}
	t, err := o.svc.store.Ticket(ctx, ticketID)
	if err != nil {
		return CodeRequest{}, fmt.Errorf("desk: otp request for ticket %s: %w", ticketID, err)
	}
	// The conversation's budget is spent first and whatever the record
	// holds, so refusals look alike for every conversation.
	if err := o.allow(ctx, "otp:send:ticket:"+t.ID, otpMaxSends, ErrOTPSendLimit); err != nil {
		return CodeRequest{}, err
	}
	to, _, err := o.destination(ctx, t.ID, kind)
	if err != nil {
		return CodeRequest{}, err
	}
	if to == "" {
		o.attempt(ctx, t.ID, kind, OTPNoDestination, "", by)
		return CodeRequest{Sent: true}, nil
	}
	if err := o.allow(ctx, "otp:send:"+kind+":"+to, otpMaxSends, ErrOTPSendLimit); err != nil {
		return CodeRequest{}, err
	}
	code, err := newOTPCode()
	if err != nil {
		return CodeRequest{}, fmt.Errorf("desk: otp code: %w", err)
	}
	if err := o.o.Codes.Issue(ctx, otpKey(t.ID, kind), o.hash(t.ID, kind, code), otpTTL, otpMaxTries); err != nil {
		return CodeRequest{}, fmt.Errorf("desk: otp issue for ticket %s: %w", t.ID, err)
	}
	masked := maskDestination(kind, to)
	if err := o.o.Sender.SendCode(ctx, kind, to, code, t.Language); err != nil {
		o.attempt(ctx, t.ID, kind, OTPSendFailed, masked, by)
		return CodeRequest{}, Wrap(CodeUnavailable, fmt.Errorf("desk: otp send for ticket %s: %w", t.ID, err), "the code could not be sent")
	}
	o.attempt(ctx, t.ID, kind, OTPSent, masked, by)
	return CodeRequest{Sent: true, Masked: masked}, nil
}

// CheckCode checks a code typed in conversation ticketID for the kind it
// was requested by. Every try counts against the conversation's hourly
// budget, which a resend does not reset, so a lock holds even when the
// right code comes later. On success the conversation is verified at
// LevelOTP until VerifiedFor passes, with a timeline entry and an audit
// entry.
func (o *OTP) CheckCode(ctx context.Context, ticketID, kind, code string) (Verification, error) {
	return o.check(ctx, ticketID, kind, code, Actor{})
}

// check is CheckCode on behalf of by (the zero Actor: the customer).
func (o *OTP) check(ctx context.Context, ticketID, kind, code string, by Actor) (Verification, error) {
	idKind, ok := otpIdentityKind(kind)
	if !ok {
		return Verification{}, Errorf(CodeInvalid, "unknown code kind %q", kind)
	}
	if err := o.allow(ctx, "otp:try:ticket:"+ticketID, otpMaxTries, ErrOTPLocked); err != nil {
		return Verification{}, err
	}
	match, err := o.o.Codes.Check(ctx, otpKey(ticketID, kind), o.hash(ticketID, kind, code))
	switch {
	case errors.Is(err, queue.ErrCodeExpired), errors.Is(err, queue.ErrTooManyAttempts):
		o.attempt(ctx, ticketID, kind, OTPExpired, "", by)
		return Verification{}, Wrap(CodeInvalid, fmt.Errorf("%w: %w", ErrOTPExpired, err), "the code has expired; ask for a new one")
	case err != nil:
		return Verification{}, fmt.Errorf("desk: otp check for ticket %s: %w", ticketID, err)
	case !match:
		o.attempt(ctx, ticketID, kind, OTPWrong, "", by)
		return Verification{}, Wrap(CodeInvalid, ErrOTPWrong, "wrong code")
	}
	method := MethodOTPSMS
	if kind == OTPEmail {
		method = MethodOTPEmail
	}
	to, fromClaim, err := o.destination(ctx, ticketID, kind)
	if err != nil {
		return Verification{}, err
	}
	var v Verification
	var t Ticket
	err = o.svc.store.Tx(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.Ticket(ctx, ticketID); err != nil {
			return err
		}
		c, err := tx.Contact(ctx, t.ContactID)
		if err != nil {
			return err
		}
		// The identity the code went to, when it is the contact's own
		// (not a number from the company's record).
		var id Identity
		for _, x := range c.Identities {
			if x.Kind == idKind && x.Value == to {
				id = x
			}
		}
		now := o.svc.now().UTC()
		v = Verification{TicketID: t.ID, ContactID: t.ContactID, IdentityID: id.ID, Method: method,
			Level: LevelOTP, VerifiedAt: now, ExpiresAt: now.Add(o.idle)}
		if err := tx.PutVerification(ctx, v); err != nil {
			return err
		}
		if err := tx.InsertOTPAttempt(ctx, OTPAttempt{ID: NewID(), TicketID: t.ID, Kind: kind, Outcome: OTPVerified,
			Masked: maskDestination(kind, to), AgentID: agentOf(by), At: now}); err != nil {
			return err
		}
		e := SystemEvent{Action: "conversation_verified", Args: map[string]string{
			"method": method, "to": maskDestination(kind, to)}}
		_, err = o.svc.recordEntry(ctx, tx, &t, by, AuthorSystem, e, e.text(), now)
		return err
	})
	if err != nil {
		return Verification{}, fmt.Errorf("desk: otp verify ticket %s: %w", ticketID, err)
	}
	o.svc.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	if fromClaim {
		// The code went to the record of a claimed customer number: the
		// customer proved that number, so it becomes theirs.
		if err := o.svc.ConfirmClaim(ctx, t.ID, method); err != nil {
			o.svc.log.Error("desk: confirm the claimed customer number", "ticket", t.ID, "err", err)
		}
	}
	return v, nil
}

// destination is where a code of kind for ticketID goes: the phone or
// email Service.RecordDestinations finds on the customer's record, ""
// when none. fromClaim says it came from a claimed customer number's
// record.
func (o *OTP) destination(ctx context.Context, ticketID, kind string) (to string, fromClaim bool, err error) {
	d, err := o.svc.RecordDestinations(ctx, ticketID)
	if err != nil {
		return "", false, fmt.Errorf("desk: otp destination for ticket %s: %w", ticketID, err)
	}
	to = d.Phone
	if kind == OTPEmail {
		to = d.Email
	}
	return to, to != "" && d.FromClaim, nil
}

// Verification returns the proof on ticketID that holds now; LevelNone when
// there is none or it lapsed.
func (o *OTP) Verification(ctx context.Context, ticketID string) (Verification, error) {
	v, err := o.svc.store.Verification(ctx, ticketID)
	if errors.Is(err, ErrNotFound) || (err == nil && !v.Active(o.svc.now())) {
		return Verification{TicketID: ticketID}, nil
	}
	if err != nil {
		return Verification{}, fmt.Errorf("desk: verification of ticket %s: %w", ticketID, err)
	}
	return v, nil
}

// KeepVerified extends a proof that still holds by VerifiedFor from now: the
// expiry counts inactivity, so activity in the conversation calls this
// (VerificationKeeper does on every customer message).
func (o *OTP) KeepVerified(ctx context.Context, ticketID string) error {
	return keepVerified(ctx, o.svc, ticketID, o.idle, 0)
}

func (o *OTP) allow(ctx context.Context, key string, limit int, cause error) error {
	ok, retry, err := o.o.Limiter.Allow(ctx, key, limit, otpWindow)
	if err != nil {
		return fmt.Errorf("desk: otp limit %s: %w", key, err)
	}
	if !ok {
		msg := "too many codes; try again later"
		if cause == ErrOTPLocked {
			msg = "too many tries; try again later"
		}
		return &Error{Code: CodeRateLimited, Message: msg, Err: cause, RetryAfter: retry}
	}
	return nil
}

// hash binds the code to its conversation and kind, keyed by the server
// secret: a leaked Codes backend gives nothing a visitor could type.
func (o *OTP) hash(ticketID, kind, code string) string {
	m := hmac.New(sha256.New, o.o.Key)
	m.Write([]byte(ticketID + "\x00" + kind + "\x00" + code))
	return hex.EncodeToString(m.Sum(nil))
}

func otpKey(ticketID, kind string) string { return "otp:" + kind + ":" + ticketID }

func otpIdentityKind(kind string) (string, bool) {
	switch kind {
	case OTPSMS:
		return IdentityPhone, true
	case OTPEmail:
		return IdentityEmail, true
	}
	return "", false
}

// recordDestination picks the identity of kind on c's record a code goes
// to: verified ones first, then the oldest.
func recordDestination(c Contact, kind string) (Identity, bool) {
	var ids []Identity
	for _, id := range c.Identities {
		if id.Kind == kind && id.Value != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return Identity{}, false
	}
	slices.SortStableFunc(ids, func(a, b Identity) int {
		if (a.VerifiedAt != nil) != (b.VerifiedAt != nil) {
			if a.VerifiedAt != nil {
				return -1
			}
			return 1
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return ids[0], true
}

func newOTPCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", otpDigits, n.Int64()), nil
}
