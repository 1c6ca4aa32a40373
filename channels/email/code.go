package email

import (
	"context"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"huiliu/channels"
)

// errNoMailbox: codes need a mailbox to leave from.
var errNoMailbox = errors.New("email: no mailbox to send codes from")

// SendMailCode sends a one-time verification code (issue 11) from the
// first configured mailbox to the address on the customer's record: an
// automatic mail (Auto-Submitted: auto-generated, RFC 3834, so a
// well-behaved auto-responder never answers it) with a fresh Message-ID,
// never threaded into a conversation. The code is in body already; the
// parameter is for sinks that record it apart.
func (c *Channel) SendMailCode(ctx context.Context, to, subject, body, _ string) error {
	set := c.current()
	if len(set.order) == 0 {
		return channels.Permanent(errNoMailbox)
	}
	mb := set.byName[set.order[0]]
	addr, err := plainAddress(to)
	if err != nil {
		return channels.Permanent(fmt.Errorf("email: code recipient: %w", err))
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(oneLine(mb.cfg.DisplayName), mb.cfg.Address); err != nil {
		return channels.Permanent(fmt.Errorf("email: from address %q: %w", mb.cfg.Address, err))
	}
	if err := m.To(addr); err != nil {
		return channels.Permanent(fmt.Errorf("email: code recipient %q: %w", addr, err))
	}
	m.Subject(oneLine(subject))
	m.SetMessageID()
	m.SetDate()
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, body)
	return c.deliver(ctx, mb, m)
}
