package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// onePixelPNG is a real 1×1 picture, so previews and thumbnails load.
var onePixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="

// TestBrowserWidgetFilesHoursAndResolve: out of the site's hours (its SLA
// calendar opens only the day after tomorrow at 10:00), a customer writes,
// is told when the desk opens and leaves a number for a callback; sends a
// photo (dropped in Chinese, picked with the button in English) that the
// agents get on the ticket; after a reload no read message counts as
// unread; the desk resolves the chat, the customer is told and starts a
// new one. Screenshots at desktop and 390 px width in both languages.
func TestBrowserWidgetFilesHoursAndResolve(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)

	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	opens := time.Now().In(shanghai).AddDate(0, 0, 2)
	day := strings.ToLower(opens.Weekday().String()[:3])
	var cal struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/sla/calendars",
		`{"name":"门店客服","timezone":"Asia/Shanghai","hours":{"`+day+`":"10:00-11:00"}}`, &cal); st != 201 || cal.ID == "" {
		t.Fatalf("create the calendar: %d", st)
	}
	if st := apiCall(t, d.url, admin, "POST", "/api/v1/sla/policies",
		`{"name":"网页聊天","channel":"webchat","calendar_id":"`+cal.ID+`","first_response":"1h"}`, nil); st != 201 {
		t.Fatalf("create the policy: %d", st)
	}

	cases := []struct {
		lang, drop                                    string
		first, again, closed, cbBad, cbDone, resolved string
	}{
		{lang: "zh-CN", drop: "drop", first: "你好，收到的手机屏幕有裂痕", again: "我还想问一下押金",
			closed: "非工作时间", cbBad: "有效的电话号码", cbDone: "回电", resolved: "本次对话已解决"},
		{lang: "en", drop: "button", first: "Hello, the phone I received has a cracked screen", again: "One more question about the deposit",
			closed: "We are closed now", cbBad: "valid phone number", cbDone: "call you back", resolved: "This conversation was resolved"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			d.shop.mu.Lock()
			d.shop.lang = c.lang
			d.shop.mu.Unlock()
			customer := newPerson(t, browser, "customer-"+c.lang)
			customer.do("the customer's time zone", func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Shanghai"})
				return chromedp.Void{}, err
			})
			openShop(customer, d.shop)
			customer.waitFor("the launcher's inline SVG icon", widgetJS+`.querySelector('[data-hl="launcher"] svg path')`)

			widgetSend(customer, c.first)
			waitWidgetText(customer, "customer", c.first)
			customer.waitFor("the out-of-hours notice with the next opening time",
				widgetJS+`.querySelector('[data-hl="closed"]') && `+widgetJS+`.querySelector('[data-hl="closed"]').textContent.includes(`+jsString(c.closed)+`) && `+
					widgetJS+`.querySelector('[data-hl="closed"]').textContent.includes('10:00')`)
			var closedText string
			customer.eval(widgetJS+`.querySelector('[data-hl="closed"]').firstChild.textContent`, &closedText)
			if !strings.Contains(closedText, fmt.Sprint(opens.Day())) {
				t.Errorf("the notice %q does not name the opening day %d", closedText, opens.Day())
			}
			customer.waitFor("the intro collapsed after the first message", widgetJS+`.querySelector('[data-hl="intro"]').classList.contains('min')`)
			ticketID := ""
			customer.eval(`JSON.parse(localStorage.getItem('huiliu:`+d.site.Key+`')).ticket`, &ticketID)

			// A callback: a number that is none is refused on the page,
			// then one is taken and lands on the ticket.
			customer.do("type a name", chromedp.Focus(widgetSel("cb-name")))
			customer.typeText("the name", "李雷 Li Lei")
			customer.do("type a short number", chromedp.Focus(widgetSel("cb-phone")))
			customer.typeText("the number", "12")
			customer.do("ask for a callback", chromedp.Click(widgetSel("cb-send")))
			customer.waitFor("the number refused", widgetJS+`.querySelector('[data-hl="cb-note"]').textContent.includes(`+jsString(c.cbBad)+`)`)
			customer.do("retype the number", chromedp.SetValue(widgetSel("cb-phone"), "138 0013 8000"), chromedp.Click(widgetSel("cb-send")))
			customer.waitFor("the callback confirmed", `!`+widgetJS+`.querySelector('[data-hl="callback"]') && `+
				widgetJS+`.querySelector('[data-hl="cb-note"]').textContent.includes(`+jsString(c.cbDone)+`)`)

			// A photo, with a preview while it uploads, then sent.
			pick := `(() => { const b = Uint8Array.from(atob('` + onePixelPNG + `'), c => c.charCodeAt(0));
  const dt = new DataTransfer(); dt.items.add(new File([b], 'damage.png', {type: 'image/png'}));
  const w = ` + widgetJS + `;`
			if c.drop == "drop" {
				pick += `w.querySelector('[data-hl="panel"]').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); return true; })()`
			} else {
				pick += `const f = w.querySelector('[data-hl="file-input"]'); f.files = dt.files; f.dispatchEvent(new Event('change')); return true; })()`
			}
			customer.eval(pick, nil)
			customer.waitFor("the photo sent, shown from its preview",
				`Array.from(`+widgetJS+`.querySelectorAll('[data-hl="msg"][data-from="customer"][data-state="sent"] img')).some(i => i.complete && i.naturalWidth === 1)`)
			// A file of another type is refused on the page, nothing sent.
			customer.eval(`(() => { const dt = new DataTransfer(); dt.items.add(new File(['<html>'], 'page.html', {type: 'text/html'}));
  const f = `+widgetJS+`.querySelector('[data-hl="file-input"]'); f.files = dt.files; f.dispatchEvent(new Event('change')); return true; })()`, nil)
			customer.waitFor("the type refused", `!`+widgetJS+`.querySelector('[data-hl="notice"]').hidden`)
			customer.screenshot("widget-files-hours-" + c.lang)
			customer.do("a phone's viewport", chromedp.EmulateViewport(390, 844))
			customer.waitFor("the panel filling the phone's screen", widgetJS+`.querySelector('[data-hl="panel"]').getBoundingClientRect().width === 390`)
			customer.screenshot("widget-files-hours-" + c.lang + "-390")
			customer.do("a desktop viewport", chromedp.EmulateViewport(1280, 900))

			// The agents have the photo on the ticket, and the callback.
			var msgs struct {
				Messages []struct {
					Direction   string `json:"direction"`
					Text        string `json:"text"`
					Attachments []struct {
						ID   string `json:"id"`
						MIME string `json:"mime"`
						Name string `json:"name"`
					} `json:"attachments"`
				} `json:"messages"`
			}
			if st := apiCall(t, d.url, admin, "GET", "/api/v1/tickets/"+ticketID+"/messages", "", &msgs); st != 200 {
				t.Fatalf("messages: %d", st)
			}
			photo, callback := "", false
			for _, m := range msgs.Messages {
				for _, a := range m.Attachments {
					if m.Direction == "in" && a.MIME == "image/png" && a.Name == "damage.png" {
						photo = a.ID
					}
				}
				// The number is masked in lists, as every phone number is.
				callback = callback || (m.Direction == "system" && strings.Contains(m.Text, "call back on +86138****8000"))
			}
			if photo == "" || !callback {
				t.Fatalf("the ticket lacks the photo (%q) or the callback (%t): %+v", photo, callback, msgs.Messages)
			}
			req, _ := http.NewRequest(http.MethodGet, d.url+"/api/v1/attachments/"+photo, nil)
			req.Header.Set("Authorization", "Bearer "+admin)
			if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
				t.Fatalf("the agent's download of the photo: %v %v", resp, err)
			} else {
				resp.Body.Close()
			}

			// A reload: what was read counts as read; a new reply counts.
			customer.do("reload the shop page", chromedp.Navigate(d.shop.URL+"/"))
			customer.waitFor("the conversation again", widgetJS+` && `+widgetJS+`.querySelectorAll('[data-hl="msg"][data-state="sent"]').length >= 2`)
			body := fmt.Sprintf(`{"kind":"reply","text":%s}`, jsString("OK "+c.lang))
			if st := apiCall(t, d.url, admin, "POST", "/api/v1/tickets/"+ticketID+"/messages", body, nil); st != 201 {
				t.Fatalf("reply: %d", st)
			}
			customer.waitFor("a badge of one for the new reply only", widgetJS+`.querySelector('[data-hl="badge"]').textContent === '1' && !`+widgetJS+`.querySelector('[data-hl="badge"]').hidden`)
			customer.do("open the panel", chromedp.Click(widgetSel("launcher")))
			waitWidgetText(customer, "agent", "OK "+c.lang)

			// Resolved: told, and a new conversation on a new ticket.
			if st := apiCall(t, d.url, admin, "PATCH", "/api/v1/tickets/"+ticketID, `{"status":"resolved"}`, nil); st != http.StatusOK {
				t.Fatalf("resolve: %d", st)
			}
			customer.waitFor("the resolved notice", widgetJS+`.querySelector('[data-hl="resolved"]') && `+widgetJS+`.querySelector('[data-hl="resolved"]').textContent.includes(`+jsString(c.resolved)+`)`)
			customer.screenshot("widget-resolved-" + c.lang)
			customer.do("start a new conversation", chromedp.Click(widgetSel("new-chat")))
			widgetSend(customer, c.again)
			waitWidgetText(customer, "customer", c.again)
			customer.waitFor("a new ticket", `JSON.parse(localStorage.getItem('huiliu:`+d.site.Key+`')).ticket !== `+jsString(ticketID))
		})
	}
}
