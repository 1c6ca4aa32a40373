package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huiliu/kb"
)

// importDemoKB writes the demo help centre to a folder and imports it with
// `huiliu kb import`, before any node starts (a node builds its index from
// SQL when it opens).
func importDemoKB(t *testing.T, env []string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, kb.Demo()); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := huiliu(t, env, "", "kb", "import", dir); code != 0 {
		t.Fatalf("kb import: exit %d %s %s", code, out, stderr)
	}
}

// TestBrowserKBSuggestionsIntoReply: an agent opens a customer's ticket,
// the suggestions show the demo article for the customer's question, one
// click puts its text and then its help-centre link into the reply box; a
// hostile article's title and body stay text in the suggestion list, the
// editor and its live preview; the knowledge-base pages fit a 390 px phone.
func TestBrowserKBSuggestionsIntoReply(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	importDemoKB(t, env)
	d := setupDesk(t, env, node(t, env), admin)
	agent := newPerson(t, browser, "agent")

	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	in, _ := json.Marshal(map[string]any{"external_id": "kb-browser-1", "thread_key": "kb", "text": "你好，设备上周已经寄回去了，押金什么时候能退回来？",
		"from": map[string]string{"kind": "api", "value": "cust-kb-browser", "name": "王先生"}})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", string(in), &rc); st != 201 || rc.TicketID == "" {
		t.Fatalf("inbound: %d", st)
	}

	// A hostile article, published through the API as a writer and a
	// reviewer would.
	const hostileTitle = `押金 <img src=x onerror=window.__xss=21>`
	evil, _ := json.Marshal(map[string]any{"id": "evil", "locale": "zh-CN", "title": hostileTitle, "visibility": "public",
		"body": "押金 <script>window.__xss=22</script>\n\n[点我](javascript:window.__xss=23) <img src=x onerror=window.__xss=24>"})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/kb/articles", string(evil), nil); st != 201 {
		t.Fatalf("create the hostile article: %d", st)
	}
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/kb/articles/evil/submit", "", nil); st != 200 {
		t.Fatalf("submit: %d", st)
	}
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/kb/articles/evil/review", `{"approve":true}`, nil); st != 200 {
		t.Fatalf("approve: %d", st)
	}

	d.login(agent, "/tickets/"+rc.TicketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+rc.TicketID))
	hit := `document.querySelector('[data-hl="kb-hit"][data-id="deposit-refund"]')`
	agent.waitFor("the deposit article among the suggestions", hit)
	agent.do("insert the article's text", chromedp.Click(chromedp.CSS(`[data-hl="kb-hit"][data-id="deposit-refund"] [data-hl="kb-insert-text"]`)))
	reply := `document.querySelector('[data-hl="reply-input"]').value`
	agent.waitFor("the article's text in the reply box", reply+`.includes('3 个工作日') && !`+reply+`.includes('**')`)
	agent.do("insert the article's link", chromedp.Click(chromedp.CSS(`[data-hl="kb-hit"][data-id="deposit-refund"] [data-hl="kb-insert-link"]`)))
	agent.waitFor("the help-centre link in the reply box", reply+`.includes('/help/a/deposit-refund?lang=zh-CN')`)
	agent.screenshot("desk-kb-suggestions")

	// The search box, from the keyboard: "a" focuses it.
	agent.do("blur the reply box", chromedp.Blur(chromedp.CSS(`[data-hl="reply-input"]`)))
	agent.do("press a", chromedp.KeyEvent("a"))
	agent.waitFor("the search box focused", `document.activeElement === document.querySelector('[data-hl="kb-search-input"]')`)
	agent.typeText("a search", "押金")
	agent.waitFor("the hostile article's title as text in the results",
		`Array.from(document.querySelectorAll('[data-hl="kb-hit-title"]')).some(e => e.textContent === `+jsString(hostileTitle)+`)`)
	checkInert(t, agent, "the ticket page's article search")

	// Usable on a phone: no page is wider than the screen.
	agent.do("a 390 px screen", chromedp.EmulateViewport(390, 844))
	for _, path := range []string{"/kb", "/kb/articles/deposit-refund", "/tickets/" + rc.TicketID} {
		agent.do("open "+path, chromedp.Navigate(d.url+path))
		agent.waitFor(path+" loaded", `document.readyState === 'complete' && document.querySelector('main')`)
		var width int
		agent.eval(`document.documentElement.scrollWidth`, &width)
		if width > 390 {
			agent.screenshot("desk-kb-390-" + sanitizeName(strings.TrimPrefix(path, "/")))
			t.Errorf("%s is %d px wide on a 390 px screen", path, width)
		}
	}
	agent.screenshot("desk-kb-390")
	agent.do("back to a desktop screen", chromedp.EmulateViewport(1280, 900))

	// A new article through the editor: save a draft, then submit it.
	agent.do("open a new article", chromedp.Navigate(d.url+"/kb/articles/new"))
	agent.waitFor("the empty editor", `document.querySelector('[data-hl="kb-field-title"]')`)
	agent.do("focus the id", chromedp.Focus(chromedp.CSS(`[data-hl="kb-id"]`)))
	agent.typeText("the id", "invoice-how")
	agent.do("focus the title", chromedp.Focus(chromedp.CSS(`[data-hl="kb-field-title"]`)))
	agent.typeText("the title", "发票怎么开")
	agent.do("focus the body", chromedp.Focus(chromedp.CSS(`[data-hl="kb-field-body"]`)))
	agent.typeText("the body", "在 App「我的订单」里申请电子发票。")
	agent.do("save", chromedp.Click(chromedp.CSS(`[data-hl="kb-save"]`)))
	agent.waitFor("the saved draft", `location.pathname === '/kb/articles/invoice-how' && document.querySelector('[data-hl="kb-editor-status"]') && document.querySelector('[data-hl="kb-submit"]')`)
	agent.do("submit for review", chromedp.Click(chromedp.CSS(`[data-hl="kb-submit"]`)))
	agent.waitFor("the article in review", `!document.querySelector('[data-hl="kb-submit"]') && document.querySelector('.kb-st-review')`)

	// The editor and its live preview keep the hostile article inert
	// (the last step: the edit stays unsaved).
	agent.do("open the hostile article", chromedp.Navigate(d.url+"/kb/articles/evil"))
	agent.waitFor("the editor", `document.querySelector('[data-hl="kb-form"]')`)
	agent.waitFor("the title as text", `document.querySelector('[data-hl="kb-editor-title"]').textContent === `+jsString(hostileTitle))
	checkInert(t, agent, "the article editor")
	agent.do("focus the body", chromedp.Focus(chromedp.CSS(`[data-hl="kb-field-body"]`)))
	agent.typeText("more hostile Markdown", "\n\n<img src=x onerror=window.__xss=25> **粗体**")
	agent.waitFor("the live preview", `document.querySelector('[data-hl="kb-preview"] strong')`)
	checkInert(t, agent, "the editor's live preview")
}
