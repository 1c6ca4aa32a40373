package email

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"huiliu/channels"
	"huiliu/channels/channeltest"
)

func parseFixture(t *testing.T, name string) Mail {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		t.Fatal(err)
	}
	return ParseMail(raw)
}

// TestCorpus states what each fixture must become.
func TestCorpus(t *testing.T) {
	for _, c := range []struct {
		file, subject, from, fromName, text string
		automatic, malformed, html, report  bool
	}{
		{file: "gb2312.eml", subject: "还款日期咨询", from: "zhang.san@example.cn", fromName: "张三", text: "您好，我的还款日期是几号？镕基𠮷"},
		{file: "gbk_qp.eml", subject: "逾期费用能减免吗", from: "li.si@example.cn", fromName: "李四", text: "请问逾期费用能否减免？谢谢。"},
		{file: "big5.eml", subject: "請問我的帳單", from: "chan@example.hk", fromName: "陳大文", text: "請問我的帳單為什麼多了一筆費用？"},
		{file: "unlabelled_gbk.eml", subject: "租赁合同问题", from: "wang@example.cn", text: "您好，我想提前归还租赁的设备，请问需要什么手续？合同编号是 A2026-118。"},
		{file: "utf8_invalid.eml", subject: "broken bytes", from: "bad@example.com", text: "你好世界 \uFFFD hello"},
		{file: "autoreply.eml", from: "zhang.san@example.cn", automatic: true, text: "I am on leave."},
		{file: "ooo_no_headers.eml", from: "li.si@example.cn", automatic: true, subject: "自动回复: 您好"},
		{file: "bulk.eml", from: "news@shop.example", automatic: true},
		{file: "bounce_dsn.eml", automatic: true, report: true},
		{file: "bounce_plain.eml", report: true},
		{file: "malformed.eml", from: "broken@example.com", malformed: true},
		{file: "deep_nesting.eml", from: "nest@example.com", malformed: true, text: ""},
		{file: "hostile_html.eml", from: "attacker@example.com", html: true, text: "plain version"},
		{file: "header_injection.eml", from: "evil@example.com"},
	} {
		t.Run(c.file, func(t *testing.T) {
			m := parseFixture(t, c.file)
			h := m.Header
			if c.subject != "" && h.Subject != c.subject {
				t.Errorf("subject %q, want %q", h.Subject, c.subject)
			}
			if c.from != "" && h.From.Value != c.from {
				t.Errorf("from %q, want %q", h.From.Value, c.from)
			}
			if c.fromName != "" && h.From.Name != c.fromName {
				t.Errorf("from name %q, want %q", h.From.Name, c.fromName)
			}
			if c.text != "" && m.Text != c.text {
				t.Errorf("text %q, want %q", m.Text, c.text)
			}
			if (h.Automatic != "") != c.automatic {
				t.Errorf("automatic %q, want %v", h.Automatic, c.automatic)
			}
			if h.Malformed != c.malformed {
				t.Errorf("malformed %v, want %v", h.Malformed, c.malformed)
			}
			if h.HasHTML != c.html {
				t.Errorf("has html %v, want %v", h.HasHTML, c.html)
			}
			if (m.Report != nil) != c.report {
				t.Errorf("report %+v, want %v", m.Report, c.report)
			}
			for _, s := range []string{m.Text, m.HTML, h.Subject, h.From.Name, h.From.Value} {
				if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00") {
					t.Errorf("%q is not storable text", s)
				}
			}
			for _, s := range []string{h.Subject, h.From.Name, h.From.Value} {
				if strings.ContainsAny(s, "\r\n") {
					t.Errorf("header value %q holds a line break", s)
				}
			}
		})
	}
}

