package desk_test

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue"
	"huiliu/queue/memory"
)

// sentCode is one code the fake sender was asked to deliver.
type sentCode struct{ kind, to, code, lang string }

// fakeSender records codes instead of sending them.
type fakeSender struct {
	mu   sync.Mutex
	sent []sentCode
}

func (f *fakeSender) SendCode(_ context.Context, kind, to, code, lang string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentCode{kind, to, code, lang})
	return nil
}

func (f *fakeSender) last(t *testing.T) sentCode {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sent) == 0 {
		t.Fatal("no code was sent")
	}
	return f.sent[len(f.sent)-1]
}

func (f *fakeSender) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// spyCodes records every value handed to the Codes backend.
type spyCodes struct {
	queue.Codes
	mu     sync.Mutex
	values []string
}

func (s *spyCodes) Issue(ctx context.Context, key, code string, ttl time.Duration, max int) error {
	s.mu.Lock()
	s.values = append(s.values, code)
	s.mu.Unlock()
	return s.Codes.Issue(ctx, key, code, ttl, max)
}

type otpRig struct {
	svc    *desk.Service
	db     desk.Store
	otp    *desk.OTP
	sender *fakeSender
	codes  *spyCodes
	clock  *routeClock
	q      *memory.Backend
}

func newOTPRig(t *testing.T) *otpRig {
	t.Helper()
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	svc, db := newServiceWith(t, desk.Options{Now: clock.Now})
	q := memory.New(memory.WithClock(clock.Now))
	r := &otpRig{svc: svc, db: db, sender: &fakeSender{}, codes: &spyCodes{Codes: q.Codes()}, clock: clock, q: q}
	r.otp = r.newOTP(t)
	return r
}

