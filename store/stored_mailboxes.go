package store

import (
	"context"
	"time"
)

// StoredMailbox is a mailbox an admin added on the desk: its settings as
// JSON (the email channel's Mailbox without passwords) and the passwords.
type StoredMailbox struct {
	Name         string
	Config       string
	IMAPPassword string
	SMTPPassword string
	Disabled     bool
	UpdatedAt    time.Time
}

// StoredMailboxes lists the admin-added mailboxes by name.
func (db *DB) StoredMailboxes(ctx context.Context) ([]StoredMailbox, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name, config, imap_password, smtp_password, disabled, updated_at FROM stored_mailboxes ORDER BY name`)
	if err != nil {
		return nil, wrap(err, "stored mailboxes")
	}
	defer rows.Close()
	out := []StoredMailbox{}
	for rows.Next() {
		var m StoredMailbox
		var disabled int
		var at int64
		if err := rows.Scan(&m.Name, &m.Config, &m.IMAPPassword, &m.SMTPPassword, &disabled, &at); err != nil {
			return nil, wrap(err, "stored mailboxes")
		}
		m.Disabled, m.UpdatedAt = disabled != 0, fromMs(at)
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "stored mailboxes")
}

// PutStoredMailbox adds or replaces an admin-added mailbox.
func (db *DB) PutStoredMailbox(ctx context.Context, m StoredMailbox) error {
	disabled := 0
	if m.Disabled {
		disabled = 1
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO stored_mailboxes (name, config, imap_password, smtp_password, disabled, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (name) DO UPDATE SET config = excluded.config, imap_password = excluded.imap_password,
		smtp_password = excluded.smtp_password, disabled = excluded.disabled, updated_at = excluded.updated_at`,
		m.Name, m.Config, m.IMAPPassword, m.SMTPPassword, disabled, ms(m.UpdatedAt))
	return wrap(err, "stored mailbox %s", m.Name)
}
