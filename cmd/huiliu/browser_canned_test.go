package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// An agent finds a canned reply by typing in its search box and inserts it
// with Enter; its variables come out as the customer's name, the agent's
// name and employee number and the ticket's number.
func TestBrowserCannedSearchAndVariables(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	for _, c := range []map[string]string{
		{"title": "还款提醒", "text": "请于本月 15 日前还款。"},
		{"title": "问候", "text": "{{客户姓名}}您好，我是{{ agent_name }}（工号 {{工号}}），工单 {{ticket_number}} 已收到。"},
	} {
		body, _ := json.Marshal(c)
		if st := apiCall(t, d.url, admin, "POST", "/api/v1/canned-replies", string(body), nil); st != 201 {
			t.Fatalf("create canned reply: %d", st)
		}
	}
	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	in := `{"external_id":"c-1","thread_key":"canned-1","from":{"kind":"api","value":"cust-canned","name":"王芳"},"text":"你好"}`
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", in, &rc); st != 201 || rc.TicketID == "" {
		t.Fatalf("inbound: %d", st)
	}
	var tk struct {
		Ticket struct {
			Number int64 `json:"number"`
		} `json:"ticket"`
	}
	if st := apiCall(t, d.url, admin, "GET", "/api/v1/tickets/"+rc.TicketID, "", &tk); st != 200 || tk.Ticket.Number == 0 {
		t.Fatalf("ticket: %d", st)
	}

	agent := newPerson(t, browser, "agent")
	d.login(agent, "/tickets/"+rc.TicketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+rc.TicketID))
	agent.waitFor("the canned replies loaded", `document.querySelectorAll('[data-hl="canned-picker"] option[value]:not([value=""])').length === 2`)
	agent.do("focus the canned search", chromedp.Focus(chromedp.CSS(`[data-hl="canned-search"]`)))
	agent.typeText("a search", "工单")
	agent.waitFor("only the greeting left", `Array.from(document.querySelectorAll('[data-hl="canned-picker"] option[value]:not([value=""])')).filter(o => !o.hidden).map(o => o.textContent).join() === "问候"`)
	agent.do("insert it with Enter", chromedp.KeyEvent("\r"))
	want := fmt.Sprintf("王芳您好，我是林晓雨（工号 %s），工单 %d 已收到。", d.agent.EmployeeNo, tk.Ticket.Number)
	// DevTools sends Enter's character apart from its keydown, so the
	// focused reply box may also receive a line break a real key would not.
	agent.waitFor("the filled reply in the reply box", `document.querySelector('[data-hl="reply-input"]').value.trim() === `+jsString(want))
	agent.screenshot("desk-canned-variables")
}
