package email

import (
	"context"
	"errors"
	"strings"
	"testing"

	"huiliu/channels"
)

// TestSendMailCodeIsAnAutomaticMailToTheRecord: a code mail leaves from
// the first mailbox, to the one address given, marked automatic, with no
// header a name or subject could add.
func TestSendMailCodeIsAnAutomaticMailToTheRecord(t *testing.T) {
	c, srv, _ := sendChannel(t)
	err := c.SendMailCode(context.Background(), "zhang.san@example.cn", "汇流验证码\r\nBcc: x@evil.example", "您的验证码是 123456，5 分钟内有效。", "123456")
	if err != nil {
		t.Fatal(err)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("server received %d mails", len(got))
	}
	raw := string(got[0])
	m := ParseMail(got[0])
	if len(m.Header.To) != 1 || m.Header.To[0].Value != "zhang.san@example.cn" || m.Header.From.Value != "support@huiliu.test" {
		t.Errorf("to %+v from %+v", m.Header.To, m.Header.From)
	}
	if !strings.Contains(raw, "Auto-Submitted: auto-generated") || strings.Contains(strings.ToLower(raw), "\nbcc:") {
		t.Errorf("headers:\n%s", raw)
	}
	if !strings.Contains(m.Text, "123456") || m.Header.MessageID == "" {
		t.Errorf("text %q id %q", m.Text, m.Header.MessageID)
	}
	err = c.SendMailCode(context.Background(), "not an address", "s", "b", "1")
	if !errors.Is(err, channels.ErrPermanent) {
		t.Errorf("a bad address: %v (want a permanent error)", err)
	}
}
