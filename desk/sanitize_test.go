package desk_test

import (
	"context"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// xssCorpus are known ways to run script through HTML that a naive filter
// lets by; none may survive sanitizing.
var xssCorpus = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="javascript:alert(1)">`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`<a href="javascript:alert(1)">click</a>`,
	`<a href="jav&#x09;ascript:alert(1)">tab</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>`,
	`<svg onload=alert(1)><circle r=1></circle></svg>`,
	`<body onload=alert(1)>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<style>body{background:url(javascript:alert(1))}</style>`,
	`<div style="background-image:url(javascript:alert(1))">styled</div>`,
	`<p style="width:expression(alert(1))">ie</p>`,
	`<form action="javascript:alert(1)"><button>go</button></form>`,
	`<input autofocus onfocus=alert(1)>`,
	`<details open ontoggle=alert(1)>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`"><script>alert(1)</script>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<a href="https://example.com" onclick="alert(1)" target="_blank">ok</a>`,
}

// unsafe reports the first script-capable construct left in out.
func unsafe(out string) string {
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "javascript:", "onerror", "onload", "onclick", "onfocus", "ontoggle",
		"<iframe", "<object", "<embed", "<style", "style=", "expression(", "<form", "<meta", "<base", "data:text", "<svg"} {
		if strings.Contains(low, bad) {
			return bad
		}
	}
	return ""
}

func TestSanitizeHTMLRemovesScript(t *testing.T) {
	for _, in := range xssCorpus {
		if out := desk.SanitizeHTML(in); unsafe(out) != "" {
			t.Errorf("%s\n  kept %q: %s", in, unsafe(out), out)
		}
	}
}

func TestSanitizeHTMLKeepsContentAndMarksLinks(t *testing.T) {
	out := desk.SanitizeHTML(`<p>您好 <b>bold</b> <a href="https://example.com/x" target="_blank">link</a></p>`)
	for _, want := range []string{"<p>", "您好", "<b>bold</b>", `href="https://example.com/x"`, `rel="nofollow noreferrer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in %s", want, out)
		}
	}
	if strings.Contains(out, "target") {
		t.Errorf("target kept: %s", out)
	}
}

func FuzzSanitizeHTML(f *testing.F) {
	for _, in := range xssCorpus {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := desk.SanitizeHTML(in)
		// Sanitizing is idempotent on its own output, so nothing in it is
		// still something the policy would remove.
		if again := desk.SanitizeHTML(out); again != out {
			t.Errorf("not stable:\n%q\n%q", out, again)
		}
	})
}

func TestIngestStoresSanitizedHTML(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	rc := ingest(t, svc, channels.Inbound{Channel: "email", ExternalID: "m1", From: channels.Party{Kind: desk.IdentityEmail, Value: "a@example.com"},
		Text: "hi", HTML: `<p>hi</p><img src=x onerror=alert(1)><script>alert(2)</script>`})
	m, err := db.Message(ctx, rc.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if unsafe(m.HTML) != "" || !strings.Contains(m.HTML, "<p>hi</p>") {
		t.Errorf("stored html: %s", m.HTML)
	}
	// Markup that was nothing but script is no message.
	_, err = svc.Ingest(ctx, channels.Inbound{Channel: "email", ExternalID: "m2", From: channels.Party{Kind: desk.IdentityEmail, Value: "a@example.com"},
		HTML: `<script>alert(1)</script>`})
	if desk.CodeOf(err) != desk.CodeInvalid {
		t.Errorf("script-only html: %v", err)
	}
}
