package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserComplaintFlagConfirmRegister: a customer threatens to call
// 12315; the agent's ticket page shows the detector's banner, "confirm as
// complaint" opens the filing form from the keyboard with the regulator
// preselected, filing shows the complaint with its deadlines, and the
// register lists it with the time left; the pages fit a 390 px phone.
func TestBrowserComplaintFlagConfirmRegister(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	agent := newPerson(t, browser, "agent")

	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	in, _ := json.Marshal(map[string]any{"external_id": "cmp-browser-1", "thread_key": "cmp", "text": "押金一直不退，再不处理我就打12315投诉你们！",
		"from": map[string]string{"kind": "api", "value": "cust-cmp-browser", "name": "赵女士"}})
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/inbound", string(in), &rc); st != 201 || rc.TicketID == "" {
		t.Fatalf("inbound: %d", st)
	}

	d.login(agent, "/tickets/"+rc.TicketID)
	agent.do("open the ticket", chromedp.Navigate(d.url+"/tickets/"+rc.TicketID))
	banner := `document.querySelector('[data-hl="complaint-banner"]')`
	agent.waitFor("the suspected-complaint banner", banner+` && `+banner+`.textContent.includes('12315')`)
	agent.screenshot("complaint-banner")

	agent.do("confirm as complaint", chromedp.Focus(chromedp.CSS(`[data-hl="complaint-confirm"]`)), chromedp.KeyEvent("\r"))
	agent.waitFor("the filing form open with the source focused and the regulator preselected",
		`document.querySelector('[data-hl="complaint-file"]').open && document.activeElement === document.querySelector('[data-hl="complaint-form-source"]') && document.activeElement.value === 'regulator'`)
	agent.do("the referral and severity",
		chromedp.SetValue(chromedp.CSS(`[data-hl="complaint-form-ref"]`), "12315"),
		chromedp.SetValue(chromedp.CSS(`[data-hl="complaint-form-severity"]`), "high"),
		chromedp.Focus(chromedp.CSS(`[data-hl="complaint-form-summary"]`)))
	agent.typeText("the summary", "设备已寄回两周，押金未退")
	// From the keyboard: the page's sticky reply box may cover the button.
	agent.do("register the complaint", chromedp.Focus(chromedp.CSS(`[data-hl="complaint-file-go"]`)), chromedp.KeyEvent("\r"))
	agent.waitFor("the complaint panel with its deadline and no banner",
		`document.querySelector('[data-hl="complaint-panel"]') && !`+banner+` && document.querySelector('[data-hl="complaint-countdown"]') && document.querySelector('[data-hl="complaint-severity"]').textContent.trim() === '高'`)
	agent.screenshot("complaint-panel")

	agent.do("open the register from the menu", chromedp.Click(chromedp.CSS(`[data-hl="nav-complaints"]`)))
	row := `document.querySelector('[data-hl="complaint-row"][data-ticket-id="` + rc.TicketID + `"]')`
	agent.waitFor("the complaint in the register", row+` && `+row+`.textContent.includes('12315') && `+row+`.querySelector('[data-hl="complaint-countdown"]').textContent.trim() !== ''`)
	agent.screenshot("complaint-register")

	agent.do("a 390 px screen", chromedp.EmulateViewport(390, 844))
	for _, path := range []string{"/complaints", "/tickets/" + rc.TicketID} {
		agent.do("open "+path, chromedp.Navigate(d.url+path))
		agent.waitFor(path+" loaded", `document.readyState === 'complete' && document.querySelector('main')`)
		var width int
		agent.eval(`document.documentElement.scrollWidth`, &width)
		agent.screenshot("complaint-390-" + sanitizeName(strings.TrimPrefix(path, "/")))
		if width > 390 {
			t.Errorf("%s is %d px wide on a 390 px screen", path, width)
		}
	}
}
