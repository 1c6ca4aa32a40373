package email

import (
	"bytes"
	"net/textproto"
	"strings"

	"github.com/jhillyerd/enmime/v2"

	"huiliu/channels"
)

// automatic says why a mail was sent by a machine (RFC 3834 and the
// headers vacation responders, lists and Exchange use), or "" for a
// person's mail. The subject catches out-of-office replies that carry no
// such header, so two responders cannot ping-pong through the desk.
func automatic(h textproto.MIMEHeader, subject string) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "auto-submitted: " + oneLine(v)
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "list", "junk", "auto_reply":
		return "precedence: " + p
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id", "List-Unsubscribe"} {
		if h.Get(k) != "" {
			return strings.ToLower(k)
		}
	}
	if rp, ok := h["Return-Path"]; ok && len(rp) > 0 && strings.TrimSpace(strings.Trim(strings.TrimSpace(rp[0]), "<>")) == "" {
		return "empty return-path"
	}
	l := strings.ToLower(subject)
	for _, p := range []string{"auto:", "automatic reply", "autoreply", "auto-reply", "out of office", "out of the office",
		"自动回复", "自動回覆", "自动答复", "自動答覆", "休假", "不在办公室"} {
		if strings.Contains(l, p) {
			return "subject: " + p
		}
	}
	return ""
}

// looksLikeBounce catches bounces that are no multipart/report (old
// mailers, some hosted mail): from the mailer daemon with a bounce
// subject.
func looksLikeBounce(e channels.Email) bool {
	local, _, _ := strings.Cut(e.From.Value, "@")
	if local != "mailer-daemon" && local != "postmaster" {
		return false
	}
	s := strings.ToLower(e.Subject)
	for _, p := range []string{"undeliver", "delivery status", "delivery failure", "returned mail", "failure notice",
		"退信", "投递失败", "未能送达", "系统退信"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// readReport reads a multipart/report's delivery status (RFC 3464): the
// failed recipients and the Message-ID of the mail that bounced.
func readReport(p *enmime.Part) *Report {
	r := &Report{}
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		ct := strings.ToLower(c.ContentType)
		switch ct {
		case "message/delivery-status", "message/global-delivery-status":
			r.Failed = append(r.Failed, failures(transferDecode(c))...)
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers":
			body := transferDecode(c)
			if i := bytes.Index(body, []byte("\n\n")); i >= 0 {
				body = body[:i+2]
			} else if i := bytes.Index(body, []byte("\r\n\r\n")); i >= 0 {
				body = body[:i+4]
			}
			h, err := textproto.NewReader(bufioReader(body)).ReadMIMEHeader()
			if err == nil || len(h) > 0 {
				r.OriginalID = firstID(h.Get("Message-Id"))
			}
		}
	}
	return r
}

// failures reads the per-recipient blocks of a delivery-status part.
func failures(b []byte) []Failure {
	var out []Failure
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	for _, block := range bytes.Split(b, []byte("\n\n")) {
		h, _ := textproto.NewReader(bufioReader(append(block, '\n', '\n'))).ReadMIMEHeader()
		if h == nil || !strings.EqualFold(strings.TrimSpace(h.Get("Action")), "failed") {
			continue
		}
		addr := h.Get("Final-Recipient")
		if addr == "" {
			addr = h.Get("Original-Recipient")
		}
		if _, a, ok := strings.Cut(addr, ";"); ok {
			addr = a
		}
		addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>"))
		reason := strings.TrimSpace(h.Get("Status"))
		if d := h.Get("Diagnostic-Code"); d != "" {
			if _, d2, ok := strings.Cut(d, ";"); ok {
				d = d2
			}
			reason = strings.TrimSpace(reason + " " + strings.TrimSpace(d))
		}
		out = append(out, Failure{Address: truncBytes(oneLine(decodeText([]byte(addr), "")), 320),
			Reason: truncBytes(oneLine(decodeText([]byte(reason), "")), 500)})
	}
	return out
}
