package main

// Real-browser end-to-end tests: headless Chromium drives the widget on a
// customer's shop page (another loopback address, so a true cross-site
// embed) and the agent desk, both against the real server binary.
//
// They need Chromium (Debian packages chromium and fonts-wqy-microhei for
// the Chinese text). Without it they skip, or fail when CI is set, since CI
// installs it and must run them. Screenshots go to $HUILIU_ARTIFACTS, or
// artifacts/screenshots at the repository root.
//
// Run them with: go test -race -run Browser ./cmd/huiliu/

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// entryWithText finds a timeline entry of a direction whose text holds s.
func entryWithText(direction, s string) string {
	return `Array.from(document.querySelectorAll('[data-hl="timeline"] [data-hl="entry"][data-direction="` + direction + `"]')).find(e => e.textContent.includes(` + jsString(s) + `))`
}

// TestBrowserChatRoundTrip: a customer writes in Chinese from the widget on
// a shop page; the agent, signed in through the login form, sees the ticket
// arrive in the inbox live, opens it, answers from the ticket page, and the
// customer sees the answer with the agent's name and employee number.
func TestBrowserChatRoundTrip(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	customer := newPerson(t, browser, "customer")
	agent := newPerson(t, browser, "agent")

	const question = "你好，我想查询还款计划"
	const answer = "您好，请稍等，我为您查询。"

	// The agent waits on the unassigned queue, where a new chat lands. A
	// marker on the window tells a live update from a reload.
	d.login(agent, "/inbox?view=unassigned")
	agent.do("open the unassigned queue", chromedp.Navigate(d.url+"/inbox?view=unassigned"))
	d.waitLive(agent)
	agent.eval(`window.__sameDocument = 'inbox'; true`, nil)

	openShop(customer, d.shop)
	customer.waitFor("the site's greeting in the widget", widgetJS+`.querySelector('[data-hl="greeting"]').textContent.includes('欢迎来到租机商城')`)
	customer.screenshot("widget-open")
	widgetSend(customer, question)
	waitWidgetText(customer, "customer", question)

	agent.waitFor("the new chat in the inbox, without a reload",
		`Array.from(document.querySelectorAll('[data-hl="inbox-row"]')).some(r => r.textContent.includes(`+jsString(question)+`))`)
	var same string
	agent.eval(`window.__sameDocument || ''`, &same)
	if same != "inbox" {
		t.Fatalf("the inbox reloaded to show the new chat (marker %q); it should update live", same)
	}
	var ticketID string
	agent.eval(`Array.from(document.querySelectorAll('[data-hl="inbox-row"]')).find(r => r.textContent.includes(`+jsString(question)+`)).getAttribute('data-ticket-id')`, &ticketID)
	if ticketID == "" {
		t.Fatal("the inbox row has no data-ticket-id")
	}
	agent.screenshot("desk-inbox")

	agent.do("open the ticket from the inbox", chromedp.Click(chromedp.CSS(`[data-hl="inbox-row"][data-ticket-id="`+ticketID+`"] a`)))
	agent.waitFor("the ticket page", `location.pathname === '/tickets/`+ticketID+`'`)
	agent.waitFor("the customer's message on the timeline", entryWithText("in", question))
	d.waitLive(agent)

	agent.do("focus the reply box", chromedp.Focus(chromedp.CSS(`[data-hl="reply-input"]`)))
	agent.typeText("the reply", answer)
	agent.do("send the reply", chromedp.Click(chromedp.CSS(`[data-hl="reply-send"]`)))
	agent.waitFor("the reply on the timeline", entryWithText("out", answer))
	// The first public reply makes its agent the owner (首问负责制); the
	// header follows live.
	agent.waitFor("the agent as the ticket's owner in the header",
		`(document.querySelector('[data-hl="owner"]') || {textContent: ''}).textContent.includes(`+jsString(d.agent.Name)+`)`)
	// …and the ticket leaves the unassigned queue for the agent's own.
	agent.waitFor("the sidebar counts moving the ticket to 我的工单",
		`document.querySelector('[data-hl="count-unassigned"]').textContent.trim() === '0' && document.querySelector('[data-hl="count-mine"]').textContent.trim() === '1'`)

	waitWidgetText(customer, "agent", answer)
	var msgs []widgetMsg
	for _, m := range widgetMessages(customer) {
		if m.From == "agent" && m.Text == answer {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 1 {
		t.Fatalf("the widget shows the reply %d times: %+v", len(msgs), widgetMessages(customer))
	}
	if m := msgs[0]; !strings.Contains(m.Meta, d.agent.Name) || !strings.Contains(m.Meta, "工号 "+d.agent.EmployeeNo) {
		t.Errorf("the reply's byline is %q; want the agent's name %q and 工号 %s", m.Meta, d.agent.Name, d.agent.EmployeeNo)
	}
	customer.screenshot("widget-messages")
	agent.screenshot("desk-ticket")

	// The agent works from New York: they choose their zone on the header's
	// control, the page reloads, and every time reads as New York's wall
	// clock with its label — the server's and the script's alike.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	_, off := time.Now().In(ny).Zone()
	label := fmt.Sprintf("UTC%d", off/3600) // UTC-5 in winter, UTC-4 in summer
	agent.eval(`(() => { const s = document.querySelector('[data-hl="me-zone"]'); s.value = 'America/New_York'; s.dispatchEvent(new Event('change')); return true; })()`, nil)
	agent.waitFor("the page in the agent's new zone", `document.body.dataset.zone === 'America/New_York' && document.querySelector('[data-hl="entry"] time')`)
	d.waitLive(agent)
	var shown struct {
		Server, Script, Selected string
	}
	agent.eval(`(() => { const t = document.querySelector('[data-hl="entry"] time');
		return {Server: t.title, Script: HL.absTime(t.getAttribute('datetime')), Selected: document.querySelector('[data-hl="me-zone"]').value}; })()`, &shown)
	if !strings.HasSuffix(shown.Server, " "+label) || shown.Script != shown.Server || shown.Selected != "America/New_York" {
		t.Errorf("times in New York: server %q, script %q, control %q; want both ending in %s and equal", shown.Server, shown.Script, shown.Selected, label)
	}
	agent.waitFor("the follow-up form's zone hint", `document.querySelector('[data-hl="zone-hint"]').textContent.includes(`+jsString(label)+`)`)
	agent.screenshot("desk-ticket-new-york")
}

// TestBrowserWidgetReconnect: the node under the widget stops; while it is
// down the customer types a message and an agent answers through another
// node; the node comes back on the same address, and the widget reconnects
// on its own and shows every message exactly once, in order.
func TestBrowserWidgetReconnect(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, true) // several nodes on one store
	admin := adminToken(t, env, "admin@example.com")
	addr := freeAddr(t)
	first := startNodeArgs(t, env, "--addr", addr)
	d := setupDesk(t, env, first.url, admin)
	customer := newPerson(t, browser, "customer")

	openShop(customer, d.shop)
	widgetSend(customer, "第一条：我的押金什么时候退？")
	waitWidgetText(customer, "customer", "第一条：我的押金什么时候退？")
	ticketID := webchatTicket(t, d)
	d.reply(d.url, ticketID, "回复一：验机后三个工作日内退回。")
	waitWidgetText(customer, "agent", "回复一：验机后三个工作日内退回。")

	// Stop the node: the widget's socket drops.
	if err := first.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-first.exited:
		if err != nil {
			t.Fatalf("first node exited with %v; logs:\n%s", err, first.logs.String())
		}
	case <-time.After(20 * time.Second):
		_ = first.cmd.Process.Kill()
		t.Fatalf("first node did not stop on SIGTERM; logs:\n%s", first.logs.String())
	}
	customer.waitFor("the widget noticing the lost connection", `!`+widgetJS+`.querySelector('[data-hl="status"]').hidden`)

	// Typed while nothing listens: it must wait in the widget's outbox.
	const offline = "断线时发的消息：还在吗？"
	widgetSend(customer, offline)
	customer.waitFor("the offline message shown as pending",
		`Array.from(`+widgetJS+`.querySelectorAll('[data-hl="msg"][data-state="pending"]')).some(e => e.textContent.includes(`+jsString(offline)+`))`)

	// An agent on another node answers while the widget's node is down, so
	// the widget can only learn of it by resuming after it reconnects.
	other := startNode(t, env)
	stopAtCleanup(t, other)
	d.reply(other.url, ticketID, "断线期间的回复：我们在的，请稍候。")

	back := startNodeArgs(t, env, "--addr", addr)
	stopAtCleanup(t, back)
	if back.url != first.url {
		t.Fatalf("restarted node listens on %s, want %s", back.url, first.url)
	}
	// The widget retries with a backoff capped at 30 s, so its reconnect
	// may take up to that long after the node is back.
	waitWidgetTextWithin(customer, 35*time.Second, "customer", offline)
	waitWidgetText(customer, "agent", "断线期间的回复：我们在的，请稍候。")
	// A last reply after the reconnect: once it shows, anything the resume
	// would have repeated has arrived before it (the widget gets the
	// timeline in order).
	d.reply(back.url, ticketID, "最后一条：已为您登记。")
	waitWidgetText(customer, "agent", "最后一条：已为您登记。")
	customer.screenshot("widget-after-reconnect")

	want := []struct{ from, text string }{
		{"customer", "第一条：我的押金什么时候退？"},
		{"agent", "回复一：验机后三个工作日内退回。"},
		{"agent", "断线期间的回复：我们在的，请稍候。"},
		{"customer", offline},
		{"agent", "最后一条：已为您登记。"},
	}
	got := widgetMessages(customer)
	var gotList, wantList []string
	for _, m := range got {
		gotList = append(gotList, fmt.Sprintf("%s %s %s", m.From, m.State, m.Text))
	}
	for _, w := range want {
		wantList = append(wantList, fmt.Sprintf("%s sent %s", w.from, w.text))
	}
	if strings.Join(gotList, "\n") != strings.Join(wantList, "\n") {
		t.Fatalf("the widget shows\n  %s\nwant\n  %s", strings.Join(gotList, "\n  "), strings.Join(wantList, "\n  "))
	}
	// The ids the widget shows are the stored messages', each once.
	stored := map[string]string{}
	inbound := 0
	for _, m := range d.messages(ticketID) {
		stored[m.ID] = m.Text
		if m.Direction == "in" && m.Text == offline {
			inbound++
		}
	}
	if inbound != 1 {
		t.Errorf("the offline message is stored %d times, want once", inbound)
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.ID] || stored[m.ID] != m.Text {
			t.Errorf("widget message %q (%s) is a duplicate or not the stored message %q", m.ID, m.Text, stored[m.ID])
		}
		seen[m.ID] = true
	}
}

