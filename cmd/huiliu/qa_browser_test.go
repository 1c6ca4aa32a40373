package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiliu/desk"
)

// TestBrowserQAReviewDisputeSettle: a supervisor scores a sampled chat on
// the review screen (a comment on a message, the weighted total as the
// scores are picked), the agent disputes it from "my results", and another
// supervisor upholds it; the screens fit a 390 px phone.
func TestBrowserQAReviewDisputeSettle(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)

	// Two supervisors: one reviews, one settles.
	sups := make([]deskAgent, 2)
	for i, name := range []string{"周质检", "吴主管"} {
		sups[i] = deskAgent{Email: []string{"zhou.qa@example.com", "wu.sup@example.com"}[i], password: "质检测试 password 1"}
		body, _ := json.Marshal(map[string]any{"email": sups[i].Email, "name": name, "role": "supervisor", "password": sups[i].password})
		if st := apiCall(t, d.url, admin, "POST", "/api/v1/agents", string(body), &sups[i]); st != 201 {
			t.Fatalf("create supervisor: %d", st)
		}
	}
	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	in, _ := json.Marshal(map[string]any{"external_id": "qa-browser-1", "thread_key": "qa", "text": "我的押金什么时候退?",
		"from": map[string]string{"kind": "api", "value": "cust-qa-browser", "name": "王先生"}})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", string(in), &rc); st != 201 {
		t.Fatalf("inbound: %d", st)
	}
	d.reply(d.url, rc.TicketID, "您好,押金会在设备验收后 3 个工作日内退回。")
	if st := apiCall(t, d.url, admin, "PATCH", "/api/v1/tickets/"+rc.TicketID, `{"status":"closed"}`, nil); st != 200 {
		t.Fatalf("close: %d", st)
	}
	var plan struct {
		ID string `json:"id"`
	}
	pb, _ := json.Marshal(map[string]any{"name": "每周抽检", "scorecard_id": "default", "per_agent": 3, "rules": []string{desk.QAReasonComplaint, desk.QAReasonSLA, desk.QAReasonTransfer}, "reviewers": []string{sups[0].ID}, "active": true})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/qa/plans", string(pb), &plan); st != 201 {
		t.Fatalf("plan: %d", st)
	}
	var run desk.QARunResult
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/qa/plans/"+plan.ID+"/run", `{"week":"`+desk.QAWeekOf(time.Now())+`"}`, &run); st != 200 || len(run.Reviews) != 1 {
		t.Fatalf("run: %d %+v", st, run)
	}
	reviewPath := "/qa/reviews/" + run.Reviews[0].ID

	// The reviewer works the queue.
	reviewer := newPerson(t, browser, "reviewer")
	as := func(a deskAgent) *browserDesk { c := *d; c.agent = a; return &c }
	as(sups[0]).login(reviewer, "/qa")
	reviewer.do("open the queue", chromedp.Navigate(d.url+"/qa"))
	reviewer.waitFor("the sampled ticket in the queue", `document.querySelector('[data-hl="qa-review-link"]')`)
	reviewer.do("open the review", chromedp.Click(chromedp.CSS(`[data-hl="qa-review-link"]`)))
	reviewer.waitFor("the review screen with the chat and seven criteria",
		`document.querySelectorAll('[data-hl="qa-criterion"]').length === 7 && document.querySelector('[data-hl="qa-timeline"]').textContent.includes('3 个工作日')`)
	// A comment on the agent's reply.
	reply := `[data-hl="qa-entry"].dir-out`
	reviewer.do("open the comment box", chromedp.Click(chromedp.CSS(reply+` [data-hl="qa-comment-open"]`)))
	reviewer.do("focus the comment", chromedp.Focus(chromedp.CSS(reply+` [data-hl="qa-comment-text"]`)))
	reviewer.typeText("the comment", "未说明验收标准")
	reviewer.do("add the comment", chromedp.KeyEvent("\r"))
	reviewer.waitFor("the comment under the reply", `(document.querySelector('`+reply+` [data-hl="qa-comments"]') || {}).textContent?.includes('未说明验收标准')`)
	// Scores: 4 everywhere, 2 on identity (weight 20): 80 − 8 = 72.
	reviewer.eval(`document.querySelectorAll('[data-hl="qa-criterion"]').forEach(fs => fs.querySelector('input[value="' + (fs.dataset.key === 'identity' ? 2 : 4) + '"]').click()); true`, nil)
	reviewer.waitFor("the live total", `document.querySelector('[data-hl="qa-total"]').textContent === '72'`)
	reviewer.screenshot("desk-qa-review")
	reviewer.do("submit", chromedp.Click(chromedp.CSS(`[data-hl="qa-submit"]`)))
	reviewer.waitFor("the review scored", `document.querySelector('[data-hl="qa-review-status"]').textContent === '已评分' && document.querySelector('[data-hl="qa-total"]').textContent === '72'`)

	// The agent disputes it.
	agent := newPerson(t, browser, "agent")
	d.login(agent, "/qa/mine")
	agent.do("open my results", chromedp.Navigate(d.url+"/qa/mine"))
	agent.waitFor("the result", `document.querySelector('[data-hl="qa-result-total"]') && document.querySelector('[data-hl="qa-result-total"]').textContent === '72'`)
	agent.do("open it", chromedp.Click(chromedp.CSS(`[data-hl="qa-review-link"]`)))
	agent.waitFor("the dispute form", `document.querySelector('[data-hl="qa-dispute-reason"]')`)
	agent.do("a 390 px screen", chromedp.EmulateViewport(390, 844))
	var width int
	agent.eval(`document.documentElement.scrollWidth`, &width)
	if width > 390 {
		agent.screenshot("desk-qa-review-390")
		t.Errorf("the review screen is %d px wide on a 390 px screen", width)
	}
	agent.do("focus the reason", chromedp.Focus(chromedp.CSS(`[data-hl="qa-dispute-reason"]`)))
	agent.typeText("the reason", "客户在上一通电话已核实身份")
	agent.do("dispute", chromedp.Click(chromedp.CSS(`[data-hl="qa-dispute-submit"]`)))
	agent.waitFor("the review disputed", `document.querySelector('[data-hl="qa-review-status"]').textContent === '申诉中'`)
	agent.screenshot("desk-qa-review-390-disputed")

	// Another supervisor upholds it.
	settler := newPerson(t, browser, "settler")
	as(sups[1]).login(settler, "/qa")
	settler.do("open the queue", chromedp.Navigate(d.url+"/qa"))
	settler.waitFor("the dispute in the queue", `document.querySelector('[data-hl="qa-review-link"]')`)
	settler.do("open the dispute", chromedp.Navigate(d.url+reviewPath))
	settler.waitFor("the settle form with the agent's reason", `document.querySelector('[data-hl="qa-settle-form"]') && document.querySelector('[data-hl="qa-dispute"]').textContent.includes('上一通电话')`)
	settler.do("focus the note", chromedp.Focus(chromedp.CSS(`[data-hl="qa-settle-note"]`)))
	settler.typeText("the note", "录音中未见核实步骤,维持原分")
	settler.do("settle", chromedp.Click(chromedp.CSS(`[data-hl="qa-settle-submit"]`)))
	settler.waitFor("the review settled", `document.querySelector('[data-hl="qa-review-status"]').textContent === '已裁定' && document.querySelector('[data-hl="qa-settled"]').textContent.includes('维持原分')`)

	var audit struct {
		Entries []struct {
			Action string `json:"action"`
		} `json:"entries"`
	}
	if st := apiCall(t, d.url, admin, "GET", "/api/v1/audit", "", &audit); st != 200 {
		t.Fatalf("audit: %d", st)
	}
	var got []string
	for _, e := range audit.Entries {
		if strings.HasPrefix(e.Action, "qa.review.") {
			got = append(got, e.Action)
		}
	}
	if strings.Join(got, " ") != "qa.review.settle qa.review.dispute qa.review.submit" {
		t.Fatalf("audit: %v", got)
	}
}
