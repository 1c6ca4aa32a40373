package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/channels/telegram/telegramtest"
)

// TestTelegramBotAddedOnTheDesk: an admin adds a bot through the API; a
// refused token is refused in the admin's language before anything is
// saved, the accepted one starts polling without a restart, its token is
// never shown, its status and the test message work, and disabling and
// removing it stop it.
func TestTelegramBotAddedOnTheDesk(t *testing.T) {
	const token = "424242:desk-added_token"
	fake := telegramtest.New(t, token)
	// No bot in the configuration: the endpoint only points the bots
	// added on the desk at the fake.
	env := append(sharedBackends(t), "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(), "HUILIU_TELEGRAM_FILE_ENDPOINT="+fake.FileEndpoint())
	tok := adminToken(t, env, "tgadmin@example.com")
	base := node(t, env)
	call := func(method, path, body, lang string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	type bots struct {
		Bots []struct {
			Name, Username, Mode, Source string
			Disabled                     bool
			Status                       struct {
				Running      bool       `json:"running"`
				LastUpdateAt *time.Time `json:"last_update_at"`
				Webhook      *struct {
					Pending int `json:"pending_update_count"`
				} `json:"webhook"`
			} `json:"status"`
		} `json:"bots"`
	}
	list := func() bots {
		t.Helper()
		code, body := call("GET", "/api/v1/telegram-bots", "", "")
		if code != 200 || strings.Contains(body, token) || strings.Contains(body, "desk-added_token") {
			t.Fatalf("list: %d %s", code, body)
		}
		var b bots
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}

	code, body := call("POST", "/api/v1/telegram-bots", `{"name":"sales","token":"424242:mistyped","mode":"polling"}`, "zh-CN")
	if code != 400 || !strings.Contains(body, "Telegram 拒绝了此令牌") {
		t.Fatalf("a refused token: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/telegram-bots", `{"name":"sales","mode":"webhook","token":"`+token+`"}`, "en"); code != 400 || !strings.Contains(body, "public_url") {
		t.Fatalf("webhook mode without public_url: %d %s", code, body)
	}
	if b := list(); len(b.Bots) != 0 {
		t.Fatalf("a refused bot was kept: %+v", b)
	}

	code, body = call("POST", "/api/v1/telegram-bots", `{"name":"sales","token":"`+token+`","mode":"polling"}`, "")
	if code != 200 || !strings.Contains(body, `"username":"huiliu_test_bot"`) || strings.Contains(body, token) {
		t.Fatalf("save: %d %s", code, body)
	}
	const user = 660001
	fake.Push(telegramtest.Private(user, "Chen", "新加的机器人能收到吗"))
	waitUntil(t, "the ticket from the added bot", func() bool {
		var page struct {
			Tickets []struct{ Preview string } `json:"tickets"`
		}
		apiCall(t, base, tok, "GET", "/api/v1/tickets?channel=telegram", "", &page)
		return len(page.Tickets) == 1 && page.Tickets[0].Preview == "新加的机器人能收到吗"
	})
	waitUntil(t, "the bot's last update in its status", func() bool {
		b := list()
		return len(b.Bots) == 1 && b.Bots[0].Status.Running && b.Bots[0].Status.LastUpdateAt != nil && b.Bots[0].Status.Webhook != nil
	})
	if b := list().Bots[0]; b.Source != "admin" || b.Username != "huiliu_test_bot" || b.Mode != "polling" {
		t.Errorf("bot = %+v", b)
	}

	if code, body := call("POST", "/api/v1/telegram-bots/sales/test", `{"chat_id":"660001","text":"测试"}`, ""); code != 204 {
		t.Fatalf("test message: %d %s", code, body)
	}
	if s := fake.SentTo(user); len(s) != 1 || s[0].Text != "测试" {
		t.Fatalf("test message in the chat: %+v", s)
	}
	fake.MissingChat(9)
	if code, body := call("POST", "/api/v1/telegram-bots/sales/test", `{"chat_id":"9","text":"x"}`, "en"); code != 400 || !strings.Contains(body, "chat not found") {
		t.Fatalf("test message to a missing chat: %d %s", code, body)
	}
	if code, body := call("POST", "/api/v1/telegram-bots/sales/test", `{"chat_id":"abc","text":"x"}`, "zh-CN"); code != 400 || !strings.Contains(body, "聊天 ID 须为整数") {
		t.Fatalf("a bad chat id: %d %s", code, body)
	}
	var audit struct {
		Entries []struct{ Action, Target string } `json:"entries"`
	}
	apiCall(t, base, tok, "GET", "/api/v1/audit?action=telegram_bot.save", "", &audit)
	if len(audit.Entries) == 0 || audit.Entries[0].Target != "sales" {
		t.Errorf("audit: %+v", audit)
	}

	// Disabled with an empty token: the stored token is kept, the bot stops.
	if code, body := call("POST", "/api/v1/telegram-bots", `{"name":"sales","mode":"polling","disabled":true}`, ""); code != 200 {
		t.Fatalf("disable: %d %s", code, body)
	}
	waitUntil(t, "the disabled bot stopped", func() bool { b := list(); return len(b.Bots) == 1 && b.Bots[0].Disabled && !b.Bots[0].Status.Running })
	if code, _ := call("POST", "/api/v1/telegram-bots/sales/test", `{"chat_id":"660001","text":"x"}`, ""); code != 404 {
		t.Errorf("a test message from a disabled bot answered %d", code)
	}
	if code, body := call("POST", "/api/v1/telegram-bots", `{"name":"sales","mode":"polling"}`, ""); code != 200 {
		t.Fatalf("enable again with the kept token: %d %s", code, body)
	}
	if code, _ := call("DELETE", "/api/v1/telegram-bots/sales", "", ""); code != 204 {
		t.Fatalf("remove: %d", code)
	}
	if code, _ := call("DELETE", "/api/v1/telegram-bots/sales", "", ""); code != 404 {
		t.Fatalf("remove twice: %d", code)
	}
	if b := list(); len(b.Bots) != 0 {
		t.Fatalf("after removal: %+v", b)
	}
}
