package desk

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"huiliu/channels"
)

// EmailChannel is the channel name of mail tickets.
const EmailChannel = "email"

// MailboxDirectory is what the desk knows of the email mailboxes: which
// exist (from the configuration file and the admin page) and how each is
// doing. cmd/huiliu implements it over the email channel and the store.
type MailboxDirectory interface {
	Mailboxes(ctx context.Context) ([]MailboxInfo, error)
	// TestMailbox logs in to the mailbox's IMAP and SMTP servers and says
	// how each went; it changes nothing.
	TestMailbox(ctx context.Context, name string) (MailboxTest, error)
	// SaveMailbox adds or changes a mailbox kept in SQL (not one of the
	// configuration file), checking it as the file's are checked.
	SaveMailbox(ctx context.Context, in MailboxInput) error
}

// MailboxInput is a mailbox as the admin page submits it. An empty
// password keeps the stored one: passwords are write-only.
type MailboxInput struct {
	Name         string `json:"name"`
	Address      string `json:"address"`
	DisplayName  string `json:"display_name"`
	IMAPHost     string `json:"imap_host"`
	IMAPPort     int    `json:"imap_port"`
	IMAPSecurity string `json:"imap_security"`
	IMAPUser     string `json:"imap_user"`
	IMAPPassword string `json:"imap_password"`
	Folder       string `json:"folder"`
	AfterImport  string `json:"after_import"`
	SMTPHost     string `json:"smtp_host"`
	SMTPPort     int    `json:"smtp_port"`
	SMTPSecurity string `json:"smtp_security"`
	SMTPUser     string `json:"smtp_user"`
	SMTPPassword string `json:"smtp_password"`
	SMTPAuth     string `json:"smtp_auth"`
	DefaultTeam  string `json:"default_team"`
	// Insecure allows security "plain" (a local test server only).
	Insecure bool `json:"insecure"`
	Disabled bool `json:"disabled"`
}

// MailboxInfo is one mailbox as agents and admins see it: never its
// passwords.
type MailboxInfo struct {
	Name        string `json:"name"`
	Address     string `json:"address"`
	DisplayName string `json:"display_name,omitempty"`
	// Source is "config" (the TOML file; read-only on the desk) or "admin"
	// (stored in SQL from the admin page).
	Source   string `json:"source"`
	Disabled bool   `json:"disabled,omitempty"`
	IMAP     string `json:"imap"` // host:port (security)
	SMTP     string `json:"smtp"`
	// State is the poller's last record; Bounces the addresses that
	// bounced lately (any mailbox).
	State MailboxState `json:"state"`
	// Settings are an admin-added mailbox's fields for its edit form,
	// passwords empty; nil for the configuration file's.
	Settings *MailboxInput `json:"settings,omitempty"`
}

// MailboxTest is the outcome of a connection test, one line per server.
type MailboxTest struct {
	IMAPOK bool   `json:"imap_ok"`
	IMAP   string `json:"imap"`
	SMTPOK bool   `json:"smtp_ok"`
	SMTP   string `json:"smtp"`
}

// NewEmail is an email an agent starts to a contact: to the contact's
// address on record (ContactID alone), or to a typed Address, which
// becomes an unverified email identity of ContactID's contact or of a new
// contact named Name.
type NewEmail struct {
	ContactID string
	Address   string
	Name      string
	// Mailbox sends it (a mailbox name); empty: the first one.
	Mailbox        string
	Subject        string
	Cc             string
	Text           string
	Attachments    []channels.Attachment
	IdempotencyKey string
}

