package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"huiliu/channels/telegram/telegramtest"
)

// A bot added by Replace polls without a restart, a webhook bot added
// later is registered and served by Webhooks, and a removed bot stops.
func TestReplaceStartsAndStopsBots(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, func(cfg *Config, d *Deps) { d.PublicURL = "https://desk.example.com" })
	f.run(t, c)
	waitFor(t, "main polling", func() bool { return c.Status()[0].Polling })

	const otherToken = "777:other-bot_token"
	other := telegramtest.New(t, otherToken)
	add := Config{Name: "other", Token: otherToken, APIEndpoint: other.Endpoint(), FileEndpoint: other.FileEndpoint(), PollTimeout: time.Second}
	if err := c.Replace([]Config{f.config(), add}); err != nil {
		t.Fatal(err)
	}
	ids := other.Push(telegramtest.Private(42, "Zhao", "新机器人你好"))
	waitFor(t, "the added bot's update", func() bool { return f.offsets.get("other") == int64(ids[0]+1) })
	st := c.Status()
	if len(st) != 2 || st[1].Name != "other" || st[1].LastUpdate.IsZero() || !st[1].Polling {
		t.Fatalf("status after adding = %+v", st)
	}

	// The same bot switched to webhook mode: its poller stops, the webhook
	// is set, and the one route for every bot serves it.
	add.Mode, add.WebhookSecret = ModeWebhook, "other-secret"
	if err := c.Replace([]Config{f.config(), add}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the webhook registered", func() bool { u, _ := other.Webhook(); return u != "" })
	if u, secret := other.Webhook(); u != "https://desk.example.com/telegram/other/webhook" || secret != "other-secret" {
		t.Fatalf("webhook = %q, %q", u, secret)
	}
	srv := httptest.NewServer(c.Webhooks(f.sink))
	defer srv.Close()
	post := func(bot, secret string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/telegram/"+bot+"/webhook", strings.NewReader(`{"update_id":5,"message":{"message_id":1,"date":1,"chat":{"id":43,"type":"private"},"from":{"id":43,"first_name":"Qian"},"text":"hook"}}`))
		req.Header.Set(secretHeader, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("other", "other-secret"); code != http.StatusOK {
		t.Fatalf("webhook of the added bot answered %d", code)
	}
	if code := post("main", "hook-secret_1"); code != http.StatusNotFound {
		t.Fatalf("webhook of a polling bot answered %d, want 404", code)
	}

	// Removed: no longer served, no longer in the status.
	if err := c.Replace([]Config{f.config()}); err != nil {
		t.Fatal(err)
	}
	if code := post("other", "other-secret"); code != http.StatusNotFound {
		t.Fatalf("webhook of a removed bot answered %d, want 404", code)
	}
	if st := c.Status(); len(st) != 1 || st[0].Name != "main" {
		t.Fatalf("status after removing = %+v", st)
	}
	// An invalid set changes nothing.
	if err := c.Replace([]Config{f.config(), {Name: "Bad Name", Token: otherToken}}); err == nil {
		t.Fatal("an invalid bot was accepted")
	}
	if st := c.Status(); len(st) != 1 {
		t.Fatalf("status after a refused set = %+v", st)
	}
}

func TestCheckWebhookInfoAndSendTest(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	ctx := context.Background()

	me, err := c.Check(ctx, f.config())
	if err != nil || me.Username != "huiliu_test_bot" || me.ID != 123456 {
		t.Fatalf("Check = %+v, %v", me, err)
	}
	wrong := f.config()
	wrong.Token = "123456:not-the-token"
	_, err = c.Check(ctx, wrong)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != http.StatusUnauthorized || strings.Contains(err.Error(), wrong.Token) {
		t.Fatalf("Check with a wrong token = %v", err)
	}
	if st := c.Status(); st[0].Problem != nil {
		t.Fatalf("a refused candidate token marked the running bot: %v", st[0].Problem)
	}

	f.fake.Push(telegramtest.Private(7, "Sun", "waiting"))
	f.fake.SetWebhook("https://desk.example.com/telegram/main/webhook", "s")
	at := time.Unix(1767225600, 0)
	f.fake.WebhookFailing(at, "Wrong response from the webhook: 502 Bad Gateway")
	info, err := c.WebhookInfo(ctx, "main")
	if err != nil || info.PendingUpdateCount != 1 || info.URL == "" || !info.LastErrorAt.Equal(at) || !strings.Contains(info.LastErrorMessage, "502") {
		t.Fatalf("WebhookInfo = %+v, %v", info, err)
	}

	if err := c.SendTest(ctx, "main", 9001, "测试消息"); err != nil {
		t.Fatal(err)
	}
	if sent := f.fake.SentTo(9001); len(sent) != 1 || sent[0].Text != "测试消息" {
		t.Fatalf("sent %+v", sent)
	}
	f.fake.MissingChat(9002)
	if err := c.SendTest(ctx, "main", 9002, "x"); !errors.As(err, &ae) || !strings.Contains(ae.Description, "chat not found") {
		t.Fatalf("SendTest to a missing chat = %v", err)
	}
	if err := c.SendTest(ctx, "nobody", 9001, "x"); err == nil {
		t.Fatal("SendTest from an unknown bot succeeded")
	}
}
