package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"huiliu/channels/email"
	"huiliu/desk"
	"huiliu/store"
)

// mailboxDirectory is what the desk shows of the mailboxes (the admin
// page, the new-email form): the configured ones with their state in SQL,
// passwords never, and a connection test.
type mailboxDirectory struct {
	boxes []email.Mailbox
	db    *store.DB
	log   *slog.Logger
}

func (d mailboxDirectory) Mailboxes(ctx context.Context) ([]desk.MailboxInfo, error) {
	states, err := d.db.MailboxStates(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]desk.MailboxState{}
	for _, st := range states {
		byName[st.Name] = st
	}
	out := make([]desk.MailboxInfo, 0, len(d.boxes))
	for _, mb := range d.boxes {
		mb.Defaults()
		out = append(out, desk.MailboxInfo{
			Name: mb.Name, Address: mb.Address, DisplayName: mb.DisplayName, Source: "config",
			IMAP: serverLabel(mb.IMAP), SMTP: serverLabel(mb.SMTP), State: byName[mb.Name],
		})
	}
	return out, nil
}

func serverLabel(s email.Server) string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + " (" + s.Security + ")"
}

// TestMailbox logs in to the mailbox's servers through a channel of its
// own, so a test never disturbs the poller.
func (d mailboxDirectory) TestMailbox(ctx context.Context, name string) (desk.MailboxTest, error) {
	ch, err := email.New(d.boxes, email.Deps{Logger: d.log})
	if err != nil {
		return desk.MailboxTest{}, fmt.Errorf("email: mailboxes: %w", err)
	}
	imapErr, smtpErr, known := ch.Check(ctx, name)
	if !known {
		return desk.MailboxTest{}, desk.Errorf(desk.CodeNotFound, "mailbox not found")
	}
	res := desk.MailboxTest{IMAPOK: imapErr == nil, SMTPOK: smtpErr == nil}
	if imapErr != nil {
		res.IMAP = imapErr.Error()
		d.log.Warn("email: mailbox test: IMAP failed", "mailbox", name, "err", imapErr)
	}
	if smtpErr != nil {
		res.SMTP = smtpErr.Error()
		d.log.Warn("email: mailbox test: SMTP failed", "mailbox", name, "err", smtpErr)
	}
	return res, nil
}
