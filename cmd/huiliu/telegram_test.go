package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels/telegram"
	"huiliu/channels/telegram/telegramtest"
)

// TestTelegramThroughTheServer runs a real server with a polling bot
// against the fake Bot API: a customer's Telegram message becomes a ticket,
// the agent's reply reaches the chat exactly as typed, a verification
// request shows the share-phone button, and the shared own number is
// recorded as a verified phone identity.
func TestTelegramThroughTheServer(t *testing.T) {
	const token = "123456:TEST-token"
	fake := telegramtest.New(t, token)
	env := append(sharedBackends(t), "HUILIU_TELEGRAM_TOKEN="+token, "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(),
		"HUILIU_TELEGRAM_FILE_ENDPOINT="+fake.FileEndpoint())
	tok := adminToken(t, env, "tg@example.com")
	base := node(t, env)
	api := func(method, path, body string, out any) int {
		t.Helper()
		return apiCall(t, base, tok, method, path, body, out)
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	const user = 555001
	fake.Push(telegramtest.Private(user, "Fang", "你好，我想查询逾期金额"))
	var ticketID string
	eventually("the Telegram ticket", func() bool {
		var page struct {
			Tickets []struct {
				ID, Channel, Preview, ThreadKey string
			} `json:"tickets"`
		}
		api("GET", "/api/v1/tickets?channel=telegram", "", &page)
		if len(page.Tickets) == 1 && page.Tickets[0].Preview == "你好，我想查询逾期金额" {
			ticketID = page.Tickets[0].ID
			return true
		}
		return false
	})

	reply := "您好 <b>不是HTML</b> *也不是markdown* 😀"
	if code := api("POST", "/api/v1/tickets/"+ticketID+"/messages", fmt.Sprintf(`{"text":%q}`, reply), nil); code != 201 {
		t.Fatalf("reply: %d", code)
	}
	eventually("the reply in the chat", func() bool {
		s := fake.SentTo(user)
		return len(s) == 1 && s[0].ParseMode == ""
	})
	// The agent's signature line comes first: Telegram shows only the bot.
	if got := fake.SentTo(user)[0].Text; !strings.HasPrefix(got, "客服 ") || !strings.Contains(got, "（工号 HL") || !strings.HasSuffix(got, "）：\n"+reply) {
		t.Errorf("reply in the chat = %q, want the signature line and then %q", got, reply)
	}

	if code := api("POST", "/api/v1/tickets/"+ticketID+"/messages", `{"kind":"verify"}`, nil); code != 201 {
		t.Fatalf("verify request: %d", code)
	}
	eventually("the share-phone button", func() bool {
		s := fake.SentTo(user)
		return len(s) == 2 && strings.Contains(s[1].ReplyMarkup, `"request_contact":true`)
	})

	// The customer sends a photo: it is downloaded and served to the agent.
	photo := bytes.Repeat([]byte("\xff\xd8\xff 账单截图 "), 500)
	fake.AddFile("ph-1", "photos/ph-1.jpg", photo)
	pu := telegramtest.Private(user, "Fang", "")
	pu.Message.Photo = []tgbotapi.PhotoSize{{FileID: "ph-1", FileUniqueID: "u1", Width: 800, Height: 600, FileSize: len(photo)}}
	pu.Message.Caption = "这是账单"
	fake.Push(pu)
	var photoID string
	eventually("the customer's photo", func() bool {
		var ms struct {
			Messages []struct {
				Text        string
				Attachments []struct{ ID, MIME string }
			}
		}
		api("GET", "/api/v1/tickets/"+ticketID+"/messages", "", &ms)
		for _, m := range ms.Messages {
			if len(m.Attachments) == 1 && strings.Contains(m.Text, "这是账单") {
				photoID = m.Attachments[0].ID
				return true
			}
		}
		return false
	})
	req, _ := http.NewRequest("GET", base+"/api/v1/attachments/"+photoID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, photo) || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo download: %d bytes, %q", len(got), resp.Header.Get("Content-Type"))
	}

	// The agent answers with a document: it reaches the chat as a file.
	pdf := bytes.Repeat([]byte("%PDF 还款计划 "), 300)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("text", "还款计划见附件")
	part, _ := mw.CreateFormFile("file", "还款计划.pdf")
	_, _ = part.Write(pdf)
	_ = mw.Close()
	req, _ = http.NewRequest("POST", base+"/api/v1/tickets/"+ticketID+"/messages", &body)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("reply with a file: %d", resp.StatusCode)
	}
	sum := sha256.Sum256(pdf)
	eventually("the document in the chat", func() bool {
		s := fake.SentTo(user)
		return len(s) == 4 && strings.HasSuffix(s[2].Text, "）：\n还款计划见附件") && s[3].FileName == "还款计划.pdf" && s[3].FileSHA256 == hex.EncodeToString(sum[:])
	})

	// The customer taps the button: Telegram sends their own contact.
	share := telegramtest.Private(user, "Fang", "")
	share.Message.Contact = &tgbotapi.Contact{PhoneNumber: "8613800138000", FirstName: "Fang", UserID: user}
	fake.Push(share)
	eventually("the verified phone", func() bool {
		var res struct {
			Contacts []struct {
				Identities []struct {
					Kind, Value, Method string
					VerifiedAt          *time.Time `json:"verified_at"`
				}
			}
		}
		api("GET", "/api/v1/contacts?kind=phone&value=%2B8613800138000", "", &res)
		if len(res.Contacts) != 1 {
			return false
		}
		for _, id := range res.Contacts[0].Identities {
			if id.Kind == "phone" && id.VerifiedAt != nil && id.Method == "telegram_contact" {
				return true
			}
		}
		return false
	})
}

