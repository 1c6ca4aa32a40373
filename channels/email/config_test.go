package email

import (
	"strings"
	"testing"
)

func TestMailboxValidate(t *testing.T) {
	ok := Mailbox{Name: "support", Address: "support@huiliu.test",
		IMAP: Server{Host: "imap.example", Password: "secret-imap"}, SMTP: Server{Host: "smtp.example", PasswordEnv: "X"}}
	ok.Defaults()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.IMAP.Port != 993 || ok.SMTP.Port != 465 || ok.Folder != "INBOX" || ok.AfterImport != "seen" || ok.IMAP.User != ok.Address {
		t.Fatalf("defaults %+v", ok)
	}
	for name, change := range map[string]func(*Mailbox){
		"plain without insecure":    func(m *Mailbox) { m.IMAP.Security = SecurityPlain },
		"two password sources":      func(m *Mailbox) { m.SMTP.Password = "x" },
		"bad after_import":          func(m *Mailbox) { m.AfterImport = "delete" },
		"name with a colon":         func(m *Mailbox) { m.Name = "a:b" },
		"display name on two lines": func(m *Mailbox) { m.DisplayName = "a\r\nBcc: x@evil.example" },
		"address with a name":       func(m *Mailbox) { m.Address = "Support <support@huiliu.test>" },
		"unknown security":          func(m *Mailbox) { m.SMTP.Security = "ssl" },
	} {
		m := ok
		change(&m)
		if err := m.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if s := ok.Masked().IMAP.Password + ok.String(); strings.Contains(s, "secret-imap") {
		t.Fatalf("password shown: %q", s)
	}
}
