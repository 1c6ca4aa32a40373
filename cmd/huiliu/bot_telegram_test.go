package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiliu/channels/telegram/telegramtest"
)

// TestBotOnTelegram runs a real server with the bot on Telegram (the fake
// Bot API): the bot greets as a chatbot, hands off on "转人工" with the
// customer's place in the queue, and is silent once the ticket is the
// desk's, where the agent's reply reaches the chat signed.
func TestBotOnTelegram(t *testing.T) {
	const token = "123456:TEST-bot"
	fake := telegramtest.New(t, token)
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, []byte("[bot]\nenabled = true\nchannels = [\"telegram\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(sharedBackends(t), "HUILIU_CONFIG="+conf, "HUILIU_TELEGRAM_TOKEN="+token, "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(),
		"HUILIU_TELEGRAM_FILE_ENDPOINT="+fake.FileEndpoint())
	tok := adminToken(t, env, "bot@example.com")
	base := node(t, env)
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; sent %+v", what, fake.SentTo(555002))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	type ticket struct{ ID, Status string }
	tickets := func() []ticket {
		var page struct{ Tickets []ticket }
		apiCall(t, base, tok, "GET", "/api/v1/tickets?channel=telegram&status=bot,open,pending,resolved,closed", "", &page)
		return page.Tickets
	}

	const user = 555002
	fake.Push(telegramtest.Private(user, "Li", "你好"))
	eventually("the bot's greeting", func() bool { return len(fake.SentTo(user)) == 1 })
	if got := fake.SentTo(user)[0].Text; !strings.HasPrefix(got, "小汇（智能助手）：\n") {
		t.Fatalf("greeting = %q, want it signed as the chatbot", got)
	}
	if ts := tickets(); len(ts) != 1 || ts[0].Status != "bot" {
		t.Fatalf("tickets with the bot: %+v", ts)
	}

	fake.Push(telegramtest.Private(user, "Li", "转人工"))
	eventually("the hand-off", func() bool { return len(fake.SentTo(user)) == 2 })
	if got := fake.SentTo(user)[1].Text; !strings.Contains(got, "转接人工客服") {
		t.Fatalf("hand-off = %q, want the transfer said", got)
	}
	if ts := tickets(); len(ts) != 1 || ts[0].Status != "open" {
		t.Fatalf("after 转人工: %+v", ts)
	}
	id := tickets()[0].ID

	// Once the desk has the ticket, the bot says nothing more.
	fake.Push(telegramtest.Private(user, "Li", "还在吗"))
	eventually("the customer's next message on the ticket", func() bool {
		var ms struct{ Messages []struct{ Text string } }
		apiCall(t, base, tok, "GET", "/api/v1/tickets/"+id+"/messages", "", &ms)
		return len(ms.Messages) > 0 && ms.Messages[len(ms.Messages)-1].Text == "还在吗"
	})
	if code := apiCall(t, base, tok, "POST", "/api/v1/tickets/"+id+"/messages", `{"text":"您好，我来为您处理。"}`, nil); code != 201 {
		t.Fatalf("agent reply: %d", code)
	}
	eventually("the agent's reply", func() bool { return len(fake.SentTo(user)) >= 3 })
	sent := fake.SentTo(user)
	if len(sent) != 3 || !strings.HasPrefix(sent[2].Text, "客服 ") || !strings.HasSuffix(sent[2].Text, "您好，我来为您处理。") {
		t.Fatalf("after the hand-off the chat got %+v, want only the agent's signed reply", sent[2:])
	}
	var ms struct {
		Messages []struct {
			AuthorKind string `json:"author_kind"`
		}
	}
	apiCall(t, base, tok, "GET", "/api/v1/tickets/"+id+"/messages", "", &ms)
	bots := 0
	for _, m := range ms.Messages {
		if m.AuthorKind == "bot" {
			bots++
		}
	}
	if bots != 2 {
		t.Fatalf("%d bot messages on the timeline, want the greeting and the hand-off", bots)
	}
}
