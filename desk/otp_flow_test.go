package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
)

// A claimed customer number sends the code to its record's phone (never
// to anything the visitor typed); the right code makes the number a
// verified identity of the contact.
func TestOTPToTheClaimedRecordConfirmsTheClaim(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	q := memory.New(memory.WithClock(r.clock.Now))
	sender := &fakeSender{}
	otp, err := desk.NewOTP(r.svc, desk.OTPOptions{Codes: q.Codes(), Limiter: q.Limiter(), Sender: sender, Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	tk := r.conversation(t, "v-claim")
	// The visitor writes a number of their own; it is only text.
	ingest(t, r.svc, channels.Inbound{Channel: "webchat", ExternalID: "v-claim-2", ThreadKey: "v-claim",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: "v-claim"}, Text: "发到 13900000000"})
	res, err := otp.RequestCode(ctx, tk, desk.OTPSMS)
	if err != nil || res.Masked != "" || sender.count() != 0 {
		t.Fatalf("before a claim: %+v %v, %d sent", res, err, sender.count())
	}
	r.claim(t, tk, "C-1001")
	if res, err = otp.RequestCode(ctx, tk, desk.OTPSMS); err != nil || res.Masked != "138****8001" {
		t.Fatalf("after the claim: %+v %v", res, err)
	}
	if got := sender.last(t); got.to != "13812348001" {
		t.Fatalf("sent to %s, want the record's phone", got.to)
	}
	if _, err := otp.CheckCode(ctx, tk, desk.OTPSMS, sender.last(t).code); err != nil {
		t.Fatal(err)
	}
	c := contactOf(t, r.db, tk)
	var confirmed bool
	for _, id := range c.Identities {
		if id.Kind == desk.IdentityCustomerNo && id.Value == "C-1001" && id.VerifiedAt != nil {
			confirmed = true
		}
	}
	if !confirmed {
		t.Fatalf("the claimed number is not a verified identity: %+v", c.Identities)
	}
	st, err := otp.State(ctx, r.agent, tk)
	if err != nil || st.Level != desk.LevelOTP || st.SMS != "138****8001" || st.Email != "f***@example.com" {
		t.Fatalf("state %+v %v", st, err)
	}
}

// Customer messages keep a proof alive (the expiry counts inactivity);
// the desk state shows a lapsed proof as expired.
func TestVerificationKeeperExtendsOnCustomerMessages(t *testing.T) {
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	svc, db := newServiceWith(t, desk.Options{Now: clock.Now, Observers: []desk.Observer{desk.NewVerificationKeeper(30 * time.Minute)}})
	q := memory.New(memory.WithClock(clock.Now))
	sender := &fakeSender{}
	otp, err := desk.NewOTP(svc, desk.OTPOptions{Codes: q.Codes(), Limiter: q.Limiter(), Sender: sender, Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	r := &otpRig{svc: svc, db: db, otp: otp, sender: sender, clock: clock, q: q}
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	say := func(n int) {
		ingest(t, svc, channels.Inbound{Channel: "webchat", ExternalID: "v1-" + string(rune('a'+n)), ThreadKey: "v1",
			From: channels.Party{Kind: desk.IdentityWebchat, Value: "v1"}, Text: "还在吗"})
	}
	say(0) // unverified: nothing to keep
	r.request(t, tk)
	if _, err := otp.CheckCode(ctx, tk, desk.OTPSMS, sender.last(t).code); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		clock.Add(20 * time.Minute)
		say(i)
	}
	v, err := otp.Verification(ctx, tk)
	if err != nil || v.Level != desk.LevelOTP || !v.ExpiresAt.Equal(clock.Now().Add(30*time.Minute)) {
		t.Fatalf("after an hour of messages every 20 minutes: %+v %v", v, err)
	}
	clock.Add(30*time.Minute + time.Second)
	say(4)
	admin := desk.Agent{ID: "x", Role: desk.RoleAdmin}
	st, err := otp.State(ctx, admin, tk)
	if err != nil || st.Level != desk.LevelNone || !st.Expired || st.Method != desk.MethodOTPSMS {
		t.Fatalf("after 30 silent minutes: %+v %v", st, err)
	}
}

// Five wrong codes lock the conversation in the desk's view, and a
// pending code is known to chat channels until it is used.
func TestOTPStateCountsAndPendingCode(t *testing.T) {
	r := newOTPRig(t)
	ctx := context.Background()
	tk := r.ticket(t, "v1", phone("13812348001"))
	if _, ok, err := r.otp.PendingCode(ctx, tk); ok || err != nil {
		t.Fatalf("pending before a send: %v %v", ok, err)
	}
	r.request(t, tk)
	if kind, ok, err := r.otp.PendingCode(ctx, tk); !ok || kind != desk.OTPSMS || err != nil {
		t.Fatalf("pending after a send: %q %v %v", kind, ok, err)
	}
	r.guessWrong(t, tk, 5)
	admin := desk.Agent{ID: "x", Role: desk.RoleAdmin}
	st, err := r.otp.State(ctx, admin, tk)
	if err != nil || st.Sent != 1 || st.Wrong != 5 || !st.Locked {
		t.Fatalf("after five wrong codes: %+v %v", st, err)
	}
	r.clock.Add(6 * time.Minute)
	if _, ok, _ := r.otp.PendingCode(ctx, tk); ok {
		t.Fatal("a code past its lifetime is still pending")
	}
}

// Many conversations (sessions) claiming one customer share the phone's
// budget: five codes an hour reach it whatever the number of
// conversations, and each conversation's guesses stop at five.
func TestOTPBruteForceFromManyConversationsAgainstOnePhone(t *testing.T) {
	r := newFactsRig(t, desk.Options{})
	ctx := context.Background()
	q := memory.New(memory.WithClock(r.clock.Now))
	sender := &fakeSender{}
	otp, err := desk.NewOTP(r.svc, desk.OTPOptions{Codes: q.Codes(), Limiter: q.Limiter(), Sender: sender, Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	refused, checked := 0, 0
	for i := range 8 {
		tk := r.conversation(t, "attacker-"+string(rune('a'+i)))
		r.claim(t, tk, "C-1001")
		if _, err := otp.RequestCode(ctx, tk, desk.OTPSMS); desk.CodeOf(err) == desk.CodeRateLimited {
			refused++
		} else if err != nil {
			t.Fatal(err)
		}
		for g := range 7 {
			_, err := otp.CheckCode(ctx, tk, desk.OTPSMS, "00000"+string(rune('0'+g)))
			if desk.CodeOf(err) != desk.CodeRateLimited {
				checked++
			}
		}
	}
	if sender.count() != 5 || refused != 3 {
		t.Fatalf("%d codes reached the phone, %d requests refused; want 5 and 3", sender.count(), refused)
	}
	if checked != 8*5 {
		t.Fatalf("%d guesses were checked, want 5 per conversation (40)", checked)
	}
}
