package email

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"huiliu/channels"
	"huiliu/channels/channeltest"
)

// realSMTP is the Postfix .ci/run starts (.ci/smtp.sh), which delivers
// into the Dovecot of HUILIU_TEST_IMAP. Its URL names the addresses that
// behave differently:
// smtp://user:password@host:port?deliver=…&reject=…&defer=…&bounce=…
type realSMTP struct {
	host    string
	port    int
	user    string // SMTP AUTH, optional for the test domains
	pass    string
	deliver string // delivered; user+FOLDER@domain lands in FOLDER
	reject  string // refused at RCPT with a 5xx
	deferTo string // refused at RCPT with a 4xx
	bounce  string // accepted, then bounced with a DSN to the sender
}

// testSMTP reads HUILIU_TEST_SMTP. Without it the tests skip, loudly;
// with CI set they fail instead.
func testSMTP(t testing.TB) realSMTP {
	t.Helper()
	v := os.Getenv("HUILIU_TEST_SMTP")
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HUILIU_TEST_SMTP is not set: CI must start Postfix (.ci/smtp.sh)")
		}
		t.Log("!!! SKIPPING: no SMTP server. Start one (as root, after .ci/dovecot.sh) with: export HUILIU_TEST_SMTP=$(.ci/smtp.sh) !!!")
		t.Skip("HUILIU_TEST_SMTP not set")
	}
	u, err := url.Parse(v)
	if err != nil {
		t.Fatalf("HUILIU_TEST_SMTP: %v", err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("HUILIU_TEST_SMTP port: %v", err)
	}
	q := u.Query()
	pass, _ := u.User.Password()
	s := realSMTP{host: u.Hostname(), port: port, user: u.User.Username(), pass: pass, deliver: q.Get("deliver"), reject: q.Get("reject"),
		deferTo: q.Get("defer"), bounce: q.Get("bounce")}
	if s.user == "" || !strings.Contains(s.deliver, "@") || s.reject == "" || s.deferTo == "" || s.bounce == "" {
		t.Fatalf("HUILIU_TEST_SMTP %q lacks the user, deliver, reject, defer or bounce", v)
	}
	return s
}

// into is the address whose mail lands in folder.
func (s realSMTP) into(folder string) string {
	user, domain, _ := strings.Cut(s.deliver, "@")
	return user + "+" + folder + "@" + domain
}

// realSendChannel is a channel whose mailbox sends through the real
// server and whose own address is the test folder, so bounces of what it
// sends come back there.
func realSendChannel(t *testing.T, deps Deps) (*Channel, *client.Client, Mailbox, realSMTP) {
	t.Helper()
	srv := testSMTP(t)
	imapc, mb := testFolder(t)
	mb.Address = srv.into(mb.Folder)
	mb.SMTP = Server{Host: srv.host, Port: srv.port, Security: SecurityPlain, Insecure: true, Auth: "none"}
	return newTestChannel(t, mb, deps), imapc, mb, srv
}

// extraFolder makes one more folder for the test and removes it after.
func extraFolder(t *testing.T, imapc *client.Client) string {
	t.Helper()
	f := "t" + randHex(6)
	if err := imapc.Create(f); err != nil {
		t.Fatalf("create folder: %v", err)
	}
	t.Cleanup(func() { _ = imapc.Delete(f) })
	return f
}

// delivered waits until folder holds n mails and returns them raw, as
// Dovecot stored them.
func delivered(t *testing.T, imapc *client.Client, folder string, n int) [][]byte {
	t.Helper()
	waitFor(t, strconv.Itoa(n)+" mails in "+folder, func() bool {
		st, err := imapc.Status(folder, []imap.StatusItem{imap.StatusMessages})
		return err == nil && int(st.Messages) >= n
	})
	if _, err := imapc.Select(folder, true); err != nil {
		t.Fatal(err)
	}
	seq := new(imap.SeqSet)
	seq.AddRange(1, 0)
	section := &imap.BodySectionName{Peek: true}
	msgs := make(chan *imap.Message, n+10)
	if err := imapc.Fetch(seq, []imap.FetchItem{section.FetchItem()}, msgs); err != nil {
		t.Fatalf("fetch %s: %v", folder, err)
	}
	var raws [][]byte
	for m := range msgs {
		var b bytes.Buffer
		if r := m.GetBody(section); r != nil {
			_, _ = b.ReadFrom(r)
		}
		raws = append(raws, b.Bytes())
	}
	// STATUS of the selected folder can be the session's stale view.
	if err := imapc.Close(); err != nil {
		t.Fatalf("close %s: %v", folder, err)
	}
	if len(raws) != n {
		t.Fatalf("%s holds %d mails, want %d", folder, len(raws), n)
	}
	return raws
}

