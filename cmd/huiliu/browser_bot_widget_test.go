package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWidgetBot: a visitor on the shop's web chat talks to the bot
// (zh-CN). Their first question opens the conversation: the bot greets,
// then answers from the help centre (the article's short answer and its
// link). "我的账单还欠多少" starts verification: the bot asks for the
// customer number, the code goes to the record's phone (read from the
// file SMS sink), and then the balance is told. "转人工" hands off with the
// customer's place in the queue; the agent opens the ticket, sees the
// bot's transcript and its decisions, and replies; the bot says nothing
// more.
func TestBrowserWidgetBot(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	smsFile := filepath.Join(t.TempDir(), "sms.jsonl")
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, []byte("[bot]\nenabled = true\nchannels = [\"webchat\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "HUILIU_SMS_PROVIDER=file", "HUILIU_SMS_FILE="+smsFile, "HUILIU_CONFIG="+conf)
	if out, errOut, code := huiliu(t, env, "", "kb", "import", filepath.Join("..", "..", "kb", "demo")); code != 0 {
		t.Fatalf("kb import: %s%s", out, errOut)
	}
	const phone = "13812348002"
	records := filepath.Join(t.TempDir(), "customers.csv")
	csv := "customer_no,name,phone,contract_no,kind,balance,next_due_date\nC-2002,王芳," + phone + ",HT-2026-0002,loan,2345.67,2026-12-05\n"
	if err := os.WriteFile(records, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := huiliu(t, env, "", "facts", "import", records); code != 0 {
		t.Fatalf("facts import: %s%s", out, errOut)
	}
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	customer := newPerson(t, browser, "customer")
	agent := newPerson(t, browser, "agent")

	// botSaid waits for a bot message in the widget containing text.
	botSaid := func(what, text string) {
		t.Helper()
		customer.waitFor(what, `Array.from(`+widgetJS+`.querySelectorAll('[data-hl="msg"][data-from="bot"]')).some(e => e.querySelector('[data-hl="msg-text"]').textContent.includes(`+jsString(text)+`))`)
	}
	openShop(customer, d.shop)
	widgetSend(customer, "有哪些还款方式")
	botSaid("the greeting", "智能客服助手（机器人）")
	botSaid("the article's short answer with its help-centre link", "/help/a/repay-methods")
	customer.screenshot("widget-bot-answer")

	widgetSend(customer, "我的账单还欠多少")
	botSaid("the question for the customer number", "客户编号")
	widgetSend(customer, "C-2002")
	botSaid("the code sent to the phone on record", "验证码")
	widgetSend(customer, latestCode(t, smsFile, phone))
	botSaid("the balance after verification", "2,345.67")
	customer.screenshot("widget-bot-balance")

	widgetSend(customer, "转人工")
	botSaid("the hand-off with the place in the queue", "您是队列中的下一位")
	customer.screenshot("widget-bot-handoff")

	var list struct {
		Tickets []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"tickets"`
	}
	if st := apiCall(t, d.url, admin, "GET", "/api/v1/tickets?channel=webchat", "", &list); st != 200 || len(list.Tickets) != 1 || list.Tickets[0].Status != "open" {
		t.Fatalf("tickets after the hand-off: %d %+v", st, list)
	}
	ticketID := list.Tickets[0].ID
	d.login(agent, "/tickets/"+ticketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+ticketID))
	agent.waitFor("the bot's transcript", `Array.from(document.querySelectorAll('[data-hl="entry"][data-author="bot"]')).some(e => e.textContent.includes('2,345.67'))`)
	agent.waitFor("the bot panel with its decisions", `['greet','answer','verify_request','disclose','handoff'].every(k => document.querySelector('[data-hl="bot-panel"] .bot-kind-'+k))`)
	agent.screenshot("desk-bot-transcript")
	d.waitLive(agent)
	agent.do("focus the reply", chromedp.Focus(chromedp.CSS(`[data-hl="reply-input"]`)))
	agent.typeText("the reply", "您好，我是林晓雨，接下来由我为您服务。")
	agent.do("send it", chromedp.Click(chromedp.CSS(`[data-hl="reply-send"]`)))
	waitWidgetText(customer, "agent", "您好，我是林晓雨，接下来由我为您服务。")
	widgetSend(customer, "好的，谢谢")
	agent.waitFor("the customer's thanks on the desk", `Array.from(document.querySelectorAll('[data-hl="entry"]')).some(e => e.textContent.includes('好的，谢谢'))`)
	customer.screenshot("widget-agent-reply")
	// The bot is silent once a person has the conversation: the agent's
	// reply and the customer's thanks are the last words, nothing of the
	// bot's after them.
	msgs := d.messages(ticketID)
	handedOff := false
	for _, m := range msgs {
		if m.Direction == "system" && strings.Contains(m.Text, "bot") {
			handedOff = true
		}
	}
	var bots int
	customer.eval(`Array.from(`+widgetJS+`.querySelectorAll('[data-hl="msg"]')).slice(-2).filter(e => e.getAttribute('data-from') === 'bot').length`, &bots)
	if bots != 0 || !handedOff {
		t.Fatalf("after the hand-off: %d bot messages among the last two; hand-off recorded %v; timeline %+v", bots, handedOff, msgs)
	}
}
