package web_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/desk/web"
	"huiliu/kb"
	"huiliu/store/storetest"
)

// The suggested reply on an email ticket: the API answers the article's
// short answer for the customer's mail, a chat ticket is refused with a
// translated reason, and the ticket page shows the panel (with its insert
// button, for ticket.js's reply box) on email tickets only.
func TestBotSuggestedReplyOnEmail(t *testing.T) {
	db := storetest.New(t)
	h := newHarnessWith(t, db, desk.Options{BotChannels: []string{bot.TryChannel}}, func(o *web.Options) {
		eng, err := bot.New(bot.Options{Desk: o.Service, OTP: o.OTP, KB: o.KB, State: db, Default: bot.SiteSettings{Enabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		o.Bot = botadmin.New(botadmin.Options{Store: db, Desk: o.Service, Engine: eng})
	})
	ctx := context.Background()
	articles := fstest.MapFS{}
	for _, name := range []string{"categories.yaml", "repay-methods.md", "invoice.md"} {
		data, err := fs.ReadFile(kb.Demo(), name)
		if err != nil {
			t.Fatal(err)
		}
		articles[name] = &fstest.MapFile{Data: data}
	}
	if _, err := h.kb.Import(ctx, desk.Actor{}, articles); err != nil {
		t.Fatal(err)
	}
	rc, err := h.svc.Ingest(ctx, channels.Inbound{Channel: "email", ExternalID: "s1", ThreadKey: "support",
		From: channels.Party{Kind: "email", Value: "wang@example.com"}, Text: "你好，请问有哪些还款方式？",
		Email: &channels.Email{Mailbox: "support", MessageID: "s1@mail.example.com", Subject: "还款",
			From: channels.Party{Kind: "email", Value: "wang@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.moveToTeam(rc.TicketID, "A")

	status, body := rawCall(t, h, "POST", "/api/v1/tickets/"+rc.TicketID+"/bot/suggestion", "Authorization", "Bearer "+h.agent, nil)
	var sg bot.Suggestion
	if err := json.Unmarshal(body, &sg); status != 200 || err != nil || sg.Kind != bot.KindAnswer || sg.MessageID != rc.MessageID ||
		!strings.Contains(sg.Text, "/help/a/repay-methods") {
		t.Fatalf("suggestion: %d %s", status, body)
	}

	chat, err := h.svc.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "c1", ThreadKey: "c",
		From: channels.Party{Kind: desk.IdentityAPI, Value: "c1"}, Text: "有哪些还款方式"})
	if err != nil {
		t.Fatal(err)
	}
	var refused struct {
		Error struct{ Code, Message string }
	}
	resp := h.call("POST", "/api/v1/tickets/"+chat.TicketID+"/bot/suggestion", h.admin, nil, &refused, "Accept-Language", "zh-CN")
	if resp.StatusCode != 400 || refused.Error.Message != "建议回复仅用于邮件工单；聊天由机器人直接回答。" {
		t.Fatalf("a chat ticket: %d %+v", resp.StatusCode, refused)
	}

	browser := h.signIn("li@example.com")
	if _, page := h.page(browser, "/tickets/"+rc.TicketID); !strings.Contains(page, `data-hl="bot-suggest-insert"`) || !strings.Contains(page, "bot_ticket.js") {
		t.Fatal("the email ticket's page has no suggested-reply panel")
	}
	if _, page := h.page(h.signIn("admin@example.com"), "/tickets/"+chat.TicketID); strings.Contains(page, `data-hl="bot-suggest"`) {
		t.Fatal("a chat ticket's page offers a suggested reply")
	}
}
