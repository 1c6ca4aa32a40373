package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"huiliu/channels/email"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

func TestMailboxDirectory(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	file := email.Mailbox{Name: "support", Address: "support@example.com",
		IMAP: email.Server{Host: "imap.example.com", Password: "file-secret"}, SMTP: email.Server{Host: "smtp.example.com"}}
	d := mailboxDirectory{boxes: []email.Mailbox{file}, db: db, log: slog.New(slog.DiscardHandler)}

	in := desk.MailboxInput{Name: "sales", Address: "sales@example.com", DisplayName: "销售部", IMAPHost: "imap.example.com", IMAPPassword: "imap-secret",
		SMTPHost: "smtp.example.com", SMTPSecurity: "starttls", SMTPPassword: "smtp-secret"}
	if err := d.SaveMailbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	// An edit without passwords keeps them; one of the file is refused;
	// a bad one says what is wrong.
	in.DisplayName, in.IMAPPassword, in.SMTPPassword, in.Disabled = "销售", "", "", true
	if err := d.SaveMailbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveMailbox(ctx, desk.MailboxInput{Name: "support", Address: "x@example.com", IMAPHost: "h", SMTPHost: "h"}); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("a file mailbox changed on the desk: %v", err)
	}
	if err := d.SaveMailbox(ctx, desk.MailboxInput{Name: "bad", Address: "x@example.com", IMAPHost: "h", IMAPSecurity: "plain", SMTPHost: "h"}); desk.CodeOf(err) != desk.CodeInvalid || !strings.Contains(err.Error(), "insecure") {
		t.Fatalf("plain IMAP without insecure: %v", err)
	}

	list, err := d.Mailboxes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(list)
	if strings.Contains(string(raw), "secret") {
		t.Fatalf("the list shows a password: %s", raw)
	}
	if len(list) != 2 || list[0].Source != "config" || list[0].Settings != nil || list[1].Source != "admin" || !list[1].Disabled ||
		list[1].DisplayName != "销售" || list[1].SMTP != "smtp.example.com:587 (starttls)" || list[1].Settings == nil || list[1].Settings.SMTPSecurity != "starttls" {
		t.Fatalf("list %s", raw)
	}
	stored, err := d.stored(ctx)
	if err != nil || len(stored) != 1 || stored[0].mb.IMAP.Password != "imap-secret" || stored[0].mb.SMTP.Password != "smtp-secret" {
		t.Fatalf("stored passwords: %+v, %v", stored, err)
	}

	// Disabled mailboxes are not started; enabled ones join the file's,
	// on a running channel as soon as they are saved.
	changed := make(chan struct{}, 1)
	d.changed = changed
	q := memory.New()
	defer q.Close()
	a := &app{cfg: Config{Mailboxes: []email.Mailbox{file}}, db: db, log: d.log, queue: q, mailboxesChanged: changed}
	em, err := a.emailChannel(ctx)
	if err != nil || len(em.Mailboxes()) != 1 {
		t.Fatalf("disabled mailbox started: %v %+v", err, em.Mailboxes())
	}
	fctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.followMailboxes(fctx, em, time.Hour) }()
	in.Disabled = false
	if err := d.SaveMailbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(em.Mailboxes()) != 2; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the enabled mailbox did not start: %+v", em.Mailboxes())
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	boxes, err := a.activeMailboxes(ctx)
	if err != nil || len(boxes) != 2 || boxes[1].Name != "sales" || boxes[1].IMAP.Password != "imap-secret" {
		t.Fatalf("mailboxes in force: %v %+v", err, boxes)
	}
	if res, err := d.TestMailbox(ctx, "nope"); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("test of an unknown mailbox: %+v %v", res, err)
	}
}
