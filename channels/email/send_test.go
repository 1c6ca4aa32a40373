package email

import (
	"context"
	"errors"
	"strings"
	"testing"

	"huiliu/channels"
)

func sendChannel(t *testing.T) (*Channel, *smtpServer, *memThreads) {
	srv := newSMTPServer(t)
	th := newMemThreads()
	mb := Mailbox{Name: "support", Address: "support@huiliu.test", DisplayName: "汇流客服",
		IMAP: Server{Host: "imap.example", Password: "x"},
		SMTP: Server{Host: "127.0.0.1", Port: srv.port(), Security: SecurityPlain, Insecure: true, Auth: "none"}}
	return newTestChannel(t, mb, Deps{Threads: th}), srv, th
}

func TestSendThreadsEncodesAndCannotBeInjected(t *testing.T) {
	c, srv, th := sendChannel(t)
	out := channels.Outbound{
		MessageID: "01HREPLY", TicketID: "T1", Channel: ChannelName, ThreadKey: ThreadKey("support", "root@example.cn"),
		To:         channels.Party{Kind: "email", Value: "zhang.san@example.cn", Name: "张三\r\nBcc: victim@evil.example"},
		Cc:         []channels.Party{{Value: "colleague@example.cn", Name: "李四"}, {Value: "support@huiliu.test"}, {Value: "bad\r\nBcc: x@evil.example"}},
		Subject:    "Re: 还款日期咨询\r\nBcc: victim@evil.example",
		InReplyTo:  "cust-2@example.cn",
		References: []string{"root@example.cn", "cust-2@example.cn", "evil>\r\nBcc: x@evil.example"},
		Text:       "您好，您的还款日是每月15日。",
		AgentName:  "王五", AgentEmployeeNo: "A1024",
		Attachments: []channels.Attachment{{Name: "../还款计划.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.4")}},
		Automatic:   true,
	}
	id, err := c.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d mails", len(got))
	}
	m := ParseMail(got[0])
	h := m.Header
	tok, _ := th.Token(context.Background(), "T1")
	if id != OutgoingID("01HREPLY", tok, "support@huiliu.test") || h.MessageID != id {
		t.Errorf("message id %q / header %q", id, h.MessageID)
	}
	if h.InReplyTo != "cust-2@example.cn" || strings.Join(h.References, " ") != "root@example.cn cust-2@example.cn" {
		t.Errorf("threading headers %q %q", h.InReplyTo, h.References)
	}
	if h.Subject != "Re: 还款日期咨询  Bcc: victim@evil.example" {
		t.Errorf("subject %q", h.Subject)
	}
	if h.From.Value != "support@huiliu.test" || h.From.Name != "汇流客服" {
		t.Errorf("from %+v", h.From)
	}
	if len(h.To) != 1 || h.To[0].Value != "zhang.san@example.cn" || !strings.HasPrefix(h.To[0].Name, "张三") {
		t.Errorf("to %+v", h.To)
	}
	if len(h.Cc) != 1 || h.Cc[0].Value != "colleague@example.cn" || h.Cc[0].Name != "李四" {
		t.Errorf("cc %+v: want the colleague only (not our own address, not the bad one)", h.Cc)
	}
	raw := string(got[0])
	if strings.Contains(strings.ToLower(raw), "\nbcc:") || strings.Contains(raw, "victim@evil.example>") {
		t.Errorf("an injected header made it into the mail:\n%s", raw)
	}
	srv.mu.Lock()
	rcpt := srv.rcpt[0]
	srv.mu.Unlock()
	for _, r := range rcpt {
		if strings.Contains(r, "evil") {
			t.Errorf("the mail went to %q", r)
		}
	}
	if !strings.Contains(raw, "Auto-Submitted: auto-replied") {
		t.Error("an automatic message lacks Auto-Submitted")
	}
	if !strings.Contains(m.Text, "您好，您的还款日是每月15日。") || !strings.Contains(m.Text, "王五 (A1024)") {
		t.Errorf("text %q", m.Text)
	}
	if !h.HasHTML {
		t.Error("no HTML alternative")
	}
	if len(m.Files) != 1 || m.Files[0].Name != "还款计划.pdf" || string(m.Files[0].Data) != "%PDF-1.4" {
		t.Errorf("files %+v", m.Files)
	}

	// A retry of the same message sends the same Message-ID.
	id2, err := c.Send(context.Background(), out)
	if err != nil || id2 != id {
		t.Fatalf("retry id %q, %v; want %q", id2, err, id)
	}
}

func TestSendRefusals(t *testing.T) {
	c, srv, _ := sendChannel(t)
	out := channels.Outbound{MessageID: "01HX", TicketID: "T1", ThreadKey: ThreadKey("support", "r"),
		To: channels.Party{Value: "a@example.cn"}, Text: "hi"}
	srv.failNext(452)
	if _, err := c.Send(context.Background(), out); err == nil || errors.Is(err, channels.ErrPermanent) {
		t.Errorf("4xx: %v, want a retryable error", err)
	}
	srv.failNext(550)
	if _, err := c.Send(context.Background(), out); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("5xx: %v, want permanent", err)
	}
	out.To.Value = "not an address"
	if _, err := c.Send(context.Background(), out); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("bad recipient: %v, want permanent", err)
	}
	out.To.Value = "a@example.cn"
	out.ThreadKey = "gone:xyz"
	if _, err := c.Send(context.Background(), out); err != nil {
		t.Errorf("one mailbox only: a ticket of a renamed mailbox still sends: %v", err)
	}
}

// A reply to an address a bounce blocks fails at once, saying why, and a
// bouncing Cc is left out while the rest of the mail goes.
func TestSendRefusesBouncingAddresses(t *testing.T) {
	c, srv, _ := sendChannel(t)
	bounces := c.deps.Bounces.(*memBounces)
	ctx := context.Background()
	for _, a := range []string{"gone@example.cn", "old-cc@example.cn"} {
		if err := bounces.Bounced(ctx, Bounce{Address: a, Reason: "5.1.1 user unknown"}); err != nil {
			t.Fatal(err)
		}
	}
	out := channels.Outbound{MessageID: "01HB", TicketID: "T1", ThreadKey: ThreadKey("support", "r"),
		To: channels.Party{Value: "Gone@Example.cn"}, Text: "hi"}
	_, err := c.Send(ctx, out)
	if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "5.1.1 user unknown") || !strings.Contains(err.Error(), "bounce mark") {
		t.Fatalf("reply to a bouncing address: %v", err)
	}
	if n := len(srv.received()); n != 0 {
		t.Fatalf("%d mails reached the server", n)
	}

	out.To.Value = "fine@example.cn"
	out.Cc = []channels.Party{{Value: "old-cc@example.cn"}, {Value: "colleague@example.cn"}}
	if _, err := c.Send(ctx, out); err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("%d mails sent, want 1", len(got))
	}
	m := ParseMail(got[0])
	if len(m.Header.Cc) != 1 || m.Header.Cc[0].Value != "colleague@example.cn" {
		t.Fatalf("Cc %+v, want only colleague@example.cn", m.Header.Cc)
	}
}
