package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store"
)

// tracker is a "remote" mail server host: it counts every connection made
// to it, so a picture (or anything else) fetched from it cannot go unseen,
// whether or not the request completes.
type tracker struct {
	srv   *httptest.Server
	conns atomic.Int64
}

func newTracker(t *testing.T, tls bool) *tracker {
	tr := &tracker{}
	tr.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write([]byte("GIF89a"))
	}))
	tr.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			tr.conns.Add(1)
		}
	}
	if tls {
		tr.srv.StartTLS()
	} else {
		tr.srv.Start()
	}
	t.Cleanup(tr.srv.Close)
	return tr
}

// deskOn is a desk service on the database of the nodes started with env,
// for handing in what a channel would (closed when the test ends).
func deskOn(t *testing.T, env []string) *desk.Service {
	t.Helper()
	cfg := store.Config{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "DATABASE_URL":
			cfg.URL = v
		case "HUILIU_DATA":
			cfg.DataDir = v
		}
	}
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := memory.New()
	t.Cleanup(func() { q.Close(); db.Close() })
	return desk.NewService(desk.Options{Store: db, Events: q.Bus()})
}

// ingestMailInto stores a customer's HTML mail on the desk's database
// directly, as the email channel would hand it in, and returns the ticket
// and message ids.
func ingestMailInto(t *testing.T, env []string, html string) (string, string) {
	t.Helper()
	ctx := context.Background()
	svc := deskOn(t, env)
	from := channels.Party{Kind: "email", Value: "zhou@example.com", Name: "周女士"}
	rc, err := svc.Ingest(ctx, channels.Inbound{
		Channel: "email", ExternalID: "hostile-" + desk.NewID() + "@mail.example.com", ThreadKey: "support", From: from,
		Text: "请看附件里的合同。", HTML: html,
		Email: &channels.Email{Mailbox: "support", Subject: "合同（恶意 HTML 测试）", From: from, HasHTML: true,
			To: []channels.Party{{Kind: "email", Value: "support@example.com"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rc.TicketID, rc.MessageID
}

// TestBrowserHostileMailIsInert: a hostile HTML mail shown in the desk's
// mail view runs nothing (every payload would set a flag on the desk page
// or call the remote host), fetches nothing from the remote host until the
// agent asks for pictures (and then only over https), and its links open
// in a new tab without an opener.
func TestBrowserHostileMailIsInert(t *testing.T) {
	browser := startBrowser(t)
	env := browserEnv(t, false)
	admin := adminToken(t, env, "admin@example.com")
	d := setupDesk(t, env, node(t, env), admin)
	agent := newPerson(t, browser, "agent")

	plain := newTracker(t, false)
	secure := newTracker(t, true)
	run := func(n string) string { // a payload that reports on the desk page and to the remote host
		return fmt.Sprintf(`top.__mailpwn=%s;new Image().src='%s/ran-%s'`, n, plain.srv.URL, n)
	}
	html := `<html><head><base href="` + plain.srv.URL + `/base/"><meta http-equiv="refresh" content="0;url=` + plain.srv.URL + `/refresh">` +
		`<link rel="stylesheet" href="` + plain.srv.URL + `/style.css">` +
		`<style>body{background:url(` + plain.srv.URL + `/css-bg.png)} p{width:expression(alert(1))}</style>` +
		`<script>` + run("1") + `</script></head><body onload="` + run("2") + `">` +
		`<p style="background:url(` + plain.srv.URL + `/inline-style.png)">尊敬的客服：请查收。</p>` +
		`<img src="` + plain.srv.URL + `/pixel.gif" alt="http pixel"><img src="` + secure.srv.URL + `/pixel.gif" alt="https pixel">` +
		`<img src="x" onerror="` + run("3") + `">` +
		`<a href="javascript:` + run("4") + `" data-t="js">javascript link</a> ` +
		`<a href="https://example.com/help" data-t="safe">帮助中心</a>` +
		`<form action="` + plain.srv.URL + `/steal"><input name="p"><button>提交</button></form>` +
		`<iframe src="` + plain.srv.URL + `/frame"></iframe><svg onload="` + run("5") + `"></svg>` +
		`<object data="` + plain.srv.URL + `/obj"></object><video poster="` + plain.srv.URL + `/poster.png"></video>` +
		`<blockquote>上一封邮件</blockquote></body></html>`
	ticketID, msgID := ingestMailInto(t, env, html)

	d.login(agent, "/tickets/"+ticketID)
	agent.do("open the mail's ticket", chromedp.Navigate(d.url+"/tickets/"+ticketID))
	entry := `document.querySelector('[data-hl="entry"][data-id="` + msgID + `"]')`
	agent.waitFor("the mail with its subject", entry+` && `+entry+`.querySelector('[data-hl="mail-subject"]').textContent.includes('合同（恶意 HTML 测试）')`)
	agent.do("open the HTML view", chromedp.Click(chromedp.JSPath(entry+`.querySelector('[data-hl="mail-show-html"]')`)))
	frame := entry + `.querySelector('[data-hl="mail-frame"]')`
	agent.waitFor("the sandboxed frame", frame+` && !`+frame+`.hidden`)
	var sandbox string
	agent.eval(frame+`.getAttribute('sandbox')`, &sandbox)
	if strings.Contains(sandbox, "allow-scripts") || strings.Contains(sandbox, "allow-same-origin") || strings.Contains(sandbox, "allow-top-navigation") {
		t.Fatalf("the mail frame's sandbox is %q", sandbox)
	}
	// The frame has an opaque origin: the desk page cannot reach into it,
	// and so nothing in it can reach the desk page.
	var opaque bool
	agent.eval(`(() => { try { return `+frame+`.contentDocument === null } catch (e) { return true } })()`, &opaque)
	if !opaque {
		t.Fatal("the mail frame shares the desk's origin")
	}
	// Wait until the frame has loaded (the desk served it), then give
	// onerror handlers and the refresh their moment.
	agent.waitFor("the frame loaded", `performance.getEntriesByType('resource').some(e => e.name.includes('/desk/messages/`+msgID+`/html'))`)
	agent.screenshot("desk-mail-html")
	var pwn any
	agent.eval(`window.__mailpwn === undefined ? null : window.__mailpwn`, &pwn)
	if pwn != nil || plain.conns.Load() != 0 || secure.conns.Load() != 0 {
		t.Fatalf("before show images: flag %v, remote connections http %d https %d", pwn, plain.conns.Load(), secure.conns.Load())
	}

	agent.do("show images", chromedp.Click(chromedp.JSPath(entry+`.querySelector('[data-hl="mail-show-images"]')`)))
	agent.waitFor("the frame reloaded with pictures", `performance.getEntriesByType('resource').some(e => e.name.includes('/desk/messages/`+msgID+`/html?images=1'))`)
	for deadline := time.Now().Add(browserWait); secure.conns.Load() == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			agent.fail("show images: the https picture was never requested")
		}
	}
	agent.eval(`window.__mailpwn === undefined ? null : window.__mailpwn`, &pwn)
	if pwn != nil || plain.conns.Load() != 0 {
		t.Fatalf("after show images: flag %v, plain http connections %d (only https pictures may load)", pwn, plain.conns.Load())
	}

	// The reply box of an email ticket sends the subject and Cc the agent
	// set with the reply.
	agent.do("back to the ticket", chromedp.Navigate(d.url+"/tickets/"+ticketID))
	agent.waitFor("the reply subject prefilled", `document.querySelector('[data-hl="mail-reply-subject"]').value === 'Re: 合同（恶意 HTML 测试）'`)
	agent.do("set the Cc", chromedp.SetValue(chromedp.CSS(`[data-hl="mail-reply-cc"]`), "李四 <li@example.net>"))
	agent.do("focus the reply box", chromedp.Focus(chromedp.CSS(`[data-hl="reply-input"]`)))
	agent.typeText("the reply", "已收到，谢谢。")
	agent.do("send the reply", chromedp.Click(chromedp.CSS(`[data-hl="reply-send"]`)))
	agent.waitFor("the reply on the timeline", entryWithText("out", "已收到，谢谢。"))
	var sent []struct {
		Direction string `json:"direction"`
		Email     *struct {
			Subject string `json:"subject"`
			Cc      []struct {
				Value string `json:"value"`
				Name  string `json:"name"`
			} `json:"cc"`
		} `json:"email"`
	}
	var page struct {
		Messages json.RawMessage `json:"messages"`
	}
	if st := apiCall(t, d.url, d.admin, "GET", "/api/v1/tickets/"+ticketID+"/messages", "", &page); st != 200 {
		t.Fatalf("messages: %d", st)
	}
	if err := json.Unmarshal(page.Messages, &sent); err != nil {
		t.Fatal(err)
	}
	last := sent[len(sent)-1]
	if last.Direction != "out" || last.Email == nil || last.Email.Subject != "Re: 合同（恶意 HTML 测试）" || len(last.Email.Cc) != 1 || last.Email.Cc[0].Value != "li@example.net" || last.Email.Cc[0].Name != "李四" {
		t.Fatalf("the reply's header: %+v", last.Email)
	}

	// The same document opened on its own (a copied link) is sandboxed by
	// its policy too: nothing runs, links open a new tab without an opener.
	agent.do("open the mail view directly", chromedp.Navigate(d.url+"/desk/messages/"+msgID+"/html"))
	agent.waitFor("the mail text", `document.body && document.body.textContent.includes('尊敬的客服')`)
	var links struct {
		Safe, JS, Scripts, Handlers int
	}
	agent.eval(`({
		Safe: document.querySelectorAll('a[href^="https://example.com/"][target="_blank"][rel~="noopener"][rel~="noreferrer"]').length,
		JS: document.querySelectorAll('a[href^="javascript:" i]').length,
		Scripts: document.querySelectorAll('script,iframe,object,form,base,meta[http-equiv],link,style:not(head > style:first-of-type)').length,
		Handlers: document.querySelectorAll('[onerror],[onload],[onclick],[style]').length,
	})`, &links)
	if links.Safe != 1 || links.JS != 0 || links.Scripts != 0 || links.Handlers != 0 {
		t.Fatalf("the mail document: %+v", links)
	}
	agent.eval(`window.__mailpwn === undefined ? null : window.__mailpwn`, &pwn)
	if pwn != nil || plain.conns.Load() != 0 {
		t.Fatalf("the mail document on its own: flag %v, plain http connections %d", pwn, plain.conns.Load())
	}
}
