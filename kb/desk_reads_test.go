package kb

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReplyText(t *testing.T) {
	for _, c := range []struct{ md, want string }{
		{"**押金**在 3 个工作日内退回。", "押金在 3 个工作日内退回。"},
		{"# 标题\n\n第一段。\n\n第二段 `代码`。", "标题\n\n第一段。\n\n第二段 代码。"},
		{"步骤：\n\n1. 打开 App\n2. 点击「我的订单」\n\n- 甲\n- 乙", "步骤：\n\n- 打开 App\n- 点击「我的订单」\n\n- 甲\n- 乙"},
		{"- 松散列表\n\n- 第二项", "- 松散列表\n\n- 第二项"},
		{"[官网](https://example.com) 与 1 &lt; 2 & 3", "官网 与 1 < 2 & 3"},
		{"<script>alert(1)</script>\n\n正文", "正文"},
		{"**Refund** *soon*, see [help](https://example.com).", "Refund soon, see help."},
		{"", ""},
	} {
		if got := ReplyText(Article{Body: c.md}); got != c.want {
			t.Errorf("ReplyText(%q) = %q, want %q", c.md, got, c.want)
		}
	}
	// The stored rendering is used when there is one.
	if got := ReplyText(Article{Body: "ignored", HTML: "<p>已渲染</p>"}); got != "已渲染" {
		t.Errorf("with HTML: %q", got)
	}
}

// FuzzReplyText: any Markdown gives text an agent can send: valid UTF-8,
// trimmed, no run of blank lines, no tag left.
func FuzzReplyText(f *testing.F) {
	for _, s := range []string{"**粗体** 与 *斜体*", "1. 一\n2. 二", "<img src=x onerror=alert(1)>", "> 引用\n\n```\ncode\n```", "| a | b |\n|---|---|\n| 1 | 2 |"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		if !utf8.ValidString(md) {
			t.Skip()
		}
		got := ReplyText(Article{Body: md})
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q", md)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "\n\n\n") {
			t.Fatalf("untidy text %q from %q", got, md)
		}
		if h := Render(md); strings.Contains(got, "<") && !strings.Contains(h, "&lt;") {
			t.Fatalf("a tag survived: %q from %q (html %q)", got, md, h)
		}
	})
}
