package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// An agent sorts the inbox by waiting time (the order stays in the URL),
// turns new-chat alerts on (the browser is asked for permission only then)
// and is alerted of a new chat; then works the inbox, a ticket and its
// reply box at phone width (390 px), in Chinese and English.
func TestBrowserInboxSortAlertsAndPhone(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	inbound := func(n int, text string) string {
		t.Helper()
		var rc struct {
			TicketID string `json:"ticket_id"`
		}
		in := fmt.Sprintf(`{"external_id":"in-%d","thread_key":"inbox-%d","from":{"kind":"api","value":"cust-%d","name":"客户%d"},"text":%s}`,
			n, n, n, n, jsString(text))
		if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", in, &rc); st != 201 || rc.TicketID == "" {
			t.Fatalf("inbound: %d", st)
		}
		return rc.TicketID
	}
	first := inbound(1, "我的订单一直没发货，麻烦查一下 order 88231")
	second := inbound(2, "请问怎么修改还款日期？")
	// The first customer writes again: the latest activity, yet waiting longest.
	inbound(3, "发票抬头写错了，能改吗？")
	in := `{"external_id":"in-1b","thread_key":"inbox-1","from":{"kind":"api","value":"cust-1","name":"客户1"},"text":"还在吗？"}`
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", in, nil); st != 201 {
		t.Fatalf("second message: %d", st)
	}

	agent := newPerson(t, browser, "agent")
	// Notifications are the browser's: a stand-in records whether and when
	// the desk asks for permission and what it shows.
	stub := `window.hlAsked = 0; window.hlShown = [];
window.Notification = function (title) { window.hlShown.push(title); };
window.Notification.permission = "default";
window.Notification.requestPermission = function () { window.hlAsked++; window.Notification.permission = "granted"; return Promise.resolve("granted"); };`
	d.login(agent, "/inbox?view=unassigned")
	agent.do("open the unassigned view", chromedp.Navigate(d.url+"/inbox?view=unassigned"))
	d.waitLive(agent)
	agent.eval(`(() => { const s = document.querySelector('[data-hl="inbox-sort"]'); s.value = "waiting"; s.dispatchEvent(new Event("change")); return true; })()`, nil)
	agent.waitFor("the sorted view in the URL", `location.search.includes("sort=waiting") && document.querySelector('[data-hl="inbox-sort"]').value === "waiting"`)
	agent.waitFor("the longest waiting first", `(() => { const r = Array.from(document.querySelectorAll('[data-hl="inbox-row"]')).map(r => r.dataset.ticketId);
		return r.indexOf(`+jsString(first)+`) === 0 && r.indexOf(`+jsString(second)+`) === 1; })()`)
	agent.waitFor("waiting times shown", `document.querySelectorAll('[data-hl="inbox-waiting"] time').length === 3`)
	d.waitLive(agent)
	agent.eval(stub, nil)
	agent.waitFor("alerts off, nothing asked yet", `document.querySelector('[data-hl="alerts-toggle"]').getAttribute("aria-pressed") === "false" && window.hlAsked === 0`)
	agent.screenshot("inbox-desktop-zh-CN")
	agent.do("turn alerts on", chromedp.Click(chromedp.CSS(`[data-hl="alerts-toggle"]`)))
	agent.waitFor("asked once, alerts on", `window.hlAsked === 1 && document.querySelector('[data-hl="alerts-toggle"]').getAttribute("aria-pressed") === "true" &&
		document.querySelector('[data-hl="alerts-toggle"]').textContent === "新会话提醒：开"`)
	third := inbound(4, "新客户：想咨询一下租赁合同")
	agent.waitFor("a notification for the new chat", `window.hlShown.length === 1 && window.hlShown[0].startsWith("新会话 #") &&
		document.querySelector('[data-hl="alerts-toggle"]').dataset.lastAlert === `+jsString(third))
	agent.waitFor("the live inbox shows it, sorted", `Array.from(document.querySelectorAll('[data-hl="inbox-row"]')).map(r => r.dataset.ticketId).indexOf(`+jsString(third)+`) === 3`)

	// Phone width: the inbox, a ticket and its reply box fit and can be used.
	agent.do("a phone's viewport", chromedp.EmulateViewport(390, 844))
	for _, lang := range []string{"zh-CN", "en"} {
		agent.do("the inbox in "+lang, chromedp.Navigate(d.url+"/lang?set="+lang+"&next=%2Finbox%3Fview%3Dunassigned%26sort%3Dwaiting"))
		agent.waitFor("the inbox rows", `document.querySelectorAll('[data-hl="inbox-row"]').length === 4`)
		agent.waitFor("the alerts toggle kept on", `document.querySelector('[data-hl="alerts-toggle"]').getAttribute("aria-pressed") === "true"`)
		agent.waitFor("no horizontal scroll on the inbox", `document.documentElement.scrollWidth <= 390`)
		agent.screenshot("inbox-phone-" + lang)
		agent.do("open a ticket", chromedp.Navigate(d.url+"/tickets/"+first))
		agent.waitFor("the reply box", `document.querySelector('[data-hl="reply-input"]')`)
		agent.waitFor("no horizontal scroll on the ticket", `document.documentElement.scrollWidth <= 390`)
		agent.eval(`document.querySelector('[data-hl="reply-input"]').scrollIntoView({block: "center"})`, nil)
		agent.waitFor("the reply box and send button within the screen, big enough to tap", `(() => {
			const i = document.querySelector('[data-hl="reply-input"]').getBoundingClientRect();
			const s = document.querySelector('[data-hl="reply-send"]').getBoundingClientRect();
			return i.left >= 0 && i.right <= 390 && s.right <= 390 && s.height >= 40 && s.width >= 44; })()`)
		agent.screenshot("ticket-phone-" + lang)
	}
	agent.do("back to a desktop", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(d.url+"/inbox?view=unassigned&sort=deadline"))
	agent.waitFor("the English inbox", `document.querySelector('[data-hl="inbox-sort"]').value === "deadline" && document.body.innerText.includes("Customer waiting since")`)
	agent.screenshot("inbox-desktop-en")
}
