package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

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
	// changed, when set, is signalled after a save (app.mailboxesChanged).
	changed chan<- struct{}
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
	stored, err := d.stored(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]desk.MailboxInfo, 0, len(d.boxes)+len(stored))
	add := func(mb email.Mailbox, source string, disabled bool) *desk.MailboxInfo {
		mb.Defaults()
		out = append(out, desk.MailboxInfo{
			Name: mb.Name, Address: mb.Address, DisplayName: mb.DisplayName, Source: source, Disabled: disabled,
			IMAP: serverLabel(mb.IMAP), SMTP: serverLabel(mb.SMTP), State: byName[mb.Name],
		})
		return &out[len(out)-1]
	}
	for _, mb := range d.boxes {
		add(mb, "config", false)
	}
	for _, s := range stored {
		mb := s.mb
		add(mb, "admin", s.disabled).Settings = &desk.MailboxInput{
			Name: mb.Name, Address: mb.Address, DisplayName: mb.DisplayName, Folder: mb.Folder, AfterImport: mb.AfterImport, DefaultTeam: mb.DefaultTeam,
			IMAPHost: mb.IMAP.Host, IMAPPort: mb.IMAP.Port, IMAPSecurity: mb.IMAP.Security, IMAPUser: mb.IMAP.User,
			SMTPHost: mb.SMTP.Host, SMTPPort: mb.SMTP.Port, SMTPSecurity: mb.SMTP.Security, SMTPUser: mb.SMTP.User, SMTPAuth: mb.SMTP.Auth,
			Insecure: mb.IMAP.Insecure || mb.SMTP.Insecure, Disabled: s.disabled,
		}
	}
	return out, nil
}

// storedMailbox is an admin's mailbox from SQL, passwords filled in.
type storedMailbox struct {
	mb       email.Mailbox
	disabled bool
}

func (d mailboxDirectory) stored(ctx context.Context) ([]storedMailbox, error) {
	rows, err := d.db.StoredMailboxes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]storedMailbox, 0, len(rows))
	for _, r := range rows {
		var mb email.Mailbox
		if err := json.Unmarshal([]byte(r.Config), &mb); err != nil {
			return nil, fmt.Errorf("email: stored mailbox %s: %w", r.Name, err)
		}
		mb.IMAP.Password, mb.SMTP.Password = r.IMAPPassword, r.SMTPPassword
		out = append(out, storedMailbox{mb: mb, disabled: r.Disabled})
	}
	return out, nil
}

// enabledStored are the admin's mailboxes the email channel imports and
// sends with, beside those of the configuration file.
func (d mailboxDirectory) enabledStored(ctx context.Context) ([]email.Mailbox, error) {
	stored, err := d.stored(ctx)
	if err != nil {
		return nil, err
	}
	var out []email.Mailbox
	for _, s := range stored {
		if !s.disabled {
			out = append(out, s.mb)
		}
	}
	return out, nil
}

// SaveMailbox checks an admin's mailbox as a [[mailbox]] table is checked
// and keeps it in SQL; an empty password keeps the stored one. A name of
// the configuration file stays the file's.
func (d mailboxDirectory) SaveMailbox(ctx context.Context, in desk.MailboxInput) error {
	for _, mb := range d.boxes {
		if mb.Name == in.Name {
			return desk.Errorf(desk.CodeConflict, "mailbox %q is set in the configuration file; change it there", in.Name)
		}
	}
	stored, err := d.stored(ctx)
	if err != nil {
		return err
	}
	mb := email.Mailbox{
		Name: in.Name, Address: in.Address, DisplayName: in.DisplayName, Folder: in.Folder, AfterImport: in.AfterImport, DefaultTeam: in.DefaultTeam,
		IMAP: email.Server{Host: in.IMAPHost, Port: in.IMAPPort, Security: in.IMAPSecurity, Insecure: in.Insecure, User: in.IMAPUser, Password: in.IMAPPassword},
		SMTP: email.Server{Host: in.SMTPHost, Port: in.SMTPPort, Security: in.SMTPSecurity, Insecure: in.Insecure, User: in.SMTPUser, Password: in.SMTPPassword, Auth: in.SMTPAuth},
	}
	for _, s := range stored {
		if s.mb.Name == in.Name {
			if mb.IMAP.Password == "" {
				mb.IMAP.Password = s.mb.IMAP.Password
			}
			if mb.SMTP.Password == "" {
				mb.SMTP.Password = s.mb.SMTP.Password
			}
		}
	}
	mb.Defaults()
	if err := mb.Validate(); err != nil {
		return desk.Errorf(desk.CodeInvalid, "%v", err)
	}
	row := store.StoredMailbox{Name: mb.Name, IMAPPassword: mb.IMAP.Password, SMTPPassword: mb.SMTP.Password, Disabled: in.Disabled, UpdatedAt: time.Now()}
	mb.IMAP.Password, mb.SMTP.Password = "", ""
	cfg, err := json.Marshal(mb)
	if err != nil {
		return fmt.Errorf("email: mailbox %s: %w", mb.Name, err)
	}
	row.Config = string(cfg)
	if err := d.db.PutStoredMailbox(ctx, row); err != nil {
		return err
	}
	select {
	case d.changed <- struct{}{}:
	default: // a reload is pending already, or nobody follows (commands)
	}
	return nil
}

// The bouncing addresses (desk.BounceKeeper) are the store's.

func (d mailboxDirectory) EmailBounce(ctx context.Context, address string) (desk.EmailBounce, error) {
	return d.db.EmailBounce(ctx, address)
}

func (d mailboxDirectory) EmailBounces(ctx context.Context) ([]desk.EmailBounce, error) {
	return d.db.EmailBounces(ctx)
}

func (d mailboxDirectory) ClearEmailBounce(ctx context.Context, address string) error {
	return d.db.ClearEmailBounce(ctx, address)
}

func serverLabel(s email.Server) string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + " (" + s.Security + ")"
}

// TestMailbox logs in to the mailbox's servers through a channel of its
// own, so a test never disturbs the poller.
func (d mailboxDirectory) TestMailbox(ctx context.Context, name string) (desk.MailboxTest, error) {
	stored, err := d.stored(ctx)
	if err != nil {
		return desk.MailboxTest{}, err
	}
	all := append([]email.Mailbox{}, d.boxes...)
	for _, s := range stored {
		all = append(all, s.mb)
	}
	ch, err := email.New(all, email.Deps{Logger: d.log})
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