// webchatTicket is the id of the one webchat ticket on the desk.
func webchatTicket(t *testing.T, d *browserDesk) string {
	t.Helper()
	var page struct {
		Tickets []struct {
			ID string `json:"id"`
		} `json:"tickets"`
	}
	if st := apiCall(t, d.url, d.admin, "GET", "/api/v1/tickets?channel=webchat", "", &page); st != 200 || len(page.Tickets) != 1 {
		t.Fatalf("webchat tickets: %d %+v", st, page)
	}
	return page.Tickets[0].ID
}

// xssPayloads are customer texts that would run script if any page put
// them into the DOM as HTML. Each one sets window.__xss.
var xssPayloads = []string{
	`<script>window.__xss=1</script>`,
	`<img src=x onerror="window.__xss=2">`,
	`<a href="javascript:window.__xss=3">click</a>`,
	`<svg onload="window.__xss=4"></svg>`,
	`"><iframe srcdoc="<script>parent.__xss=5</script>">`,
}

// inertJS is true when no payload became markup or ran: nothing set
// window.__xss, and no element carries an event handler attribute, a
// srcdoc or a javascript: link (the desk's and the widget's own markup has
// none; they attach handlers from script).
const inertJS = `(() => {
  const bad = root => root.querySelectorAll('[onerror],[onload],[srcdoc],a[href^="javascript:" i],iframe').length;
  const h = document.querySelector('[data-hl=host]');
  return window.__xss === undefined && bad(document) === 0 && !(h && h.shadowRoot && bad(h.shadowRoot) > 0);
})()`

