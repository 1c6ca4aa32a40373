package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"huiliu/channels"
)

// sendTimeout bounds one SMTP delivery.
const sendTimeout = 2 * time.Minute

// Send delivers a desk message over the SMTP server of the ticket's
// mailbox. Its Message-ID is made from the desk message id and the
// ticket's token, so every retry of a message sends the same one; In-Reply-To and
// References thread it; automatic messages (bot, system) carry
// Auto-Submitted: auto-replied. 4xx answers are retried, 5xx and an
// unusable address are permanent. Every header value is reduced to one
// line, so no name, subject or address can add a header.
func (c *Channel) Send(ctx context.Context, out channels.Outbound) (string, error) {
	name := mailboxOf(out.ThreadKey)
	set := c.current()
	mb, ok := set.byName[name]
	if !ok && len(set.order) == 1 {
		mb = set.byName[set.order[0]] // a ticket from before the mailbox was renamed
	} else if !ok {
		return "", channels.Permanent(fmt.Errorf("email: no mailbox %q for ticket %s", name, out.TicketID))
	}
	out, err := c.dropBlocked(ctx, out)
	if err != nil {
		return "", err
	}
	token, err := c.deps.Threads.Token(ctx, out.TicketID)
	if err != nil {
		return "", fmt.Errorf("email: thread token of ticket %s: %w", out.TicketID, err)
	}
	id := OutgoingID(out.MessageID, token, mb.cfg.Address)
	msg, err := c.compose(mb, out, id)
	if err != nil {
		return "", channels.Permanent(err)
	}
	if err := c.deliver(ctx, mb, msg); err != nil {
		return "", err
	}
	return id, nil
}

// dropBlocked refuses a message to an address a bounce blocks (it would
// only bounce again; the desk shows why and lets an agent clear the mark)
// and leaves such addresses out of the Cc.
func (c *Channel) dropBlocked(ctx context.Context, out channels.Outbound) (channels.Outbound, error) {
	if c.deps.Bounces == nil {
		return out, nil
	}
	blocked := func(value string) (string, time.Time, bool, error) {
		a, err := plainAddress(value)
		if err != nil {
			return "", time.Time{}, false, nil // compose refuses it with its own reason
		}
		reason, at, yes, err := c.deps.Bounces.Blocked(ctx, a)
		if err != nil {
			return "", time.Time{}, false, fmt.Errorf("email: bounce of %s: %w", a, err)
		}
		return reason, at, yes, nil
	}
	reason, at, yes, err := blocked(out.To.Value)
	if err != nil {
		return out, err
	}
	if yes {
		return out, channels.Permanent(fmt.Errorf("email: mail to %s bounced on %s (%s); not sent: clear the bounce mark on the ticket to send again",
			out.To.Value, at.UTC().Format("2006-01-02"), reason))
	}
	var cc []channels.Party
	for _, p := range out.Cc {
		_, _, yes, err := blocked(p.Value)
		if err != nil {
			return out, err
		}
		if yes {
			c.log.Info("email: bouncing Cc address left out", "ticket", out.TicketID)
			continue
		}
		cc = append(cc, p)
	}
	out.Cc = cc
	return out, nil
}

