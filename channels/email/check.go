package email

import (
	"context"
	"fmt"
)

// Check tries a mailbox's servers the way the channel uses them and says
// how each went, for the admin page's connection test: IMAP login and the
// folder opened read-only, SMTP connection and login without sending. It
// changes nothing on either server. known is false for no such mailbox.
func (c *Channel) Check(ctx context.Context, name string) (imapErr, smtpErr error, known bool) {
	mb, ok := c.box(name)
	if !ok {
		return nil, nil, false
	}
	cfg := mb.cfg
	imapErr = func() error {
		conn, err := c.dialer.dial(ctx, cfg.IMAP)
		if err != nil {
			return err
		}
		defer func() { _ = conn.Logout() }()
		if err := conn.Login(cfg.IMAP.User, mb.imapPassword); err != nil {
			return fmt.Errorf("login as %s refused: %w", cfg.IMAP.User, err)
		}
		if _, err := conn.Select(cfg.Folder, true); err != nil {
			return fmt.Errorf("folder %q: %w", cfg.Folder, err)
		}
		return nil
	}()
	smtpErr = func() error {
		cl, err := smtpClient(mb)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, sendTimeout)
		defer cancel()
		if err := cl.DialWithContext(ctx); err != nil {
			return fmt.Errorf("smtp %s:%d: %w", cfg.SMTP.Host, cfg.SMTP.Port, err)
		}
		return cl.Close()
	}()
	return imapErr, smtpErr, true
}