// TestBrowserStoredXSS: hostile texts from a customer (messages and a
// signed display name) and from an agent show as literal text on the desk's
// inbox and ticket page and in the widget, and none of them runs.
func TestBrowserStoredXSS(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	customer := newPerson(t, browser, "customer")
	agent := newPerson(t, browser, "agent")

	const hostileName = `<img src=x onerror=window.__xss=6>`
	d.shop.signIn(d.site.Secret, "C-XSS-0006", hostileName)

	d.login(agent, "/inbox?view=unassigned")
	agent.do("open the unassigned queue", chromedp.Navigate(d.url+"/inbox?view=unassigned"))
	d.waitLive(agent)

	openShop(customer, d.shop)
	for _, p := range xssPayloads {
		widgetSend(customer, p)
		waitWidgetText(customer, "customer", p)
	}
	checkInert(t, customer, "the shop page after sending")

	// The inbox renders the new ticket live (contact name, preview of the
	// last payload), then again from the server on a fresh load.
	last := xssPayloads[len(xssPayloads)-1]
	rowJS := `Array.from(document.querySelectorAll('[data-hl="inbox-row"]')).find(r => r.textContent.includes(` + jsString(hostileName) + `))`
	agent.waitFor("the hostile customer's row in the inbox, by name as text", rowJS)
	agent.waitFor("the last payload as the row's preview", rowJS+`.textContent.includes(`+jsString(last)+`)`)
	checkInert(t, agent, "the live inbox")
	agent.do("reload the inbox", chromedp.Reload())
	agent.waitFor("the row after a reload", rowJS)
	checkInert(t, agent, "the inbox")
	agent.screenshot("desk-inbox-xss")

	var ticketID string
	agent.eval(rowJS+`.getAttribute('data-ticket-id')`, &ticketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+ticketID))
	for _, p := range xssPayloads {
		agent.waitFor(fmt.Sprintf("payload %q as literal text on the timeline", p),
			`Array.from(document.querySelectorAll('[data-hl="timeline"] [data-hl="entry"][data-direction="in"]')).some(e => (e.querySelector('.body') || e).textContent.trim() === `+jsString(p)+`)`)
	}
	agent.waitFor("the contact's name as text", `document.body.textContent.includes(`+jsString(hostileName)+`)`)
	// Clicking the link's text would follow it if it had become a link.
	agent.do("click the javascript: link's text", chromedp.Click(chromedp.JSPath(entryWithText("in", `javascript:window.__xss=3`))))
	checkInert(t, agent, "the ticket page")
	d.waitLive(agent)

	// An agent's hostile reply: rendered live on the ticket page and shown
	// in the widget as text.
	const hostileReply = `<img src=x onerror="window.__xss=7"><script>window.__xss=8</script>`
	agent.do("focus the reply box", chromedp.Focus(chromedp.CSS(`[data-hl="reply-input"]`)))
	agent.typeText("the hostile reply", hostileReply)
	agent.do("send the reply", chromedp.Click(chromedp.CSS(`[data-hl="reply-send"]`)))
	agent.waitFor("the hostile reply on the timeline", entryWithText("out", hostileReply))
	checkInert(t, agent, "the ticket page after the reply")
	agent.screenshot("desk-ticket-xss")

	waitWidgetText(customer, "agent", hostileReply)
	checkInert(t, customer, "the shop page after the agent's reply")
	customer.screenshot("widget-xss")
}

// checkInert fails the test when a payload became markup or ran on the
// page. Event handlers from an injected img run after its load fails, a
// moment after insertion, so the attribute check is the one that cannot
// miss; __xss is read again at the end of each test's steps.
func checkInert(t *testing.T, p *person, where string) {
	t.Helper()
	var ok bool
	p.eval(inertJS, &ok)
	if !ok {
		var xss any
		p.eval(`window.__xss === undefined ? null : window.__xss`, &xss)
		p.fail("%s: a payload became markup or ran (window.__xss = %v)", where, xss)
	}
}
