package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/client"
	smtp "github.com/emersion/go-smtp"

	"huiliu/channels/email"
)

// testDovecot is the IMAP server of HUILIU_TEST_IMAP (.ci/dovecot.sh);
// without it the test skips loudly, and fails when CI is set.
func testDovecot(t *testing.T) (*client.Client, *url.URL) {
	t.Helper()
	v := os.Getenv("HUILIU_TEST_IMAP")
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HUILIU_TEST_IMAP is not set: CI must start Dovecot (.ci/dovecot.sh)")
		}
		t.Log("!!! SKIPPING: no IMAP server. Start one with: export HUILIU_TEST_IMAP=$(.ci/dovecot.sh) !!!")
		t.Skip("HUILIU_TEST_IMAP not set")
	}
	u, err := url.Parse(v)
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := u.User.Password()
	if err := c.Login(u.User.Username(), pass); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Logout() })
	return c, u
}

// mailSink is an in-process SMTP server keeping what it receives.
type mailSink struct {
	mu  sync.Mutex
	got [][]byte
}

func (m *mailSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSinkSession{m: m}, nil }

type mailSinkSession struct{ m *mailSink }

func (s *mailSinkSession) Reset()                               {}
func (s *mailSinkSession) Logout() error                        { return nil }
func (s *mailSinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailSinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.m.mu.Lock()
	s.m.got = append(s.m.got, b)
	s.m.mu.Unlock()
	return err
}

// mails are what the sink received, leaving out the desk's own automatic
// mail (codes, the supervisors' weekly summary), which a node may send at
// any time.
func (m *mailSink) mails() [][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out [][]byte
	for _, b := range m.got {
		if !bytes.Contains(b, []byte("Auto-Submitted: auto-generated")) {
			out = append(out, b)
		}
	}
	return out
}

