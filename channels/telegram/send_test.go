package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
)

func outbound(id, thread, text string) channels.Outbound {
	return channels.Outbound{MessageID: id, TicketID: "t1", Channel: "telegram", ThreadKey: thread, Text: text}
}

func TestSendLongReplyInOrderedParts(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	var b strings.Builder
	for i := 0; len([]rune(b.String())) < 5000; i++ {
		b.WriteString("第")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(" word ")
		if i%40 == 39 {
			b.WriteString("\n")
		}
	}
	text := []rune(b.String())
	long := string(text[:5000])
	ids, err := c.Send(context.Background(), outbound("m1", "main:1001", long))
	if err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 2 {
		t.Fatalf("sent %d parts, want 2", len(sent))
	}
	var joined string
	for _, s := range sent {
		if n := utf16Len(s.Text); n > maxMessageUnits {
			t.Errorf("part has %d UTF-16 units", n)
		}
		if s.ParseMode != "" {
			t.Errorf("parse_mode %q set", s.ParseMode)
		}
		joined += s.Text
	}
	if joined != long {
		t.Error("parts do not re-join to the original")
	}
	if strings.Count(ids, ",") != 1 {
		t.Errorf("ids = %q, want two", ids)
	}
}

func TestSendExactText(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	text := "您好，您的账单已结清 ✅ *不是粗体* <b>not html</b> 👩‍👩‍👧 🇨🇳"
	if _, err := c.Send(context.Background(), outbound("m1", "main:1001", text)); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 1 || sent[0].Text != text || sent[0].ParseMode != "" || sent[0].ReplyMarkup != "" {
		t.Fatalf("sent %+v", sent)
	}
}

func TestSend429ForOneChatOthersUnaffected(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	f.fake.RateLimit(1001, 7, 1)
	_, err := c.Send(context.Background(), outbound("m1", "main:1001", "hello"))
	var ra *channels.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 7*time.Second {
		t.Fatalf("err = %v, want RetryAfterError of 7s", err)
	}
	if errors.Is(err, channels.ErrPermanent) {
		t.Fatal("429 marked permanent")
	}
	if _, err := c.Send(context.Background(), outbound("m2", "main:1002", "other chat")); err != nil {
		t.Fatalf("other chat: %v", err)
	}
	if _, err := c.Send(context.Background(), outbound("m1", "main:1001", "hello")); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := len(f.fake.SentTo(1001)); n != 1 {
		t.Fatalf("chat 1001 got %d messages", n)
	}
}

func TestSendErrorsClassified(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	f.fake.FailServer(1001, 1)
	f.fake.Block(1002)
	f.fake.MissingChat(1003)
	ctx := context.Background()

	_, err := c.Send(ctx, outbound("m1", "main:1001", "hi"))
	var ra *channels.RetryAfterError
	if err == nil || errors.Is(err, channels.ErrPermanent) || errors.As(err, &ra) {
		t.Errorf("5xx: err = %v, want a plain temporary error", err)
	}
	_, err = c.Send(ctx, outbound("m2", "main:1002", "hi"))
	if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "blocked by the user") {
		t.Errorf("403: err = %v, want permanent with Telegram's description", err)
	}
	_, err = c.Send(ctx, outbound("m3", "main:1003", "hi"))
	if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("chat not found: err = %v, want permanent", err)
	}
	for _, key := range []string{"nobot:1001", "main:abc", "main", ""} {
		if _, err := c.Send(ctx, outbound("m4", key, "hi")); !errors.Is(err, channels.ErrPermanent) {
			t.Errorf("thread %q: err = %v, want permanent", key, err)
		}
	}
	for _, e := range []error{err} {
		if strings.Contains(e.Error(), testToken) {
			t.Error("token in error")
		}
	}
}

func TestSendResumesAfterTheLastDeliveredPart(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	long := strings.Repeat("a", 4000) + "\n" + strings.Repeat("b", 1000)
	f.fake.Inject(telegramtestFault(1001))
	_, err := c.Send(context.Background(), outbound("m1", "main:1001", long))
	if err == nil {
		t.Fatal("want an error for part 2")
	}
	if _, err := c.Send(context.Background(), outbound("m1", "main:1001", long)); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 2 || sent[0].Text+sent[1].Text != long || !strings.HasPrefix(sent[1].Text, "b") {
		t.Fatalf("sent %d parts: part 1 must not be repeated", len(sent))
	}
}

func TestSendRateLimitedByLimiter(t *testing.T) {
	f := newFixture(t)
	lim := &countLimiter{allow: 1, wait: 300 * time.Millisecond}
	c := f.channel(t, func(_ *Config, d *Deps) { d.Limiter = lim })
	if _, err := c.Send(context.Background(), outbound("m1", "main:1001", "one")); err != nil {
		t.Fatal(err)
	}
	_, err := c.Send(context.Background(), outbound("m2", "main:1001", "two"))
	var ra *channels.RetryAfterError
	if !errors.As(err, &ra) || ra.After != 300*time.Millisecond {
		t.Fatalf("err = %v, want RetryAfterError with the limiter's wait", err)
	}
	if lim.key != "telegram:send:main" || lim.limit != 30 || lim.window != time.Second {
		t.Errorf("limiter called with %q %d %v", lim.key, lim.limit, lim.window)
	}
}

func TestSendContactRequest(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	if err := c.SendContactRequest(context.Background(), "main", 1001, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), channels.Outbound{MessageID: "m9", ThreadKey: "main:1001", Text: "请验证 / please verify", RequestContact: true}); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 2 {
		t.Fatalf("sent %d", len(sent))
	}
	for _, s := range sent {
		if !strings.Contains(s.ReplyMarkup, `"request_contact":true`) || !strings.Contains(s.ReplyMarkup, `"one_time_keyboard":true`) ||
			!strings.Contains(s.ReplyMarkup, "Share my phone number") {
			t.Errorf("reply markup = %s", s.ReplyMarkup)
		}
	}
	if err := c.SendContactRequest(context.Background(), "nobot", 1001, "x"); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("unknown bot: %v", err)
	}
}

func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	f.fake.Close() // Telegram unreachable
	_, err := c.Send(context.Background(), outbound("m1", "main:1001", "hi"))
	if err == nil || strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "TEST-secret") {
		t.Fatalf("err = %v", err)
	}
	if errors.Is(err, channels.ErrPermanent) {
		t.Fatal("network error marked permanent")
	}
	stop := f.run(t, c)
	waitFor(t, "a failed poll logged", func() bool { return strings.Contains(f.logs.String(), "getUpdates") })
	stop()
	if strings.Contains(f.logs.String(), "TEST-secret") {
		t.Fatal("token in logs")
	}
	cfg := f.config()
	for _, s := range []string{cfg.String(), cfgSprint(cfg)} {
		if strings.Contains(s, "TEST-secret") || strings.Contains(s, cfg.LinkSecret) || strings.Contains(s, cfg.WebhookSecret) {
			t.Errorf("secret printed: %s", s)
		}
	}
}

func TestSendSlowTelegramIsTemporary(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	f.fake.SetDelay(2 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Send(ctx, outbound("m1", "main:1001", "hi"))
	if err == nil || errors.Is(err, channels.ErrPermanent) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a temporary deadline error", err)
	}
	if strings.Contains(err.Error(), "TEST-secret") {
		t.Fatal("token in error")
	}
}
