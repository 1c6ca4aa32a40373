package email

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"huiliu/channels"
)

// Outcome is what became of one mail.
type Outcome int

const (
	// Stored: the mail is a message on a ticket (new or a replay).
	Stored Outcome = iota
	// Duplicate: the desk had stored the mail before.
	Duplicate
	// Bounced: a delivery failure report, recorded, no ticket.
	Bounced
	// Ours: sent from one of our own mailboxes; a loop, dropped.
	Ours
)

// Deliver takes one raw mail of a mailbox into sink: a bounce is recorded
// (never a ticket), mail from our own addresses is dropped, anything else
// is threaded and stored. The IMAP import and `huiliu email import` both
// come through here. An error means the mail was not stored and may be
// offered again.
func (c *Channel) Deliver(ctx context.Context, mailboxName string, raw []byte, sink channels.Sink) (Outcome, error) {
	mb, ok := c.box(mailboxName)
	if !ok {
		return 0, fmt.Errorf("email: no mailbox %q", mailboxName)
	}
	return c.deliver1(ctx, mb, ParseMail(raw), sink)
}

// deliver1 is Deliver of a parsed mail.
func (c *Channel) deliver1(ctx context.Context, mb *mailbox, m Mail, sink channels.Sink) (Outcome, error) {
	m.Header.Mailbox = mb.cfg.Name
	if m.Report != nil {
		return Bounced, c.bounce(ctx, mb, m)
	}
	if c.ours(m.Header.From.Value) {
		c.log.Info("email: mail from our own address dropped (loop guard)", "mailbox", mb.cfg.Name, "from", m.Header.From.Value)
		return Ours, nil
	}
	in, err := c.inbound(ctx, mb, m)
	if err != nil {
		return 0, err
	}
	rc, err := sink.Ingest(ctx, in)
	if err != nil {
		return 0, fmt.Errorf("email %s: store mail %s: %w", mb.cfg.Name, in.ExternalID, err)
	}
	if rc.Duplicate {
		return Duplicate, nil
	}
	return Stored, nil
}

// inbound builds the envelope of a parsed mail, threaded.
func (c *Channel) inbound(ctx context.Context, mb *mailbox, m Mail) (channels.Inbound, error) {
	h := m.Header
	from := h.From
	if from.Value == "" {
		// Nothing says who wrote it; one placeholder contact collects such
		// mail rather than losing it.
		from = channels.Party{Kind: identityEmail, Value: "unknown-sender@invalid"}
		h.From = from
	}
	ticketID, err := c.follow(ctx, h)
	if err != nil {
		return channels.Inbound{}, err
	}
	return channels.Inbound{
		Channel:     ChannelName,
		ExternalID:  m.ExternalID,
		ThreadKey:   ThreadKey(mb.cfg.Name, m.root()),
		From:        from,
		Text:        m.Text,
		HTML:        m.HTML,
		Attachments: m.Files,
		TicketID:    ticketID,
		DefaultTeam: mb.cfg.DefaultTeam,
		Email:       &h,
	}, nil
}

// root is the first Message-ID of the mail's thread, as far as the mail
// tells: its first reference, what it replies to, or itself.
func (m Mail) root() string {
	h := m.Header
	switch {
	case len(h.References) > 0:
		return h.References[0]
	case h.InReplyTo != "":
		return h.InReplyTo
	case h.MessageID != "":
		return h.MessageID
	}
	return m.ExternalID
}

var ticketTag = regexp.MustCompile(`\[#(\d{1,18})\]`)

// follow finds the ticket a mail continues. A reply joins a ticket when
// In-Reply-To or any References entry is one of our Message-IDs whose
// token maps to that ticket, or when the subject carries the ticket's tag
// [#1042] — and in both cases only when the sender already took part in
// that ticket. A stranger who quotes another customer's Message-ID or tag
// therefore opens a ticket of their own and sees nothing of the other.
func (c *Channel) follow(ctx context.Context, h channels.Email) (string, error) {
	if c.deps.Threads == nil {
		return "", nil
	}
	sender := h.From.Value
	ids := append([]string{h.InReplyTo}, h.References...)
	tried := map[string]bool{}
	for i := len(ids) - 1; i >= 0; i-- { // the newest reference first
		_, token, ok := parseOurID(ids[i])
		if !ok || tried[token] {
			continue
		}
		tried[token] = true
		t, err := c.deps.Threads.TicketByToken(ctx, token)
		if err != nil {
			return "", fmt.Errorf("email: thread token: %w", err)
		}
		if t == "" {
			continue
		}
		if ok, err := c.deps.Threads.Participant(ctx, t, sender); err != nil {
			return "", fmt.Errorf("email: participants of ticket %s: %w", t, err)
		} else if ok {
			return t, nil
		}
	}
	for _, tag := range ticketTag.FindAllStringSubmatch(h.Subject, 5) {
		n, err := strconv.ParseInt(tag[1], 10, 64)
		if err != nil {
			continue
		}
		t, err := c.deps.Threads.TicketByNumber(ctx, n)
		if err != nil {
			return "", fmt.Errorf("email: ticket #%d: %w", n, err)
		}
		if t == "" {
			continue
		}
		if ok, err := c.deps.Threads.Participant(ctx, t, sender); err != nil {
			return "", fmt.Errorf("email: participants of ticket %s: %w", t, err)
		} else if ok {
			return t, nil
		}
	}
	return "", nil
}

// bounce records what a delivery failure report says. A report naming
// one of our Message-IDs marks that message failed; its token must map to
// a ticket, so a forged report cannot fail messages it guesses.
func (c *Channel) bounce(ctx context.Context, mb *mailbox, m Mail) error {
	if c.deps.Bounces == nil {
		return nil
	}
	b := Bounce{Mailbox: mb.cfg.Name}
	if msgID, token, ok := parseOurID(m.Report.OriginalID); ok && c.deps.Threads != nil {
		t, err := c.deps.Threads.TicketByToken(ctx, token)
		if err != nil {
			return fmt.Errorf("email: thread token of bounce: %w", err)
		}
		if t != "" {
			b.TicketID, b.MessageID = t, msgID
		}
	}
	failed := m.Report.Failed
	if len(failed) == 0 {
		// A bounce without a machine-readable report: its subject is the
		// reason, and the address is unknown.
		failed = []Failure{{Reason: m.Header.Subject}}
	}
	for _, f := range failed {
		b.Address, b.Reason = f.Address, f.Reason
		if err := c.deps.Bounces.Bounced(ctx, b); err != nil {
			return fmt.Errorf("email %s: record bounce: %w", mb.cfg.Name, err)
		}
	}
	c.log.Info("email: bounce recorded", "mailbox", mb.cfg.Name, "failed", len(failed), "message", b.MessageID)
	return nil
}
