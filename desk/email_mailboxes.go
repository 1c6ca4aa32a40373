package desk

import (
	"context"
	"fmt"
	"strings"
)

// Mailboxes lists the email mailboxes: to an admin with servers and
// standing, to anyone else only the enabled ones' names and addresses
// (what the new-email form offers).
func (s *Service) Mailboxes(ctx context.Context, a Agent) ([]MailboxInfo, error) {
	if s.mailboxes == nil {
		return []MailboxInfo{}, nil
	}
	all, err := s.mailboxes.Mailboxes(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: mailboxes: %w", err)
	}
	if a.Role.AtLeast(RoleAdmin) {
		return all, nil
	}
	out := []MailboxInfo{}
	for _, m := range all {
		if !m.Disabled {
			// Servers, state and settings are for admins.
			out = append(out, MailboxInfo{Name: m.Name, Address: m.Address, DisplayName: m.DisplayName, Source: m.Source})
		}
	}
	return out, nil
}

// TestMailbox tries an admin's mailbox connection (IMAP login and folder,
// SMTP login) and reports each outcome; it changes nothing.
func (s *Service) TestMailbox(ctx context.Context, a Agent, name string) (MailboxTest, error) {
	if !a.Role.AtLeast(RoleAdmin) {
		return MailboxTest{}, Errorf(CodeForbidden, "only admins test mailboxes")
	}
	if s.mailboxes == nil {
		return MailboxTest{}, Errorf(CodeNotFound, "mailbox not found")
	}
	return s.mailboxes.TestMailbox(ctx, name)
}

// SaveMailbox adds or changes an admin's mailbox kept in SQL; every node's
// email channel takes it up within seconds (cmd's followMailboxes).
func (s *Service) SaveMailbox(ctx context.Context, a Agent, in MailboxInput) error {
	if !a.Role.AtLeast(RoleAdmin) {
		return Errorf(CodeForbidden, "only admins change mailboxes")
	}
	if s.mailboxes == nil {
		return Errorf(CodeUnavailable, "this desk has no email channel")
	}
	for _, v := range []string{in.Name, in.Address, in.DisplayName, in.IMAPHost, in.IMAPUser, in.IMAPPassword, in.Folder, in.AfterImport,
		in.SMTPHost, in.SMTPUser, in.SMTPPassword, in.DefaultTeam, in.IMAPSecurity, in.SMTPSecurity, in.SMTPAuth} {
		if len(v) > MaxPartyValueBytes || !ValidText(v) || strings.ContainsAny(v, "\r\n") {
			return Errorf(CodeInvalid, "mailbox fields must be one line of at most %d bytes", MaxPartyValueBytes)
		}
	}
	if err := s.mailboxes.SaveMailbox(ctx, in); err != nil {
		return err
	}
	detail := "enabled"
	if in.Disabled {
		detail = "disabled"
	}
	s.auditNow(ctx, AgentActor(a), "mailbox.save", in.Name, detail)
	return nil
}