func TestCorpusFiles(t *testing.T) {
	m := parseFixture(t, "filenames.eml")
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	want := []string{"合同.pdf", "身份证.jpg", "passwd", "_img src=x onerror=alert(1)_.exe"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("file names %q, want %q", names, want)
	}
	for _, n := range names {
		if strings.ContainsAny(n, "/\\<>\r\n") {
			t.Errorf("file name %q keeps a dangerous character", n)
		}
	}
	h := parseFixture(t, "hostile_html.eml")
	if len(h.Files) != 1 || h.Files[0].ContentID != "logo123@example.com" || h.Files[0].MIME != "image/png" {
		t.Fatalf("inline image %+v, want the cid logo123@example.com", h.Files)
	}
	if !strings.Contains(h.HTML, "<script>") {
		t.Fatal("the raw HTML is the desk's to sanitize; the parser keeps it")
	}
}

func TestCorpusBounceReport(t *testing.T) {
	m := parseFixture(t, "bounce_dsn.eml")
	if m.Report == nil || len(m.Report.Failed) != 1 {
		t.Fatalf("report %+v, want one failed recipient", m.Report)
	}
	f := m.Report.Failed[0]
	if f.Address != "nobody@example.cn" || !strings.Contains(f.Reason, "5.1.1") || !strings.Contains(f.Reason, "User unknown") {
		t.Errorf("failure %+v", f)
	}
	if m.Report.OriginalID != "hl.01HMSG.tok@huiliu.test" {
		t.Errorf("original id %q", m.Report.OriginalID)
	}
}

func TestCorpusFolding(t *testing.T) {
	m := parseFixture(t, "reply_ours.eml")
	if m.Header.QuoteAt == 0 || !strings.HasPrefix(m.Text[m.Header.QuoteAt:], "在 2026年12月3日") {
		t.Fatalf("quote at %d in %q", m.Header.QuoteAt, m.Text)
	}
	if !strings.Contains(m.Text, "> 您的还款日是每月15日。") {
		t.Fatal("the quoted history must be kept, only marked")
	}
	text := "Thanks!\n\n-- \nZhang San\nExample Ltd"
	if q, s := foldPoints(text); q != 0 || text[s:] != "-- \nZhang San\nExample Ltd" {
		t.Fatalf("fold points %d, %d", q, s)
	}
}

// threadingChannel is a channel with one mailbox and a ticket T1 whose
// token and participants the test sets.
func threadingChannel(t *testing.T) (*Channel, *memThreads, string, *memBounces) {
	th := newMemThreads()
	b := &memBounces{}
	mb := Mailbox{Name: "support", Address: "support@huiliu.test",
		IMAP: Server{Host: "imap.example", Password: "x"}, SMTP: Server{Host: "smtp.example", Password: "x"}}
	c := newTestChannel(t, mb, Deps{Threads: th, Bounces: b})
	tok, _ := th.Token(context.Background(), "T1")
	th.numbers[1042] = "T1"
	th.participants["T1"] = []string{"zhang.san@example.cn", "colleague@example.cn"}
	return c, th, tok, b
}

func deliverRaw(t *testing.T, c *Channel, raw string) (Outcome, channels.Inbound) {
	t.Helper()
	sink := channeltest.NewSink(t, ChannelName)
	out, err := c.Deliver(context.Background(), "support", []byte(strings.ReplaceAll(raw, "\n", "\r\n")), sink)
	if err != nil {
		t.Fatal(err)
	}
	calls := sink.Calls()
	if len(calls) == 0 {
		return out, channels.Inbound{}
	}
	return out, calls[0]
}

