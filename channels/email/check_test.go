package email

import (
	"context"
	"strings"
	"testing"
)

func TestCheckReportsEachServer(t *testing.T) {
	_, mb := testFolder(t)
	smtpSrv := newSMTPServer(t)
	mb.SMTP.Port = smtpSrv.port()
	ctx := context.Background()

	c := newTestChannel(t, mb, Deps{})
	imapErr, smtpErr, known := c.Check(ctx, mb.Name)
	if !known || imapErr != nil || smtpErr != nil {
		t.Fatalf("good mailbox: known %v, imap %v, smtp %v", known, imapErr, smtpErr)
	}
	if _, _, known := c.Check(ctx, "nope"); known {
		t.Fatal("an unknown mailbox was checked")
	}
	if got := smtpSrv.received(); len(got) != 0 {
		t.Fatalf("the check sent %d mails", len(got))
	}

	bad := mb
	bad.IMAP.Password = "wrong"
	bad.Folder = "INBOX"
	bad.SMTP.Port = 1 // nothing listens
	imapErr, smtpErr, _ = newTestChannel(t, bad, Deps{}).Check(ctx, bad.Name)
	if imapErr == nil || !strings.Contains(imapErr.Error(), "refused") || smtpErr == nil {
		t.Fatalf("wrong password, closed SMTP port: imap %v, smtp %v", imapErr, smtpErr)
	}

	missing := mb
	missing.Folder = mb.Folder + "-missing"
	if imapErr, _, _ := newTestChannel(t, missing, Deps{}).Check(ctx, missing.Name); imapErr == nil || !strings.Contains(imapErr.Error(), "folder") {
		t.Fatalf("missing folder: imap %v", imapErr)
	}
}
