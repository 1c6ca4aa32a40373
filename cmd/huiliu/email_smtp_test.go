package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"huiliu/channels/email"
)

// testPostfix is the SMTP server of HUILIU_TEST_SMTP (.ci/smtp.sh), which
// delivers into the Dovecot of HUILIU_TEST_IMAP; without it the test
// skips loudly, and fails when CI is set.
func testPostfix(t *testing.T) *url.URL {
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
		t.Fatal(err)
	}
	return u
}

// TestEmailRepliesThroughRealSMTP: replies of a running node leave
// through the outbox to Postfix with SMTP AUTH and arrive threaded in the
// customer's mailbox; a recipient Postfix refuses fails the reply at
// once; a recipient it takes and then bounces comes back as a report the
// import reads, failing the reply with the reason. Nothing of this opens
// a ticket.
func TestEmailRepliesThroughRealSMTP(t *testing.T) {
	imapc, iu := testDovecot(t)
	su := testPostfix(t)
	q := su.Query()
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	folder, custFolder := "smtp"+run, "cust"+run
	for _, f := range []string{folder, custFolder} {
		if err := imapc.Create(f); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = imapc.Delete(f) })
	}
	into := func(f string) string {
		user, domain, _ := strings.Cut(q.Get("deliver"), "@")
		return user + "+" + f + "@" + domain
	}
	ours, customer := into(folder), into(custFolder)
	imapPass, _ := iu.User.Password()
	smtpPass, _ := su.User.Password()
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `
[[mailbox]]
name = "support"
address = %q
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
host = %q
port = %s
security = "plain"
insecure = true
auth = "plain"
user = %q
password_env = "E2E_SMTP_PASSWORD"
`, ours, folder, iu.Hostname(), iu.Port(), iu.User.Username(), su.Hostname(), su.Port(), su.User.Username()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(sharedBackends(t), "HUILIU_CONFIG="+conf, "E2E_IMAP_PASSWORD="+imapPass, "E2E_SMTP_PASSWORD="+smtpPass)
	tok := adminToken(t, env, "smtp@example.com")
	r := startNode(t, env)
	stopAtCleanup(t, r)
	api := func(method, path, body string, out any) int {
		t.Helper()
		return apiCall(t, r.url, tok, method, path, body, out)
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

	// Three customers write in: one whose mailbox exists, one the server
	// refuses, one it takes and then bounces.
	from := map[string]string{"exists": customer, "refused": q.Get("reject"), "bounces": q.Get("bounce")}
	tickets := map[string]string{}
	for _, who := range []string{"exists", "refused", "bounces"} {
		mail := fmt.Sprintf("From: 张三 <%s>\r\nTo: %s\r\nSubject: 还款日期咨询 %s\r\nMessage-ID: <%s-%s@example.cn>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n请问我的还款日期是几号？\r\n", from[who], ours, who, who, run)
		if err := imapc.Append(folder, nil, time.Now(), strings.NewReader(mail)); err != nil {
			t.Fatal(err)
		}
	}
	eventually("three tickets", func() bool {
		var page struct {
			Tickets []struct{ ID, Subject string }
		}
		api("GET", "/api/v1/tickets?channel=email", "", &page)
		for _, tk := range page.Tickets {
			if who, ok := strings.CutPrefix(tk.Subject, "还款日期咨询 "); ok {
				tickets[who] = tk.ID
			}
		}
		return len(tickets) == 3
	})
	for who, id := range tickets {
		if code := api("POST", "/api/v1/tickets/"+id+"/messages", `{"text":"您的还款日是每月15日。`+who+`"}`, nil); code != 201 {
			t.Fatalf("reply to %s: %d", who, code)
		}
	}
	type msg struct {
		ID, Direction, Delivery string
		DeliveryError           string `json:"delivery_error"`
	}
	reply := func(who string) msg {
		var ms struct{ Messages []msg }
		api("GET", "/api/v1/tickets/"+tickets[who]+"/messages", "", &ms)
		for _, m := range ms.Messages {
			if m.Direction == "out" {
				return m
			}
		}
		return msg{}
	}

	// The customer's copy arrives, threaded.
	var got []byte
	eventually("the reply in the customer's mailbox", func() bool {
		got = fetchOne(t, imapc, custFolder)
		return got != nil
	})
	sent := email.ParseMail(got)
	if sent.Header.InReplyTo != "exists-"+run+"@example.cn" || sent.Header.Subject != "Re: 还款日期咨询 exists" ||
		sent.Header.From.Value != ours || sent.Header.From.Name != "汇流客服" || !strings.Contains(sent.Text, "您的还款日是每月15日。exists") {
		t.Errorf("delivered reply %+v %q", sent.Header, sent.Text)
	}
	eventually("the reply marked sent", func() bool { return reply("exists").Delivery == "sent" })

	// The refused one fails at once with the server's answer.
	eventually("the refused reply failed", func() bool { return reply("refused").Delivery == "failed" })
	if e := reply("refused").DeliveryError; !strings.Contains(e, "550") {
		t.Errorf("refused reply's error %q, want the server's 550", e)
	}

	// The bounced one was sent, then failed by the report.
	eventually("the bounced reply failed", func() bool { return reply("bounces").Delivery == "failed" })
	// The address is masked for the desk (g***@…); its domain stays.
	_, domain, _ := strings.Cut(q.Get("bounce"), "@")
	if e := reply("bounces").DeliveryError; !strings.Contains(e, "@"+domain) || !strings.Contains(e, "5.1.1") {
		t.Errorf("bounced reply's error %q, want the address and 5.1.1", e)
	}
	var page struct{ Tickets []struct{ ID string } }
	api("GET", "/api/v1/tickets?channel=email", "", &page)
	if len(page.Tickets) != 3 {
		t.Errorf("%d email tickets, want 3: the bounce must not open one", len(page.Tickets))
	}
}

// fetchOne returns the only mail of folder, or nil while it has none.
func fetchOne(t *testing.T, c *client.Client, folder string) []byte {
	t.Helper()
	st, err := c.Select(folder, true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	if st.Messages == 0 {
		return nil
	}
	if st.Messages > 1 {
		t.Fatalf("%s holds %d mails, want 1", folder, st.Messages)
	}
	seq := new(imap.SeqSet)
	seq.AddNum(1)
	section := &imap.BodySectionName{Peek: true}
	msgs := make(chan *imap.Message, 1)
	if err := c.Fetch(seq, []imap.FetchItem{section.FetchItem()}, msgs); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for m := range msgs {
		if r := m.GetBody(section); r != nil {
			_, _ = b.ReadFrom(r)
		}
	}
	return b.Bytes()
}
