package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiliu/channels/sms"
)

// TestBrowserVerifyCard: a web chat visitor says they are customer
// C-1001; the agent records the claim (the company's record, imported,
// holds the phone) and asks them to verify; the widget shows the verify
// card; the customer asks for a code, sees it went to the masked number on
// the record, types a wrong code and then the one the file SMS provider
// wrote; the desk's verification panel shows the conversation verified
// (code to registered phone) and the customer record panel unmasks the
// balance, live.
func TestBrowserVerifyCard(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	smsFile := filepath.Join(t.TempDir(), "sms.jsonl")
	env = append(env, "HUILIU_SMS_PROVIDER=file", "HUILIU_SMS_FILE="+smsFile)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	customer := newPerson(t, browser, "customer")
	agent := newPerson(t, browser, "agent")

	const question = "我想查一下我的逾期金额"
	const phone = "13812348001"
	openShop(customer, d.shop)
	widgetSend(customer, question)
	waitWidgetText(customer, "customer", question)

	var list struct {
		Tickets []struct {
			ID string `json:"id"`
		} `json:"tickets"`
	}
	if st := apiCall(t, d.url, admin, "GET", "/api/v1/tickets", "", &list); st != 200 || len(list.Tickets) != 1 {
		t.Fatalf("tickets: %d %+v", st, list)
	}
	ticketID := list.Tickets[0].ID
	records := filepath.Join(t.TempDir(), "customers.csv")
	csv := "customer_no,name,phone,contract_no,kind,balance,next_due_date\nC-1001,王芳," + phone + ",HT-2026-0001,loan,1234.56,2026-12-05\n"
	if err := os.WriteFile(records, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := huiliu(t, env, "", "facts", "import", records); code != 0 {
		t.Fatalf("facts import: %s%s", out, stderr)
	}
	if st := apiCall(t, d.url, d.agent.token, "POST", "/api/v1/tickets/"+ticketID+"/claim", `{"customer_no":"C-1001"}`, nil); st != 200 && st != 201 {
		t.Fatalf("claim: %d", st)
	}

	d.login(agent, "/tickets/"+ticketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+ticketID))
	d.waitLive(agent)
	agent.waitFor("the panel with the masked number on record",
		`(document.querySelector('[data-hl="verify-send-sms"]') || {textContent: ''}).textContent.includes('138****8001')`)
	agent.waitFor("the panel saying not verified", `document.querySelector('[data-hl="verify-state"][data-level="0"]')`)
	agent.waitFor("the balance masked in the customer record", `document.querySelector('[data-hl="fact"][data-fact="balance"][data-shown="false"]')`)
	agent.do("ask to verify", chromedp.Click(chromedp.CSS(`[data-hl="verify-ask"]`)))

	card := widgetJS + `.querySelector('[data-hl="verify-card"]')`
	customer.waitFor("the verify card", card+` && !`+card+`.hidden`)
	customer.screenshot("verify-card")
	var codeShown bool
	customer.eval(visible("verify-code"), &codeShown)
	if codeShown {
		t.Error("the card shows the code input before a code was asked for")
	}
	customer.do("ask for a code", chromedp.Click(widgetSel("verify-send")))
	customer.waitFor("the masked number in the card",
		widgetJS+`.querySelector('[data-hl="verify-info"]').textContent.includes('138****8001')`)
	var info string
	customer.eval(widgetJS+`.textContent`, &info)
	if strings.Contains(info, phone) {
		t.Fatalf("the widget shows the full number: %q", info)
	}
	code := latestCode(t, smsFile, phone)

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	customer.do("type a wrong code", chromedp.Focus(widgetSel("verify-code")))
	customer.typeText("the wrong code", wrong)
	customer.do("submit it", chromedp.Click(widgetSel("verify-submit")))
	customer.waitFor("the wrong-code message", widgetJS+`.querySelector('[data-hl="verify-error"]').textContent.includes('验证码不正确')`)
	customer.eval(widgetJS+`.querySelector('[data-hl="verify-code"]').value = ''`, nil)
	customer.do("focus the code", chromedp.Focus(widgetSel("verify-code")))
	customer.typeText("the right code", code)
	customer.do("submit it", chromedp.Click(widgetSel("verify-submit")))
	customer.waitFor("the success message", widgetJS+`.querySelector('[data-hl="verify-info"]').textContent.includes('验证成功')`)
	customer.screenshot("verify-card-done")
	var shown bool
	customer.eval(visible("verify-send")+` || `+visible("verify-code"), &shown)
	if shown {
		t.Error("the card still offers sending or typing a code after success")
	}

	agent.waitFor("the desk showing the conversation verified, live",
		`(document.querySelector('[data-hl="verify-state"][data-level="2"]') || {textContent: ''}).textContent.includes('预留手机验证码')`)
	agent.waitFor("the balance unmasked in the customer record, live",
		`(document.querySelector('[data-hl="fact"][data-fact="balance"][data-shown="true"]') || {textContent: ''}).textContent.includes('¥1,234.56')`)
	agent.waitFor("the attempts listed", `document.querySelector('[data-hl="verify-counts"]').textContent.includes('错误 1 次')`)
	agent.screenshot("verify-panel")
	claimed := false
	for _, m := range d.messages(ticketID) {
		if strings.Contains(m.Text, code) {
			t.Fatalf("the code reached the timeline: %+v", m)
		}
		claimed = claimed || (m.Direction == "system" && strings.Contains(m.Text, "C-1001") && strings.Contains(m.Text, "verified"))
	}
	if !claimed {
		t.Error("the right code did not confirm the claimed customer number on the timeline")
	}
}

// visible is a script telling whether the widget's element hl is rendered.
func visible(hl string) string {
	return `(` + widgetJS + `.querySelector('[data-hl="` + hl + `"]').getClientRects().length > 0)`
}

// latestCode reads the code the file SMS provider wrote for phone.
func latestCode(t *testing.T, path, phone string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, err := sms.LatestCode(path, phone)
		if err == nil {
			return code
		}
		if !errors.Is(err, sms.ErrNoCode) || time.Now().After(deadline) {
			t.Fatalf("no code in %s: %v", path, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
