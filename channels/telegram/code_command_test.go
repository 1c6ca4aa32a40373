package telegram

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

// fakeCodes is a CodeFlow with one code "123456" after a send.
type fakeCodes struct {
	mu      sync.Mutex
	pending bool
	checked []string
}

func (f *fakeCodes) SendCode(context.Context, channels.Inbound) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = true
	return "138****8001", nil
}

func (f *fakeCodes) Pending(context.Context, channels.Inbound) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending, nil
}

func (f *fakeCodes) CheckCode(_ context.Context, _ channels.Inbound, code string) (string, time.Duration, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checked = append(f.checked, code)
	if code != "123456" {
		return CodeWrong, 0, nil
	}
	f.pending = false
	return CodeVerified, 0, nil
}

// TestCodeFlowInChat: /code (or the keyboard's code button) sends a code
// to the number on record and says where, masked; the digits typed back
// are checked and stored only as a masked entry; six digits without a
// pending code stay an ordinary message.
func TestCodeFlowInChat(t *testing.T) {
	f := newFixture(t)
	codes := &fakeCodes{}
	c := f.channel(t, func(_ *Config, d *Deps) { d.Codes = codes })
	b, _ := c.bot("main")
	send := func(id int, text string) {
		t.Helper()
		u := telegramtest.Private(1001, "Li", text)
		u.UpdateID = id
		raw, _ := json.Marshal(u)
		if _, err := c.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
			t.Fatal(err)
		}
	}
	send(1, "654321") // nothing pending: a message like any other
	send(2, codeButtonText)
	send(3, "000000")
	send(4, "/code 123456")
	send(4, "/code 123456") // a replay is not checked again

	msgs := f.sink.messages()
	var texts []string
	for _, m := range msgs {
		texts = append(texts, m.Text)
	}
	got := strings.Join(texts, "|")
	if strings.Contains(got, "000000") || strings.Contains(got, "123456") || len(msgs) != 3 ||
		!strings.HasPrefix(got, "654321|[验证码] [verification code]|") {
		t.Fatalf("stored %q: want the first digits, then masked entries only", got)
	}
	if strings.Join(codes.checked, ",") != "000000,123456" {
		t.Fatalf("checked %q", codes.checked)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 3 {
		t.Fatalf("answers %+v", sent)
	}
	for i, want := range []string{"138****8001", "not right", "Verified"} {
		if !strings.Contains(sent[i].Text, want) {
			t.Errorf("answer %d = %q, want %q", i, sent[i].Text, want)
		}
	}
}
