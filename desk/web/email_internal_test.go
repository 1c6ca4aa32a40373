package web

import (
	"net/mail"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

func TestFoldMailText(t *testing.T) {
	cases := []struct {
		name, text, main string
		quoteAt          int
	}{
		{"gmail zh", "好的，谢谢。\n\n在 2026年12月1日 周二 10:00，客服 <s@x.com> 写道：\n> 请提供合同\n", "好的，谢谢。", 0},
		{"gmail en", "Thanks.\nOn Tue, Dec 1, 2026 at 10:00 Support <s@x.com> wrote:\n> send it\n", "Thanks.", 0},
		{"outlook", "收到\n\n-----Original Message-----\nFrom: a\n", "收到", 0},
		{"outlook zh header", "收到\n\n发件人: 客服 <s@x.com>\n发送时间: 2026年12月1日\n主题: 合同\n", "收到", 0},
		{"foxmail", "收到\n------------------ 原始邮件 ------------------\n发件人: a\n", "收到", 0},
		{"signature", "收到\n-- \n王先生\n电话 138\n", "收到", 0},
		{"trailing quote", "ok\n> a\n>b\n\n", "ok", 0},
		{"interleaved stays", "> question 1\nanswer 1\n> question 2\nanswer 2\n", "> question 1\nanswer 1\n> question 2\nanswer 2\n", 0},
		{"only quote stays", "> all quoted\n", "> all quoted\n", 0},
		{"channel mark", "abc\nQUOTE", "abc", 4},
		{"mark inside a rune is ignored", "长文本", "长文本", 1},
	}
	for _, c := range cases {
		main, quoted := foldMailText(c.text, c.quoteAt, 0)
		if main != c.main {
			t.Errorf("%s: main %q, want %q", c.name, main, c.main)
		}
		if len(main) < len(c.text) && quoted == "" {
			t.Errorf("%s: text lost", c.name)
		}
	}
}

func TestCcLabelParsesBack(t *testing.T) {
	for _, p := range []channels.Party{
		{Value: "a@example.com"}, {Value: "b@example.com", Name: "李四"}, {Value: "c@example.com", Name: `He said "hi", \ok`},
	} {
		a, err := mail.ParseAddress(ccLabel(p))
		if err != nil || a.Address != p.Value || a.Name != p.Name {
			t.Errorf("%+v → %q → %+v, %v", p, ccLabel(p), a, err)
		}
	}
}

// FuzzMailView: any stored HTML and text becomes a mail view without a
// panic, with nothing that runs or loads on its own, and the folded text
// loses nothing.
func FuzzMailView(f *testing.F) {
	f.Add(`<p onclick="x()">hi<img src="cid:a@b"><img src="https://t.example/p.gif"><blockquote><blockquote>q</blockquote></blockquote><a href="javascript:x">l</a>`, "hi\n\n在 2026年1月1日，A 写道：\n> q\n", 0)
	f.Add(`<script>alert(1)</script><style>p{}</style><iframe src=//x></iframe><form action=//x><input></form>`, "> only\n", 3)
	f.Add("<table><tr><td><blockquote>x", "-- \nsig", 1)
	f.Fuzz(func(t *testing.T, stored, text string, at int) {
		inline := map[string]desk.Attachment{"a@b": {ContentID: "a@b", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}
		for _, images := range []bool{false, true} {
			doc, err := mailDocument("en", stored, inline, images)
			if err != nil {
				return // x/net/html refused it; the handler answers 500 without a page
			}
			low := strings.ToLower(string(doc))
			for _, bad := range []string{"<script", "<iframe", "<form", "<object", "<embed", "<base", "javascript:", " onerror=", " onclick=", " onload="} {
				if strings.Contains(low, bad) {
					t.Fatalf("mail view of %q holds %q: %s", stored, bad, doc)
				}
			}
			if !images && strings.Contains(low, `src="http`) {
				t.Fatalf("remote picture before show images: %s", doc)
			}
		}
		main, quoted := foldMailText(text, at, 0)
		if !strings.HasPrefix(text, main) || !strings.HasSuffix(text, quoted) || len(main)+len(quoted) > len(text) {
			t.Fatalf("fold of %q: %q + %q", text, main, quoted)
		}
	})
}