func TestRealSMTPDeliversThreadedEncodedMail(t *testing.T) {
	th := newMemThreads()
	c, imapc, mb, srv := realSendChannel(t, Deps{Threads: th})
	custF, ccF, injF := extraFolder(t, imapc), extraFolder(t, imapc), extraFolder(t, imapc)
	customer, colleague, injected := srv.into(custF), srv.into(ccF), srv.into(injF)

	// Long enough that the encoded subject and names are folded over lines.
	subject := "Re: 关于您的还款计划调整（合同编号 ZL-2026-0042）与逾期费用减免申请的答复 — 汇流客服"
	pdf := make([]byte, 3000)
	for i := range pdf {
		pdf[i] = byte(i * 7) // every byte value, CR and LF among them
	}
	// A lone dot and "From " at a line start: SMTP and mbox quoting must
	// leave no trace.
	text := "张先生您好：\n.\nFrom 下月起，每月15日还款。\n..\n谢谢！"
	out := channels.Outbound{
		MessageID: "01HREAL" + strings.ToUpper(randHex(4)), TicketID: "T1", Channel: ChannelName,
		ThreadKey: ThreadKey(mb.Name, "root@example.cn"),
		To:        channels.Party{Kind: "email", Value: customer, Name: "张三（上海分公司）\r\nBcc: " + injected},
		Cc: []channels.Party{{Value: colleague, Name: "李四·财务部"}, {Value: mb.Address, Name: "ourselves"},
			{Value: injected + "\r\nBcc: " + injected}},
		FromName:   "汇流客服\nBcc: " + injected,
		Subject:    subject,
		InReplyTo:  "cust-2@example.cn",
		References: []string{"root@example.cn", "cust-2@example.cn"},
		Text:       text,
		HTML:       `<p>张先生您好：</p><p>下月起，每月<b>15日</b>还款。</p>`,
		AgentName:  "王五", AgentEmployeeNo: "A1024",
		Attachments: []channels.Attachment{
			{Name: "还款计划 2026年.pdf", MIME: "application/pdf", Data: pdf},
			{Name: "说明.txt", MIME: "text/plain", Data: []byte("第一行\r\n第二行\n.\n")},
			// A name longer than a header line may be; the sender cuts it to
			// 200 bytes, keeping the extension.
			{Name: strings.Repeat("上海汇流融资租赁有限公司", 20) + ".docx", MIME: "application/octet-stream", Data: []byte("PK")},
		},
	}
	id, err := c.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	tok, _ := th.Token(context.Background(), "T1")
	if id != OutgoingID(out.MessageID, tok, mb.Address) {
		t.Fatalf("id %q, want the one made from the message and token", id)
	}

	raw := delivered(t, imapc, custF, 1)[0]
	m := ParseMail(raw)
	h := m.Header
	if h.Malformed {
		t.Errorf("the delivered mail does not parse cleanly:\n%s", raw)
	}
	if h.MessageID != id {
		t.Errorf("Message-ID %q, want %q", h.MessageID, id)
	}
	if h.InReplyTo != "cust-2@example.cn" || strings.Join(h.References, " ") != "root@example.cn cust-2@example.cn" {
		t.Errorf("In-Reply-To %q, References %q", h.InReplyTo, h.References)
	}
	if h.Subject != subject {
		t.Errorf("subject %q, want %q", h.Subject, subject)
	}
	if h.From.Value != mb.Address || !strings.HasPrefix(h.From.Name, "汇流客服") {
		t.Errorf("from %+v", h.From)
	}
	if len(h.To) != 1 || h.To[0].Value != customer || !strings.HasPrefix(h.To[0].Name, "张三（上海分公司）") {
		t.Errorf("to %+v", h.To)
	}
	if len(h.Cc) != 1 || h.Cc[0].Value != colleague || h.Cc[0].Name != "李四·财务部" {
		t.Errorf("cc %+v: want the colleague only (not our own address, not the bad one)", h.Cc)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, _, _ := strings.Cut(line, ":"); strings.EqualFold(k, "bcc") {
			t.Errorf("an injected header was delivered: %q", line)
		}
	}
	if head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n")); bytes.ContainsFunc(head, func(r rune) bool { return r > 127 }) {
		t.Errorf("8-bit bytes in the header, want RFC 2047 encoded words:\n%s", head)
	}
	if want := text + "\n\n-- \n王五 (A1024)"; strings.ReplaceAll(strings.TrimRight(m.Text, "\r\n"), "\r\n", "\n") != want {
		t.Errorf("text %q, want %q", m.Text, want)
	}
	if !h.HasHTML || !strings.Contains(m.HTML, "每月<b>15日</b>还款") {
		t.Errorf("HTML alternative %v %q", h.HasHTML, m.HTML)
	}
	for i, line := range bytes.Split(raw, []byte("\n")) {
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes, over RFC 5322's 998: %.80q…", i+1, len(line), line)
		}
	}
	if len(m.Files) != len(out.Attachments) {
		t.Fatalf("%d attachments delivered, want %d", len(m.Files), len(out.Attachments))
	}
	for i, f := range m.Files {
		a := out.Attachments[i]
		if want := safeFileName(a.Name, a.MIME); f.Name != want || !bytes.Equal(f.Data, a.Data) {
			t.Errorf("attachment %d: %q (%d bytes), want %q (%d bytes) unchanged", i, f.Name, len(f.Data), want, len(a.Data))
		}
	}

	if long := m.Files[2].Name; len(long) > 200 || !strings.HasSuffix(long, ".docx") || !strings.HasPrefix(long, "上海汇流") {
		t.Errorf("long name delivered as %q", long)
	}
	if m.Files[0].Name != "还款计划 2026年.pdf" || m.Files[1].Name != "说明.txt" {
		t.Errorf("names %q %q, want them unchanged", m.Files[0].Name, m.Files[1].Name)
	}

	// The Cc got its own copy.
	cc := delivered(t, imapc, ccF, 1)[0]
	if ParseMail(cc).Header.MessageID != id {
		t.Errorf("the Cc copy has Message-ID %q", ParseMail(cc).Header.MessageID)
	}

	// A retry of the same desk message is the same mail: same Message-ID,
	// so the customer's client shows one.
	id2, err := c.Send(context.Background(), out)
	if err != nil || id2 != id {
		t.Fatalf("retry: %q, %v; want %q", id2, err, id)
	}
	again := delivered(t, imapc, custF, 2)
	if got := ParseMail(again[1]).Header.MessageID; got != id {
		t.Errorf("the retried mail has Message-ID %q, want %q", got, id)
	}
	// Postfix hands all recipients of a mail to Dovecot together, so a
	// copy for the address the line breaks tried to add would be there by
	// now.
	if st, err := imapc.Status(injF, []imap.StatusItem{imap.StatusMessages}); err != nil || st.Messages != 0 {
		t.Errorf("the injected address got mail: %+v, %v", st, err)
	}
}