// compose builds the mail of an outbound message.
func (c *Channel) compose(mb *mailbox, out channels.Outbound, id string) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	fromName := mb.cfg.DisplayName
	if out.FromName != "" {
		fromName = out.FromName
	}
	if err := m.FromFormat(oneLine(fromName), mb.cfg.Address); err != nil {
		return nil, fmt.Errorf("email: from address %q: %w", mb.cfg.Address, err)
	}
	to, err := plainAddress(out.To.Value)
	if err != nil {
		return nil, fmt.Errorf("email: recipient: %w", err)
	}
	if err := m.AddToFormat(oneLine(out.To.Name), to); err != nil {
		return nil, fmt.Errorf("email: recipient %q: %w", to, err)
	}
	for _, p := range out.Cc {
		a, err := plainAddress(p.Value)
		if err != nil || c.ours(a) || a == to {
			continue // one bad Cc does not stop the reply to the customer; our own would loop
		}
		if err := m.AddCcFormat(oneLine(p.Name), a); err != nil {
			return nil, fmt.Errorf("email: cc %q: %w", a, err)
		}
	}
	subject := oneLine(out.Subject)
	if subject == "" {
		subject = "Re:"
	}
	m.Subject(subject)
	m.SetMessageIDWithValue(id)
	m.SetDate()
	if irt := oneLine(out.InReplyTo); irt != "" && safeID(irt) {
		m.SetGenHeader(gomail.HeaderInReplyTo, "<"+irt+">")
	}
	var refs []string
	for _, r := range out.References {
		if r = oneLine(r); r != "" && safeID(r) {
			refs = append(refs, "<"+r+">")
		}
	}
	if len(refs) > 0 {
		m.SetGenHeader(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	if out.Automatic {
		m.SetGenHeader("Auto-Submitted", "auto-replied")
	}
	text := out.Text
	if out.AgentName != "" {
		text += "\n\n-- \n" + out.AgentName
		if out.AgentEmployeeNo != "" {
			text += " (" + out.AgentEmployeeNo + ")"
		}
	}
	m.SetBodyString(gomail.TypeTextPlain, text)
	htmlBody := out.HTML
	if htmlBody == "" {
		htmlBody = textToHTML(text)
	}
	m.AddAlternativeString(gomail.TypeTextHTML, htmlBody)
	for i, a := range out.Attachments {
		name := safeFileName(a.Name, a.MIME)
		if a.Name == "" {
			name = fmt.Sprintf("attachment-%d", i+1)
		}
		if err := m.AttachReader(name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(cleanType(a.MIME)))); err != nil {
			return nil, fmt.Errorf("email: attachment %d: %w", i+1, err)
		}
	}
	return m, nil
}

// plainAddress accepts one bare address and gives it back lower case.
func plainAddress(v string) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != strings.TrimSpace(v) || strings.ContainsAny(v, "\r\n") {
		return "", fmt.Errorf("%q is not a plain mail address", v)
	}
	return strings.ToLower(a.Address), nil
}

// safeID: a Message-ID that can go between angle brackets unchanged.
func safeID(id string) bool {
	return len(id) <= maxIDBytes && !strings.ContainsAny(id, "<> \t\r\n") && strings.Contains(id, "@")
}

// cleanType keeps a type/subtype content type; anything else is sent as
// application/octet-stream.
func cleanType(t string) string {
	typ, sub, ok := strings.Cut(t, "/")
	if !ok || typ == "" || sub == "" || strings.ContainsAny(t, " ;\r\n\"") {
		return "application/octet-stream"
	}
	return t
}

// textToHTML is the HTML alternative of a plain reply: escaped, line
// breaks kept.
func textToHTML(text string) string {
	return `<!DOCTYPE html><html><body><div style="white-space:pre-wrap;font-family:sans-serif">` +
		html.EscapeString(text) + `</div></body></html>`
}

// deliver hands the mail to the mailbox's SMTP server.
func (c *Channel) deliver(ctx context.Context, mb *mailbox, m *gomail.Msg) error {
	cl, err := smtpClient(mb)
	if err != nil {
		return channels.Permanent(fmt.Errorf("email %s: smtp client: %w", mb.cfg.Name, err))
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := cl.DialAndSendWithContext(ctx, m); err != nil {
		return classify(mb.cfg.Name, err)
	}
	return nil
}

// smtpClient is a client for the mailbox's SMTP server, as configured.
func smtpClient(mb *mailbox) (*gomail.Client, error) {
	s := mb.cfg.SMTP
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(sendTimeout)}
	switch s.Security {
	case SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case SecuritySTARTTLS:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	}
	switch s.Auth {
	case "plain":
		// go-mail's PLAIN refuses to send the password without TLS; a
		// plain test server then needs auth = "none".
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.User), gomail.WithPassword(mb.smtpPassword))
	case "login":
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthLogin), gomail.WithUsername(s.User), gomail.WithPassword(mb.smtpPassword))
	}
	return gomail.NewClient(s.Host, opts...)
}

// busyDelay is how long a server that answered 421 (busy, closing) is
// left alone.
const busyDelay = time.Minute

// classify marks a 5xx answer permanent and a 421 a request to come back
// later; other 4xx answers, refused connections and timeouts are retried
// with the sender's backoff.
func classify(mailbox string, err error) error {
	err = fmt.Errorf("email %s: smtp: %w", mailbox, err)
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch code := se.ErrorCode(); {
		case code >= 500 && code < 600:
			return channels.Permanent(err)
		case code == 421:
			return &channels.RetryAfterError{After: busyDelay, Err: err}
		}
	}
	return err
}