// TestTelegramWebhookOnTheServer runs a bot in webhook mode: the server
// registers its webhook with the secret, refuses a call without it, and
// stores an update that carries it, once however often it is delivered.
func TestTelegramWebhookOnTheServer(t *testing.T) {
	const token = "654321:HOOK-token"
	fake := telegramtest.New(t, token)
	addr := freeAddr(t)
	env := append(sharedBackends(t), "HUILIU_TELEGRAM_TOKEN="+token, "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(),
		"HUILIU_TELEGRAM_MODE=webhook", "HUILIU_TELEGRAM_WEBHOOK_SECRET=hook-secret-1", "HUILIU_PUBLIC_URL=http://"+addr, "HUILIU_ADDR="+addr)
	r := startNodeAt(t, env)
	hookURL := r + "/telegram/main/webhook"
	deadline := time.Now().Add(10 * time.Second)
	for {
		if u, secret := fake.Webhook(); u == hookURL && secret == "hook-secret-1" {
			break
		}
		if time.Now().After(deadline) {
			u, s := fake.Webhook()
			t.Fatalf("webhook registered as %q / %q, want %q", u, s, hookURL)
		}
		time.Sleep(20 * time.Millisecond)
	}
	update, _ := json.Marshal(map[string]any{"update_id": 9001, "message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "text": "webhook 你好",
		"chat": map[string]any{"id": 42, "type": "private"}, "from": map[string]any{"id": 42, "first_name": "W"}}})
	post := func(secret string) int {
		req, _ := http.NewRequest("POST", hookURL, strings.NewReader(string(update)))
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
	if c := post(""); c != http.StatusUnauthorized {
		t.Fatalf("no secret: %d, want 401", c)
	}
	if c := post("wrong"); c != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d, want 401", c)
	}
	for range 3 {
		if c := post("hook-secret-1"); c != http.StatusOK {
			t.Fatalf("right secret: %d, want 200", c)
		}
	}
	tok := adminToken(t, env, "w@example.com")
	var page struct {
		Tickets []struct{ ID string } `json:"tickets"`
	}
	apiCall(t, r, tok, "GET", "/api/v1/tickets?channel=telegram", "", &page)
	if len(page.Tickets) != 1 {
		t.Fatalf("tickets after the webhook calls: %d, want 1", len(page.Tickets))
	}
	var ms struct {
		Messages []struct{ Text string } `json:"messages"`
	}
	apiCall(t, r, tok, "GET", "/api/v1/tickets/"+page.Tickets[0].ID+"/messages", "", &ms)
	if len(ms.Messages) != 1 || ms.Messages[0].Text != "webhook 你好" {
		t.Fatalf("messages = %+v, want the one update once", ms.Messages)
	}
}

// TestTelegramDeepLinksMergeOneCustomer: the same customer opens the bot
// from the company's app on two Telegram accounts. Each signed deep link
// proves the customer number, so the second account's contact is merged
// into the first; a forged link proves nothing and merges nothing.
func TestTelegramDeepLinksMergeOneCustomer(t *testing.T) {
	const token, linkSecret = "777000:LINK-token", "deep-link-secret-0123456789"
	fake := telegramtest.New(t, token)
	env := append(sharedBackends(t), "HUILIU_TELEGRAM_TOKEN="+token, "HUILIU_TELEGRAM_API_ENDPOINT="+fake.Endpoint(),
		"HUILIU_TELEGRAM_LINK_SECRET="+linkSecret)
	tok := adminToken(t, env, "link@example.com")
	base := node(t, env)
	contactOf := func(user int64) (id string, idents map[string]bool) {
		var res struct {
			Contacts []struct {
				ID         string
				Identities []struct {
					Kind, Value string
					VerifiedAt  *time.Time `json:"verified_at"`
				}
			}
		}
		apiCall(t, base, tok, "GET", fmt.Sprintf("/api/v1/contacts?kind=telegram&value=%d", user), "", &res)
		if len(res.Contacts) != 1 {
			return "", nil
		}
		idents = map[string]bool{}
		for _, i := range res.Contacts[0].Identities {
			idents[i.Kind+":"+i.Value+fmt.Sprintf(":verified=%t", i.VerifiedAt != nil)] = true
		}
		return res.Contacts[0].ID, idents
	}
	wait := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	now := time.Now()
	fake.Push(telegramtest.Private(9001, "Fang", "/start "+telegram.SignLink(linkSecret, "C-1001", now)))
	wait("the first account linked", func() bool {
		_, ids := contactOf(9001)
		return ids["customer_no:C-1001:verified=true"]
	})
	first, _ := contactOf(9001)

	// A forged token on a second account: stored as /start, no link.
	fake.Push(telegramtest.Private(9002, "Fang2", "/start "+telegram.SignLink("not-the-secret-0123456789", "C-1001", now)))
	wait("the second account's contact", func() bool { id, _ := contactOf(9002); return id != "" })
	if second, _ := contactOf(9002); second == first {
		t.Fatal("a forged deep link merged the contacts")
	}

	// A valid token on the second account: one person now.
	fake.Push(telegramtest.Private(9002, "Fang2", "/start "+telegram.SignLink(linkSecret, "C-1001", now)))
	wait("the merge", func() bool { id, _ := contactOf(9002); return id == first })
	_, ids := contactOf(9001)
	if !ids["telegram:9001:verified=false"] || !ids["telegram:9002:verified=false"] || !ids["customer_no:C-1001:verified=true"] {
		t.Fatalf("merged contact identities = %v", ids)
	}
}