func TestThreading(t *testing.T) {
	c, _, tok, _ := threadingChannel(t)
	ours := OutgoingID("01HMSG", tok, "support@huiliu.test")
	for _, tc := range []struct {
		name, from, headers string
		want                string
	}{
		{"in-reply-to ours", "zhang.san@example.cn", "In-Reply-To: <" + ours + ">", "T1"},
		{"outlook: ours only in references", "colleague@example.cn", "In-Reply-To: <x@example.cn>\nReferences: <" + ours + "> <x@example.cn>", "T1"},
		{"stranger quoting our id", "stranger@evil.example", "In-Reply-To: <" + ours + ">", ""},
		{"tag from a participant", "zhang.san@example.cn", "Subject: Re: 还款 [#1042]", "T1"},
		{"tag from a stranger", "stranger@evil.example", "Subject: Re: [#1042]", ""},
		{"forged token", "zhang.san@example.cn", "In-Reply-To: <hl.01HMSG.aaaaaaaaaaaaaaaaaaaaaaaaaa@huiliu.test>", ""},
		{"no reference", "zhang.san@example.cn", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := "From: " + tc.from + "\nTo: support@huiliu.test\nMessage-ID: <" + randHex(4) + "@x>\n"
			if !strings.Contains(tc.headers, "Subject:") {
				raw += "Subject: hello\n"
			}
			if tc.headers != "" {
				raw += tc.headers + "\n"
			}
			raw += "Content-Type: text/plain\n\nbody\n"
			out, in := deliverRaw(t, c, raw)
			if out != Stored || in.TicketID != tc.want {
				t.Fatalf("outcome %v ticket %q, want stored on %q", out, in.TicketID, tc.want)
			}
		})
	}
}

func TestBounceRecordedNeverATicket(t *testing.T) {
	c, _, tok, b := threadingChannel(t)
	raw, err := os.ReadFile("testdata/mail/bounce_dsn.eml")
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.ReplaceAll(string(raw), "hl.01HMSG.tok@huiliu.test", OutgoingID("01HMSG", tok, "support@huiliu.test")))
	sink := channeltest.NewSink(t, ChannelName)
	out, err := c.Deliver(context.Background(), "support", raw, sink)
	if err != nil || out != Bounced {
		t.Fatalf("outcome %v, %v; want Bounced", out, err)
	}
	if len(sink.Calls()) != 0 {
		t.Fatal("a bounce reached the desk as a message")
	}
	if len(b.got) != 1 || b.got[0].Address != "nobody@example.cn" || b.got[0].MessageID != "01HMSG" || b.got[0].TicketID != "T1" {
		t.Fatalf("bounces %+v", b.got)
	}
	// A forged report with a made-up token fails nothing.
	b.got = nil
	raw2, _ := os.ReadFile("testdata/mail/bounce_dsn.eml")
	if _, err := c.Deliver(context.Background(), "support", raw2, sink); err != nil {
		t.Fatal(err)
	}
	if len(b.got) != 1 || b.got[0].MessageID != "" {
		t.Fatalf("forged bounce named a message: %+v", b.got)
	}
}

func TestOwnAddressIsDropped(t *testing.T) {
	c, _, _, _ := threadingChannel(t)
	out, in := deliverRaw(t, c, "From: Support <SUPPORT@huiliu.test>\nTo: x@example.cn\nSubject: loop\nMessage-ID: <loop@x>\n\nloop\n")
	if out != Ours || in.ExternalID != "" {
		t.Fatalf("outcome %v, stored %+v; want our own mail dropped", out, in)
	}
}

func TestBloatedHTMLKeepsItsContent(t *testing.T) {
	style := "<style>" + strings.Repeat("p.MsoNormal{margin:0cm;font-size:11.0pt}\n", 3000) + "</style>"
	raw := "From: a@example.cn\r\nSubject: outlook\r\nMessage-ID: <bloat@x>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head>" +
		style + "<!--[if gte mso 9]><xml><o:shapedefaults/></xml><![endif]--></head><body><p>请尽快处理</p></body></html>\r\n"
	m := ParseMail([]byte(raw))
	if !strings.Contains(m.HTML, "请尽快处理") || strings.Contains(m.HTML, "MsoNormal") {
		t.Fatalf("html kept %d bytes: %.200q", len(m.HTML), m.HTML)
	}
}