// StartEmail opens a ticket on the email channel with the agent as its
// first-contact owner and assignee and the agent's email as its first
// message, queued for sending, all in one commit. The ticket waits on the
// customer (pending) until they answer. created is false when the
// idempotency key had been used: the earlier ticket and message return.
func (s *Service) StartEmail(ctx context.Context, agent Agent, req NewEmail) (t Ticket, msg Message, created bool, err error) {
	header, err := mailHeader(&MailReply{Subject: req.Subject, Cc: req.Cc})
	if err != nil {
		return Ticket{}, Message{}, false, err
	}
	if header.Subject == "" {
		return Ticket{}, Message{}, false, Errorf(CodeInvalid, "subject is required")
	}
	if err := validatePost(&PostRequest{Kind: KindReply, Text: req.Text, Attachments: req.Attachments, IdempotencyKey: req.IdempotencyKey}); err != nil {
		return Ticket{}, Message{}, false, err
	}
	if len(req.Name) > MaxNameBytes || !ValidText(req.Name) || strings.ContainsAny(req.Name, "\r\n") {
		return Ticket{}, Message{}, false, Errorf(CodeInvalid, "name must be one line of at most %d bytes", MaxNameBytes)
	}
	box, err := s.sendingMailbox(ctx, req.Mailbox)
	if err != nil {
		return Ticket{}, Message{}, false, err
	}
	scope := "email:" + agent.ID
	if req.IdempotencyKey != "" {
		if m, ok, err := s.idempotentMessage(ctx, scope, req.IdempotencyKey); err != nil || ok {
			if err != nil {
				return Ticket{}, Message{}, false, err
			}
			t, err := s.store.Ticket(ctx, m.TicketID)
			return t, m, false, err
		}
	}
	address, contactID, err := s.emailRecipient(ctx, agent, req)
	if err != nil {
		return Ticket{}, Message{}, false, err
	}
	header.Mailbox = box.Name
	header.To = []channels.Party{{Kind: IdentityEmail, Value: address, Name: req.Name}}
	err = s.store.Tx(ctx, func(tx Tx) error {
		now := s.now().UTC()
		ident, err := emailIdentity(ctx, tx, address, contactID, req.Name, now)
		if err != nil {
			return err
		}
		t = Ticket{
			ID: NewID(), ContactID: ident.ContactID, IdentityID: ident.ID, Channel: EmailChannel,
			Status: StatusPending, Priority: PriorityNormal, Subject: truncateRunes(header.Subject, subjectRunes),
			OwnerID: agent.ID, AssigneeID: agent.ID, Preview: preview(req.Text), Tags: []string{},
			LastMessageAt: now, CreatedAt: now, UpdatedAt: now, LastSeq: 1,
		}
		// The thread key names the sending mailbox, as a mail thread's does.
		t.ThreadKey = box.Name + ":agent-" + t.ID
		if len(agent.TeamIDs) > 0 {
			t.TeamID = agent.TeamIDs[0]
		}
		if err := tx.InsertTicket(ctx, &t); err != nil {
			return err
		}
		msg = Message{
			ID: NewID(), TicketID: t.ID, Seq: 1, Direction: DirOut, AuthorKind: AuthorAgent, AuthorID: agent.ID,
			Channel: EmailChannel, Text: req.Text, Email: header, Delivery: DeliveryPending, CreatedAt: now,
		}
		if err := insertMessage(ctx, tx, msg, req.Attachments); err != nil {
			return err
		}
		if err := tx.InsertOutbox(ctx, OutboxItem{ID: NewID(), MessageID: msg.ID, TicketID: t.ID, Channel: EmailChannel,
			IdempotencyKey: msg.ID, NextAttemptAt: now}); err != nil {
			return err
		}
		if req.IdempotencyKey != "" {
			return tx.PutIdempotency(ctx, scope, req.IdempotencyKey, msg.ID, now)
		}
		return nil
	})
	if err != nil {
		return Ticket{}, Message{}, false, fmt.Errorf("desk: start email to %s: %w", address, err)
	}
	s.nudge()
	s.publish(ctx, messageEvent(EventTicketCreated, t, msg))
	actor := AgentActor(agent)
	s.notify(ctx, Change{Kind: ChangePosted, Ticket: t, Message: &msg, Actor: actor, NewTicket: true})
	return t, msg, true, nil
}

// sendingMailbox is the named mailbox, or the first enabled one.
func (s *Service) sendingMailbox(ctx context.Context, name string) (MailboxInfo, error) {
	if s.mailboxes == nil {
		return MailboxInfo{}, Errorf(CodeInvalid, "no email mailbox is configured; an admin adds one on the Mailboxes page or in the configuration file")
	}
	all, err := s.mailboxes.Mailboxes(ctx)
	if err != nil {
		return MailboxInfo{}, fmt.Errorf("desk: mailboxes: %w", err)
	}
	for _, m := range all {
		if !m.Disabled && (name == "" || m.Name == name) {
			return m, nil
		}
	}
	if name == "" {
		return MailboxInfo{}, Errorf(CodeInvalid, "no email mailbox is configured; an admin adds one on the Mailboxes page or in the configuration file")
	}
	return MailboxInfo{}, Errorf(CodeInvalid, "no mailbox named %q", name)
}

// emailRecipient is the address to write to and the contact it is for
// ("" for a new contact or whoever holds the address already).
func (s *Service) emailRecipient(ctx context.Context, agent Agent, req NewEmail) (address, contactID string, err error) {
	if req.ContactID != "" {
		c, err := s.visibleContact(ctx, agent, req.ContactID)
		if err != nil {
			return "", "", err
		}
		contactID = c.ID
		if strings.TrimSpace(req.Address) == "" {
			for _, id := range c.Identities {
				if id.Kind == IdentityEmail {
					return id.Value, c.ID, nil
				}
			}
			return "", "", Errorf(CodeInvalid, "the contact has no email address; type one")
		}
	}
	if strings.ContainsAny(req.Address, "\r\n") {
		return "", "", Errorf(CodeInvalid, "address must not hold line breaks")
	}
	a, err := mail.ParseAddress(strings.TrimSpace(req.Address))
	if err != nil || len(a.Address) > MaxPartyValueBytes {
		return "", "", Errorf(CodeInvalid, "%q is not a mail address", req.Address)
	}
	return a.Address, contactID, nil
}

// emailIdentity is the email identity of address: the existing one (an
// address is one identity, whoever holds it), else a new unverified one
// on contactID's contact or on a new contact.
func emailIdentity(ctx context.Context, tx Tx, address, contactID, name string, now time.Time) (Identity, error) {
	ident, err := tx.IdentityByValue(ctx, IdentityEmail, address)
	if err == nil {
		if contactID != "" && ident.ContactID != contactID {
			return Identity{}, Errorf(CodeConflict, "%s belongs to another contact", address)
		}
		return ident, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Identity{}, err
	}
	if contactID == "" {
		if name == "" {
			name = address
		}
		c := Contact{ID: NewID(), Name: name, CreatedAt: now}
		if err := tx.InsertContact(ctx, c); err != nil {
			return Identity{}, err
		}
		contactID = c.ID
	}
	ident = Identity{ID: NewID(), ContactID: contactID, Kind: IdentityEmail, Value: address, CreatedAt: now}
	return ident, tx.InsertIdentity(ctx, ident)
}
