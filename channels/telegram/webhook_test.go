package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"huiliu/channels/telegram/telegramtest"
)

func webhookFixture(t *testing.T) (*fixture, *httptest.Server) {
	f := newFixture(t)
	c := f.channel(t, func(cfg *Config, _ *Deps) { cfg.Mode = ModeWebhook })
	mux := http.NewServeMux()
	mux.Handle(WebhookPath("main"), c.WebhookHandler("main", f.sink))
	mux.Handle(WebhookPath("other"), c.WebhookHandler("other", f.sink))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

func post(t *testing.T, url, secret string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func updateJSON(t *testing.T, id int, text string) []byte {
	u := telegramtest.Private(1001, "Li", text)
	u.UpdateID = id
	u.Message.MessageID = id
	raw, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestWebhook(t *testing.T) {
	f, srv := webhookFixture(t)
	url := srv.URL + WebhookPath("main")
	const secret = "hook-secret_1"

	if code := post(t, url, "", updateJSON(t, 1, "no secret")); code != http.StatusUnauthorized {
		t.Errorf("missing secret: %d", code)
	}
	if code := post(t, url, "hook-secret_2", updateJSON(t, 2, "wrong secret")); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", code)
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Fatalf("stored %d messages from unauthenticated calls", n)
	}
	if code := post(t, url, secret, []byte(`{"update_id": 3, "message": `)); code != http.StatusBadRequest {
		t.Errorf("malformed: %d", code)
	}
	if code := post(t, url, secret, bytes.Repeat([]byte(" "), 2<<20)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d", code)
	}
	if code := post(t, url, secret, updateJSON(t, 4, "hello")); code != http.StatusOK {
		t.Errorf("good update: %d", code)
	}
	if msgs := f.sink.messages(); len(msgs) != 1 || msgs[0].Text != "hello" || msgs[0].ExternalID != "main:4" {
		t.Fatalf("stored %+v", msgs)
	}

	f.sink.mu.Lock()
	f.sink.failNext = 1
	f.sink.mu.Unlock()
	if code := post(t, url, secret, updateJSON(t, 5, "desk down")); code != http.StatusInternalServerError {
		t.Errorf("sink failure: %d, want 500 so Telegram redelivers", code)
	}
	if code := post(t, url, secret, updateJSON(t, 5, "desk down")); code != http.StatusOK {
		t.Errorf("redelivery: %d", code)
	}

	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	if code := post(t, srv.URL+WebhookPath("other"), secret, updateJSON(t, 6, "x")); code != http.StatusNotFound {
		t.Errorf("unknown bot: %d", code)
	}
}

func TestWebhookConcurrentRedeliveryStoredOnce(t *testing.T) {
	f, srv := webhookFixture(t)
	body := updateJSON(t, 77, "five times")
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		wg.Go(func() { codes[i] = post(t, srv.URL+WebhookPath("main"), "hook-secret_1", body) })
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("post %d: %d", i, code)
		}
	}
	if n := len(f.sink.messages()); n != 1 {
		t.Fatalf("stored %d messages, want 1", n)
	}
}

func TestSetWebhooks(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, func(cfg *Config, _ *Deps) { cfg.Mode = ModeWebhook })
	if err := c.SetWebhooks(context.Background(), "https://desk.example.com/"); err != nil {
		t.Fatal(err)
	}
	url, secret := f.fake.Webhook()
	if url != "https://desk.example.com/telegram/main/webhook" || secret != "hook-secret_1" {
		t.Fatalf("webhook = %q %q", url, secret)
	}
	if err := c.SetWebhooks(context.Background(), "desk.example.com"); err == nil || !strings.Contains(err.Error(), "not an absolute") {
		t.Fatalf("relative base URL: %v", err)
	}
	// A webhook-only channel has nothing to poll: Run waits for its
	// context without calling getUpdates.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, f.sink) }()
	if n := f.fake.Calls("getUpdates"); n != 0 {
		t.Fatalf("webhook bot polled %d times", n)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned %v before its context ended", err)
	default:
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
