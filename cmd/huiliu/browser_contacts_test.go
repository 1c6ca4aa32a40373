package main

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"huiliu/channels"
	"huiliu/desk"
)

// An agent, in Chinese, is told why a customer who proved nothing cannot
// be merged, then merges the same person's Telegram contact into her email
// contact after comparing them side by side; in English, the agent undoes
// it and both customers are back as they were.
func TestBrowserContactMergeAndUndo(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	svc := deskOn(t, env)
	ctx := context.Background()
	customer := func(ch, ext string, from channels.Party, text string, links ...channels.Party) string {
		rc, err := svc.Ingest(ctx, channels.Inbound{Channel: ch, ExternalID: ext, ThreadKey: ext, From: from, Text: text, Links: links})
		if err != nil {
			t.Fatal(err)
		}
		return rc.TicketID
	}
	mail := customer("email", "m-1", channels.Party{Kind: desk.IdentityEmail, Value: "zhou.fang@example.com", Name: "周芳"}, "押金退款进度？",
		channels.Party{Kind: desk.IdentityPhone, Value: "+8613800138001", Verified: true, Method: "site_identity"})
	tg := customer("telegram", "tg-1", channels.Party{Kind: desk.IdentityTelegram, Value: "5005", Name: "芳 Telegram"}, "我的订单到哪了",
		channels.Party{Kind: desk.IdentityPhone, Value: "+8613900139002", Verified: true, Method: "telegram_contact"})
	customer("api", "a-1", channels.Party{Kind: desk.IdentityAPI, Value: "visitor-9", Name: "周先生"}, "你好")
	contactOf := func(ticketID string) string {
		var tk struct {
			Ticket struct {
				ContactID string `json:"contact_id"`
			} `json:"ticket"`
		}
		if st := apiCall(t, d.url, admin, "GET", "/api/v1/tickets/"+ticketID, "", &tk); st != 200 {
			t.Fatalf("ticket %s: %d", ticketID, st)
		}
		return tk.Ticket.ContactID
	}
	mailContact, tgContact := contactOf(mail), contactOf(tg)

	agent := newPerson(t, browser, "agent")
	d.login(agent, "/tickets/"+mail)
	agent.do("open the email ticket", chromedp.Navigate(d.url+"/tickets/"+mail))
	agent.waitFor("the panel with one past ticket", `document.querySelectorAll('[data-hl="contact-ticket"]').length === 1`)
	// A note about the customer, for colleagues only.
	agent.do("focus the note box", chromedp.Focus(chromedp.CSS(`[data-hl="note-input"]`)))
	agent.typeText("a note", "客户希望邮件联系，电话 13800138001 白天勿扰")
	agent.do("add the note", chromedp.Click(chromedp.CSS(`[data-hl="note-add"]`)))
	agent.waitFor("the note, masked, with its author", `(document.querySelector('[data-hl="contact-note"][data-mine="true"]')||{}).textContent
		&& document.querySelector('[data-hl="contact-note"]').textContent.includes("电话 138****8001 白天勿扰")
		&& document.querySelector('[data-hl="contact-note"]').textContent.includes("林晓雨")`)
	show := func(name string) {
		agent.do("show the panel", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-hl="contact-people"]').scrollIntoView()`))
		agent.screenshot(name)
	}
	find := func(q string) {
		agent.do("open the merge box and clear its search", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-hl="merge-box"]').open = true;
			document.querySelector('[data-hl="merge-q"]').value = ""`), chromedp.Focus(chromedp.CSS(`[data-hl="merge-q"]`)))
		agent.typeText("the search", q)
		agent.do("search", chromedp.Click(chromedp.CSS(`[data-hl="merge-find"]`)))
		agent.waitFor("one match", `document.querySelectorAll('[data-hl="merge-result"]').length === 1`)
		agent.do("compare", chromedp.Click(chromedp.CSS(`[data-hl="merge-compare-go"]`)))
		agent.waitFor("both side by side", `document.querySelectorAll('[data-hl="merge-side"]').length === 2`)
	}

	// A customer who proved nothing: refused, and told why, in Chinese.
	find("周先生")
	agent.waitFor("the refusal in Chinese", `(document.querySelector('[data-hl="merge-refusal"]')||{}).textContent === "无法合并：对方客户没有已验证的身份。请先让其完成验证：客户只在有凭证时才能合并。"`)
	agent.eval(`!!document.querySelector('[data-hl="merge-confirm"]')`, new(bool))
	// The Telegram contact, found by its number, may be merged.
	find("13900139002")
	agent.waitFor("the confirm button", `document.querySelector('[data-hl="merge-confirm"]') && !document.querySelector('[data-hl="merge-refusal"]')`)
	show("desk-contact-compare-zh-CN")
	agent.do("merge", chromedp.Click(chromedp.CSS(`[data-hl="merge-confirm"]`)))
	agent.waitFor("the merge shown with its undo", `document.querySelector('[data-hl="contact-merge"] [data-hl="merge-undo"]')
		&& document.querySelectorAll('[data-hl="contact-ticket"]').length === 2
		&& document.querySelector('[data-hl="identity"][data-kind="telegram"]')
		&& document.querySelector('[data-hl="contact-status"]').textContent === "客户已合并。可在“客户合并记录”中撤销。"`)
	if got := contactOf(tg); got != mailContact {
		t.Fatalf("after the merge the Telegram ticket is on %s, want %s", got, mailContact)
	}
	show("desk-contact-merge-zh-CN")

	// In English: the merge record, and its undo.
	agent.do("switch to English", chromedp.Evaluate[chromedp.Void](`document.cookie = "lang=en; path=/"`),
		chromedp.Navigate(d.url+"/tickets/"+mail))
	agent.waitFor("the merge record in English", `(document.querySelector('[data-hl="contact-merge"]')||{}).textContent.includes("was merged into this customer")`)
	agent.do("undo", chromedp.Click(chromedp.CSS(`[data-hl="merge-undo"]`)))
	agent.waitFor("the undo done", `document.querySelector('[data-hl="contact-merge"][data-undone="true"]')
		&& document.querySelectorAll('[data-hl="contact-ticket"]').length === 1
		&& !document.querySelector('[data-hl="identity"][data-kind="telegram"]')
		&& document.querySelector('[data-hl="contact-status"]').textContent === "Merge undone: both customers are back as they were."`)
	if got := contactOf(tg); got != tgContact {
		t.Fatalf("after the undo the Telegram ticket is on %s, want %s", got, tgContact)
	}
	// The refusal speaks English too.
	find("周先生")
	agent.waitFor("the refusal in English", `(document.querySelector('[data-hl="merge-refusal"]')||{}).textContent.startsWith("Cannot merge: The other customer has no verified identity.")`)
	show("desk-contact-undo-en")
}
