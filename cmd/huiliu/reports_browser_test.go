package main

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSupervisorDashboard: a supervisor opens the reports, sees the
// three seed KPIs with their trend charts in Chinese, switches the period
// with the keyboard, and the page fits a 390 px phone; an agent reaches
// only their own figures. Screenshots are kept as artifacts.
func TestBrowserSupervisorDashboard(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)

	// Some history: three customers, two answered by the agent.
	for i, text := range []string{"押金什么时候退？", "这个月的账单扣款失败了", "我要投诉你们的催收电话"} {
		var rc struct {
			TicketID string `json:"ticket_id"`
		}
		body, _ := json.Marshal(map[string]any{"external_id": "kpi-" + string(rune('a'+i)), "thread_key": "t",
			"from": map[string]string{"kind": "api", "value": "cust-" + string(rune('a'+i))}, "text": text})
		if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", string(body), &rc); st != 201 {
			t.Fatalf("inbound: %d", st)
		}
		if i < 2 {
			d.reply(d.url, rc.TicketID, "您好，我来帮您查一下。")
		}
	}
	sup := *d
	sup.agent = deskAgent{Email: "wang.zuzhang@example.com", password: "主管的 password 12"}
	body, _ := json.Marshal(map[string]any{"email": sup.agent.Email, "name": "王组长", "role": "supervisor",
		"password": sup.agent.password, "teams": []string{"在线客服组"}})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/agents", string(body), &sup.agent); st != 201 {
		t.Fatalf("create supervisor: %d", st)
	}

	boss := newPerson(t, browser, "supervisor")
	sup.login(boss, "/supervisor/reports")
	boss.do("open the dashboard in Chinese", chromedp.Navigate(d.url+"/lang?set=zh-CN&next=/supervisor/reports"))
	boss.waitFor("the three seed KPIs", `document.querySelectorAll('[data-hl="kpi-seed"]').length === 3 &&
		document.querySelector('[data-hl="reports"] h1').textContent.includes('报表')`)
	var seeds []string
	boss.eval(`[...document.querySelectorAll('[data-hl="kpi-seed"] h2')].map(e => e.textContent)`, &seeds)
	if len(seeds) != 3 || seeds[0] != "客户满意度" || seeds[2] != "及时率" {
		t.Fatalf("seed KPIs %q", seeds)
	}
	var created string
	boss.eval(`document.querySelector('[data-key="kpi.m.created"] td').textContent`, &created)
	if created != "3" {
		t.Fatalf("tickets created this week %q, want 3", created)
	}
	var charts int
	boss.eval(`[...document.querySelectorAll('svg.chart')].filter(s => s.querySelector('title') && s.getAttribute('role') === 'img').length`, &charts)
	if charts != 5 {
		t.Fatalf("%d titled charts, want 5 (three trends, days, heat map)", charts)
	}
	boss.screenshot("supervisor-dashboard")

	// The keyboard alone picks the month and applies it.
	boss.do("focus the period", chromedp.Focus(chromedp.CSS(`[data-hl="report-period"]`)))
	boss.do("choose the month", chromedp.SetValue(chromedp.CSS(`[data-hl="report-period"]`), "month"))
	boss.do("focus apply", chromedp.Focus(chromedp.CSS(`[data-hl="report-apply"]`)))
	boss.do("press Enter", chromedp.KeyEvent("\r"))
	boss.waitFor("the month's report", `location.search.includes('period=month') && document.querySelector('[data-hl="report-period"]').value === 'month'`)

	boss.do("a 390 px screen", chromedp.EmulateViewport(390, 844), chromedp.Reload())
	boss.waitFor("the dashboard on a phone", `document.querySelectorAll('[data-hl="kpi-seed"]').length === 3`)
	var overflow bool
	boss.eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		boss.fail("the dashboard scrolls sideways at 390 px")
	}
	boss.screenshot("supervisor-dashboard-390")

	agent := newPerson(t, browser, "agent")
	d.login(agent, "/me/reports")
	agent.do("open my figures", chromedp.Navigate(d.url+"/me/reports?lang=zh-CN"))
	agent.waitFor("the agent's own figures", `document.querySelectorAll('[data-hl="kpi-seed"]').length === 3`)
	agent.eval(`document.querySelector('[data-key="kpi.m.created"] td').textContent`, &created)
	if created != "2" {
		t.Fatalf("the agent's own tickets %q, want 2 (the ones they answered)", created)
	}
	agent.do("try the supervisors' dashboard", chromedp.Navigate(d.url+"/supervisor/reports"))
	agent.waitFor("a refusal, not the dashboard", `document.querySelector('[data-hl="error"]') && !document.querySelector('[data-hl="kpi-seed"]')`)
}