func TestRealSMTPRefusals(t *testing.T) {
	c, imapc, mb, srv := realSendChannel(t, Deps{})
	custF := extraFolder(t, imapc)
	out := channels.Outbound{MessageID: "01HREFUSE", TicketID: "T1", ThreadKey: ThreadKey(mb.Name, "r@example.cn"),
		Subject: "还款提醒", Text: "您好"}

	out.To = channels.Party{Value: srv.reject}
	_, err := c.Send(context.Background(), out)
	if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "550") {
		t.Errorf("unknown recipient: %v, want a permanent failure with the server's 550", err)
	}

	out.To = channels.Party{Value: srv.deferTo}
	_, err = c.Send(context.Background(), out)
	if err == nil || errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "450") {
		t.Errorf("deferred recipient: %v, want a retryable error with the server's 450", err)
	}

	out.To = channels.Party{Value: srv.into(custF) + "\r\nBcc: " + srv.deliver}
	if _, err = c.Send(context.Background(), out); !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("address with a line break: %v, want permanent", err)
	}

	// A Cc the server refuses or defers stops the whole mail before DATA
	// (go-mail sends nothing unless every recipient is taken), so the
	// customer never gets a copy that a retry would repeat; the error
	// names the refused address for the agent.
	out.To = channels.Party{Value: srv.into(custF)}
	out.Cc = []channels.Party{{Value: srv.reject}}
	if _, err = c.Send(context.Background(), out); !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), srv.reject) {
		t.Errorf("refused Cc: %v, want a permanent failure naming it", err)
	}
	out.Cc = []channels.Party{{Value: srv.deferTo}}
	if _, err = c.Send(context.Background(), out); err == nil || errors.Is(err, channels.ErrPermanent) {
		t.Errorf("deferred Cc: %v, want a retryable error", err)
	}
	out.Cc = nil

	// Then a good one goes through, and it is the only mail that arrived;
	// the line break in its subject added no recipient.
	injF := extraFolder(t, imapc)
	out.To = channels.Party{Value: srv.into(custF)}
	out.Subject = "Reminder\r\nBcc: " + srv.into(injF)
	if _, err := c.Send(context.Background(), out); err != nil {
		t.Fatalf("send: %v", err)
	}
	raw := delivered(t, imapc, custF, 1)[0]
	if subj := ParseMail(raw).Header.Subject; !strings.HasPrefix(subj, "Reminder") || strings.ContainsAny(subj, "\r\n") {
		t.Errorf("subject %q", subj)
	}
	if bytes.Contains(bytes.ToLower(raw), []byte("\nbcc:")) {
		t.Errorf("an injected header was delivered:\n%s", raw)
	}
	if st, err := imapc.Status(injF, []imap.StatusItem{imap.StatusMessages}); err != nil || st.Messages != 0 {
		t.Errorf("the injected address got mail: %+v, %v", st, err)
	}
}

