package desk

import (
	"context"
	"fmt"
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
