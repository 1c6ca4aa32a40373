package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// The phone journey, in Chinese: a call rings on the agent's extension and
// pops the caller on their desk; they take it and open its ticket from the
// toast; when it ends, the wrap-up toast opens the call's form, and the
// disposition and notes land on the call's entry with its talk time.
func TestBrowserPhoneCallJourney(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, []byte("[[phone_line]]\nname = \"hotline\"\nsecret = \""+phoneTestSecret+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env = append(env, "HUILIU_CONFIG="+conf)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	if _, stderr, code := huiliu(t, env, "", "phone", "extension", "--agent", d.agent.Email, "801"); code != 0 {
		t.Fatalf("extension: %s", stderr)
	}
	event := func(state string, extra string) {
		t.Helper()
		body := `{"call_id":"journey-1","state":"` + state + `","direction":"in","caller":"13800138000","callee":"4008001234","agent":"801"` + extra + `}`
		if code, out := postCallEvent(t, d.url, body); code != 200 {
			t.Fatalf("%s event: %d %s", state, code, out)
		}
	}

	agent := newPerson(t, browser, "agent")
	d.login(agent, "/inbox")
	event("ringing", "")
	agent.waitFor("the ringing toast with the caller", `Array.from(document.querySelectorAll('[data-hl="toast"]')).some(t => t.textContent.includes("来电") && t.textContent.includes("138") && !t.textContent.includes("13800138000"))`)
	agent.screenshot("phone-ringing-toast")
	event("answered", "")
	agent.do("open the call's ticket from the toast", chromedp.Click(chromedp.CSS(`[data-hl="toast"]`)))
	agent.waitFor("the ticket with the call in Chinese", `location.pathname.startsWith("/tickets/") && document.querySelector('[data-hl="call"]') && document.querySelector('[data-hl="call"]').textContent.includes("来电")`)
	d.waitLive(agent)
	event("ended", `,"talk_seconds":95`)
	agent.waitFor("the wrap-up toast", `Array.from(document.querySelectorAll('[data-hl="toast"]')).some(t => t.textContent.includes("通话小结"))`)
	agent.waitFor("the ended call drawn live, in Chinese", `document.querySelector('[data-hl="call"]').textContent.includes("1 分 35 秒") && document.querySelector('[data-hl="call-wrapup-form"]')`)
	agent.do("open the wrap-up from the toast", chromedp.Click(chromedp.JSPath(`Array.from(document.querySelectorAll('[data-hl="toast"]')).find(t => t.textContent.includes("通话小结"))`)))
	agent.waitFor("the form open with the disposition focused", `document.activeElement && document.activeElement.name === "disposition" && document.querySelector('[data-hl="call-wrapup"]').open`)
	agent.do("choose the disposition", chromedp.SetValue(chromedp.CSS(`[data-hl="call-wrapup-form"] select[name="disposition"]`), "promise_to_pay"))
	agent.do("focus the notes", chromedp.Focus(chromedp.CSS(`[data-hl="call-wrapup-form"] textarea[name="notes"]`)))
	agent.typeText("the notes", "客户承诺周五前还清本期")
	agent.do("save the wrap-up", chromedp.Click(chromedp.CSS(`[data-hl="call-wrapup-form"] button[type="submit"]`)))
	agent.waitFor("the wrap-up on the timeline", `(() => { const c = document.querySelector('[data-hl="call"]'); return c && c.textContent.includes("客户承诺周五前还清本期") && c.textContent.includes("承诺还款") && c.textContent.includes("1 分 35 秒"); })()`)
	agent.screenshot("phone-wrap-up-on-timeline")
}