func TestRealSMTPBounceComesBackAsBounce(t *testing.T) {
	th := newMemThreads()
	bounces := &memBounces{}
	c, _, mb, srv := realSendChannel(t, Deps{Threads: th, Bounces: bounces})
	out := channels.Outbound{MessageID: "01HBOUNCE", TicketID: "T7", ThreadKey: ThreadKey(mb.Name, "r@example.cn"),
		To: channels.Party{Value: srv.bounce, Name: "已注销用户"}, Subject: "还款提醒", Text: "您好"}
	// The server takes the mail; its refusal comes later, as a report to
	// the mailbox's own address.
	if _, err := c.Send(context.Background(), out); err != nil {
		t.Fatalf("send: %v", err)
	}
	sink := channeltest.NewSink(t, ChannelName)
	run(t, c, sink)
	waitFor(t, "the bounce imported from the mailbox", func() bool {
		bounces.mu.Lock()
		defer bounces.mu.Unlock()
		return len(bounces.got) > 0
	})
	bounces.mu.Lock()
	got := append([]Bounce(nil), bounces.got...)
	bounces.mu.Unlock()
	b := got[0]
	if len(got) != 1 || b.Mailbox != mb.Name || b.Address != srv.bounce || b.TicketID != "T7" || b.MessageID != "01HBOUNCE" ||
		!strings.Contains(b.Reason, "5.1.1") {
		t.Errorf("bounces %+v: want one for %s on T7/01HBOUNCE with the 5.1.1 reason", got, srv.bounce)
	}
	// The report was the folder's only mail and is done with once recorded.
	if n := len(sink.Calls()); n != 0 {
		t.Errorf("the bounce went to the desk as %d messages, want none", n)
	}
}

func TestRealSMTPAuth(t *testing.T) {
	_, imapc, mb, srv := realSendChannel(t, Deps{})
	custF := extraFolder(t, imapc)
	out := channels.Outbound{MessageID: "01HAUTH", TicketID: "T1", ThreadKey: ThreadKey(mb.Name, "r@example.cn"),
		To: channels.Party{Value: srv.into(custF)}, Subject: "还款提醒", Text: "您好"}
	send := func(auth, pass string) error {
		mb := mb
		mb.SMTP.Auth, mb.SMTP.User, mb.SMTP.Password = auth, srv.user, pass
		c, err := New([]Mailbox{mb}, Deps{Threads: newMemThreads()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Send(context.Background(), out)
		return err
	}
	for i, auth := range []string{"plain", "login"} {
		if err := send(auth, srv.pass); err != nil {
			t.Fatalf("AUTH %s: %v", auth, err)
		}
		delivered(t, imapc, custF, i+1)
	}
	// A refused login is the mailbox's configuration, not the message's
	// fault: the reply waits in the outbox (retried) and goes out once an
	// admin fixes the password, and the error says why.
	err := send("plain", "wrong-"+srv.pass)
	if err == nil || errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "535") {
		t.Errorf("wrong password: %v, want a retryable error with the server's 535", err)
	}
	if err != nil && strings.Contains(err.Error(), srv.pass) {
		t.Errorf("the error shows the password: %v", err)
	}
}