// TestEmailThroughTheServer: a GBK mail appended to Dovecot becomes a
// ticket with its header; the agent's reply leaves over SMTP threaded; the
// customer's colleague answering that reply joins the ticket, a stranger
// quoting it does not; the import command takes the fixtures.
func TestEmailThroughTheServer(t *testing.T) {
	imapc, u := testDovecot(t)
	folder := "e2e" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := imapc.Create(folder); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = imapc.Delete(folder) })
	sink := &mailSink{}
	srv := smtp.NewServer(sink)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	_, smtpPort, _ := net.SplitHostPort(ln.Addr().String())
	pass, _ := u.User.Password()
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `
[[mailbox]]
name = "support"
address = "support@huiliu.test"
display_name = "汇流客服"
folder = %q
poll_interval = "1s"
[mailbox.imap]
host = %q
port = %s
security = "plain"
insecure = true
user = %q
password_env = "E2E_IMAP_PASSWORD"
[mailbox.smtp]
host = "127.0.0.1"
port = %s
security = "plain"
insecure = true
auth = "none"
`, folder, u.Hostname(), u.Port(), u.User.Username(), smtpPort), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(sharedBackends(t), "HUILIU_CONFIG="+conf, "E2E_IMAP_PASSWORD="+pass)
	// The password never shows in --print-config.
	out, stderr, code := huiliu(t, env, "", "serve", "--print-config")
	if code != 0 || strings.Contains(out, pass) || !strings.Contains(out, `folder = "`+folder+`"`) {
		t.Fatalf("print-config: exit %d, %s %s", code, out, stderr)
	}
	tok := adminToken(t, env, "mail@example.com")
	r := startNode(t, env)
	stopAtCleanup(t, r)
	base := r.url
	api := func(method, path, body string, out any) int {
		t.Helper()
		return apiCall(t, base, tok, method, path, body, out)
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s; node logs:\n%s", what, r.logs.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	raw, err := os.ReadFile("../../channels/email/testdata/mail/gb2312.eml")
	if err != nil {
		t.Fatal(err)
	}
	// A Cc so the colleague is a participant.
	raw = bytes.Replace(raw, []byte("To: support@huiliu.test\r\n"), []byte("To: support@huiliu.test\r\nCc: colleague@example.cn\r\n"), 1)
	if err := imapc.Append(folder, nil, time.Now(), bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	var ticketID string
	eventually("the mail's ticket", func() bool {
		var page struct {
			Tickets []struct{ ID, Subject, Channel string } `json:"tickets"`
		}
		api("GET", "/api/v1/tickets?channel=email", "", &page)
		if len(page.Tickets) == 1 && page.Tickets[0].Subject == "还款日期咨询" {
			ticketID = page.Tickets[0].ID
			return true
		}
		return false
	})
	var ms struct {
		Messages []struct {
			ID, Text, Direction string
			Email               map[string]any `json:"email"`
		} `json:"messages"`
	}
	api("GET", "/api/v1/tickets/"+ticketID+"/messages", "", &ms)
	if len(ms.Messages) != 1 || !strings.Contains(ms.Messages[0].Text, "您好，我的还款日期是几号？镕基𠮷") || ms.Messages[0].Email["message_id"] != "gb2312-1@example.cn" {
		t.Fatalf("messages %+v", ms.Messages)
	}

	if code := api("POST", "/api/v1/tickets/"+ticketID+"/messages", `{"text":"您的还款日是每月15日。"}`, nil); code != 201 {
		t.Fatalf("reply: %d", code)
	}
	eventually("the reply over SMTP", func() bool { return len(sink.mails()) == 1 })
	sent := email.ParseMail(sink.mails()[0])
	if sent.Header.InReplyTo != "gb2312-1@example.cn" || sent.Header.Subject != "Re: 还款日期咨询" ||
		len(sent.Header.Cc) != 1 || sent.Header.Cc[0].Value != "colleague@example.cn" || !strings.Contains(sent.Text, "您的还款日是每月15日。") {
		t.Fatalf("sent mail %+v %q", sent.Header, sent.Text)
	}
	ours := sent.Header.MessageID

	reply := func(from, id string) string {
		return fmt.Sprintf("From: %s\r\nTo: support@huiliu.test\r\nSubject: Re: 还款日期咨询\r\nMessage-ID: <%s>\r\nIn-Reply-To: <%s>\r\nReferences: <gb2312-1@example.cn> <%s>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", from, id, ours, ours, strings.Split(id, "@")[0])
	}
	for _, r := range []string{reply("colleague@example.cn", "colleague-1@example.cn"), reply("stranger@evil.example", "stranger-1@evil.example")} {
		if err := imapc.Append(folder, nil, time.Now(), strings.NewReader(r)); err != nil {
			t.Fatal(err)
		}
	}
	eventually("the colleague on the ticket, the stranger elsewhere", func() bool {
		var ms struct{ Messages []struct{ Text string } }
		api("GET", "/api/v1/tickets/"+ticketID+"/messages", "", &ms)
		var page struct{ Tickets []struct{ ID string } }
		api("GET", "/api/v1/tickets?channel=email", "", &page)
		var texts []string
		for _, m := range ms.Messages {
			texts = append(texts, m.Text)
		}
		joined := strings.Join(texts, "|")
		return len(page.Tickets) == 2 && strings.Contains(joined, "colleague-1") && !strings.Contains(joined, "stranger-1")
	})

	// The import command takes the corpus through the same path.
	out, stderr, code = huiliu(t, env, "", "email", "import", "--mailbox", "support", "../../channels/email/testdata/mail")
	if code != 0 || !strings.Contains(out, "email import: ") || !strings.Contains(out, "0 failed") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, stderr)
	}
	out2, _, code := huiliu(t, env, "", "email", "import", "--mailbox", "support", "../../channels/email/testdata/mail")
	if code != 0 || !strings.Contains(out2, " 0 new") {
		t.Fatalf("a second import stored mail again: %s", out2)
	}
}