// newOTP is another node (or session) over the same backend and store.
func (r *otpRig) newOTP(t *testing.T) *desk.OTP {
	t.Helper()
	o, err := desk.NewOTP(r.svc, desk.OTPOptions{Codes: r.codes, Limiter: r.q.Limiter(), Sender: r.sender,
		Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// ticket opens a webchat conversation whose contact has ids on record.
func (r *otpRig) ticket(t *testing.T, visitor string, ids ...desk.Identity) string {
	t.Helper()
	rc := ingest(t, r.svc, channels.Inbound{Channel: "webchat", ExternalID: visitor, ThreadKey: visitor,
		From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: "hello"})
	r.addIdentities(t, rc.TicketID, ids...)
	return rc.TicketID
}

func (r *otpRig) addIdentities(t *testing.T, ticketID string, ids ...desk.Identity) {
	t.Helper()
	c := contactOf(t, r.db, ticketID)
	err := r.db.Tx(context.Background(), func(tx desk.Tx) error {
		for i, id := range ids {
			id.ID, id.ContactID = desk.NewID(), c.ID
			id.CreatedAt = r.clock.Now().Add(time.Duration(i) * time.Second)
			if err := tx.InsertIdentity(context.Background(), id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// request asks for an SMS code for ticketID.
func (r *otpRig) request(t *testing.T, ticketID string) {
	t.Helper()
	if _, err := r.otp.RequestCode(context.Background(), ticketID, desk.OTPSMS); err != nil {
		t.Fatal(err)
	}
}

// guessWrong checks n codes that cannot match (not digits).
func (r *otpRig) guessWrong(t *testing.T, ticketID string, n int) {
	t.Helper()
	for range n {
		if _, err := r.otp.CheckCode(context.Background(), ticketID, desk.OTPSMS, "abc"); desk.CodeOf(err) != desk.CodeInvalid {
			t.Fatalf("wrong code: %v", err)
		}
	}
}

func phone(v string) desk.Identity { return desk.Identity{Kind: desk.IdentityPhone, Value: v} }

func wantCode(t *testing.T, err error, code desk.Code) {
	t.Helper()
	if desk.CodeOf(err) != code {
		t.Fatalf("got %v, want an error with code %s", err, code)
	}
}

func TestOTPCodeGoesOnlyToRecordVerifiedFirst(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	verifiedAt := r.clock.Now()
	older, verified := phone("13900000001"), phone("13812348001")
	verified.VerifiedAt, verified.Method = &verifiedAt, "test"
	tk := r.ticket(t, "v1", older, verified, desk.Identity{Kind: desk.IdentityEmail, Value: "fang@example.com"})

	res, err := r.otp.RequestCode(ctx, tk, desk.OTPSMS)
	if err != nil {
		t.Fatal(err)
	}
	if res != (desk.CodeRequest{Sent: true, Masked: "138****8001"}) {
		t.Fatalf("answer %+v", res)
	}
	got := r.sender.last(t)
	if got.kind != desk.OTPSMS || got.to != "13812348001" || len(got.code) != 6 || strings.Trim(got.code, "0123456789") != "" {
		t.Fatalf("sent %+v, want 6 digits to the verified phone on record", got)
	}
	for _, v := range r.codes.values {
		if strings.Contains(v, got.code) {
			t.Fatalf("the codes backend saw the plain code: %q", v)
		}
		if b, err := hex.DecodeString(v); err != nil || len(b) != 32 {
			t.Fatalf("stored value %q is not a SHA-256 MAC", v)
		}
	}

	if _, err := r.otp.RequestCode(ctx, tk, desk.OTPEmail); err != nil {
		t.Fatal(err)
	}
	if got := r.sender.last(t); got.kind != desk.OTPEmail || got.to != "fang@example.com" {
		t.Fatalf("sent %+v, want the email on record", got)
	}
	if _, err := r.otp.RequestCode(ctx, tk, "voice"); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("unknown kind: %v", err)
	}
}

func TestOTPSameAnswerWithoutNumber(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	with := r.ticket(t, "v1", phone("13812348001"))
	without := r.ticket(t, "v2")

	a, errA := r.otp.RequestCode(ctx, with, desk.OTPSMS)
	b, errB := r.otp.RequestCode(ctx, without, desk.OTPSMS)
	if errA != nil || errB != nil {
		t.Fatalf("errors differ from nil: %v, %v", errA, errB)
	}
	if !a.Sent || !b.Sent || b.Masked != "" {
		t.Fatalf("answers %+v and %+v", a, b)
	}
	if r.sender.count() != 1 {
		t.Fatalf("%d codes sent, want 1 (none without a number)", r.sender.count())
	}
	// The conversation's budget runs out alike with or without a number.
	for range 4 {
		_, errA = r.otp.RequestCode(ctx, with, desk.OTPSMS)
		_, errB = r.otp.RequestCode(ctx, without, desk.OTPSMS)
		if errA != nil || errB != nil {
			t.Fatalf("within the limit: %v, %v", errA, errB)
		}
	}
	_, errA = r.otp.RequestCode(ctx, with, desk.OTPSMS)
	_, errB = r.otp.RequestCode(ctx, without, desk.OTPSMS)
	wantCode(t, errA, desk.CodeRateLimited)
	wantCode(t, errB, desk.CodeRateLimited)
}

func TestOTPVerifiesOnceWithTimelineAndAudit(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	r.request(t, tk)
	code := r.sender.last(t).code
	if _, err := r.otp.CheckCode(ctx, tk, desk.OTPEmail, code); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("an sms code checked as email: %v", err)
	}
	v, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, code)
	if err != nil {
		t.Fatal(err)
	}
	if v.Method != desk.MethodOTPSMS || v.Level != desk.LevelOTP || !v.ExpiresAt.Equal(r.clock.Now().Add(30*time.Minute)) {
		t.Fatalf("verification %+v", v)
	}
	got, err := r.otp.Verification(ctx, tk)
	if err != nil || got.Level != desk.LevelOTP || got.IdentityID == "" {
		t.Fatalf("stored verification %+v, %v", got, err)
	}
	if tl := timeline(t, r.db, tk); !strings.Contains(tl, "system:conversation verified by otp_sms (code to 138****8001)") {
		t.Fatalf("timeline:\n%s", tl)
	}
	log, err := r.db.AuditLog(ctx, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Action != "ticket.conversation_verified" || log[0].Target != tk {
		t.Fatalf("audit %+v", log)
	}

	// Single use: the same code again is refused.
	if _, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, code); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("reuse: %v", err)
	}
}

func TestOTPExpiry(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	r.request(t, tk)
	r.clock.Add(5*time.Minute + time.Second)
	if _, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, r.sender.last(t).code); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("a code past 5 minutes: %v", err)
	}

	r.request(t, tk)
	if _, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, r.sender.last(t).code); err != nil {
		t.Fatal(err)
	}
	// Activity keeps the proof; 30 minutes without it end the proof.
	r.clock.Add(20 * time.Minute)
	if err := r.otp.KeepVerified(ctx, tk); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(20 * time.Minute)
	if v, err := r.otp.Verification(ctx, tk); err != nil || v.Level != desk.LevelOTP {
		t.Fatalf("after activity: %+v, %v", v, err)
	}
	r.clock.Add(10*time.Minute + time.Second)
	if v, err := r.otp.Verification(ctx, tk); err != nil || v.Level != desk.LevelNone {
		t.Fatalf("after 30 idle minutes: %+v, %v", v, err)
	}
	if err := r.otp.KeepVerified(ctx, tk); err != nil {
		t.Fatal(err)
	}
	if v, _ := r.otp.Verification(ctx, tk); v.Level != desk.LevelNone {
		t.Fatalf("a lapsed proof was revived: %+v", v)
	}
}

func TestOTPBruteForceFromManySessionsLocks(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	r.request(t, tk)
	code := r.sender.last(t).code
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	// Twenty sessions (each its own service instance, as on other nodes)
	// guess at once; only five guesses reach the code.
	var wg sync.WaitGroup
	var mu sync.Mutex
	counted := 0
	for range 20 {
		o := r.newOTP(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := o.CheckCode(ctx, tk, desk.OTPSMS, wrong)
			if desk.CodeOf(err) != desk.CodeRateLimited {
				mu.Lock()
				counted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if counted != 5 {
		t.Fatalf("%d guesses were checked, want 5", counted)
	}
	// A resend resets nothing: even the right new code is refused now.
	r.request(t, tk)
	_, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, r.sender.last(t).code)
	wantCode(t, err, desk.CodeRateLimited)
	if v, _ := r.otp.Verification(ctx, tk); v.Level != desk.LevelNone {
		t.Fatalf("verified while locked: %+v", v)
	}
}

func TestOTPWrongTriesCarryOverResend(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	r.request(t, tk)
	r.guessWrong(t, tk, 3)
	r.request(t, tk)
	r.guessWrong(t, tk, 2)
	_, err := r.otp.CheckCode(ctx, tk, desk.OTPSMS, r.sender.last(t).code)
	wantCode(t, err, desk.CodeRateLimited)
}

func TestOTPSendLimitsPerNumberAndConversation(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	// Two conversations of one customer share the number's budget.
	a := r.ticket(t, "v1", phone("13812348001"))
	b := ingest(t, r.svc, channels.Inbound{Channel: "webchat", ExternalID: "v1-b", ThreadKey: "v1-b",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: "v1"}, Text: "again"}).TicketID
	if a == b {
		t.Fatal("want two conversations")
	}
	for i, tk := range []string{a, a, a, b, b} {
		if _, err := r.otp.RequestCode(ctx, tk, desk.OTPSMS); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	_, err := r.otp.RequestCode(ctx, b, desk.OTPSMS)
	wantCode(t, err, desk.CodeRateLimited)
	if r.sender.count() != 5 {
		t.Fatalf("%d codes sent, want 5", r.sender.count())
	}

	// One conversation is limited across kinds and numbers.
	c := r.ticket(t, "v3", phone("13900000009"), desk.Identity{Kind: desk.IdentityEmail, Value: "x@example.com"})
	for i, kind := range []string{desk.OTPSMS, desk.OTPSMS, desk.OTPEmail, desk.OTPEmail, desk.OTPSMS} {
		if _, err := r.otp.RequestCode(ctx, c, kind); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	_, err = r.otp.RequestCode(ctx, c, desk.OTPEmail)
	wantCode(t, err, desk.CodeRateLimited)
	var de *desk.Error
	if !errors.As(err, &de) || de.RetryAfter <= 0 {
		t.Fatalf("no retry-after on %v", err)
	}
	// An hour later the budgets are back.
	r.clock.Add(time.Hour)
	if _, err := r.otp.RequestCode(ctx, b, desk.OTPSMS); err != nil {
		t.Fatal(err)
	}
}
