package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

const mailboxCols = `name, state, error, error_at, uid_validity, last_uid, validity_changed_at, last_mail_at, updated_at`

func scanMailbox(s scanner) (desk.MailboxState, error) {
	var m desk.MailboxState
	var errAt, changed, lastMail, updated int64
	err := s.Scan(&m.Name, &m.State, &m.Error, &errAt, &m.UIDValidity, &m.LastUID, &changed, &lastMail, &updated)
	m.ErrorAt, m.ValidityChangedAt, m.LastMailAt = fromMsPtr(errAt), fromMsPtr(changed), fromMsPtr(lastMail)
	m.UpdatedAt = fromMs(updated)
	return m, err
}

// MailboxStates lists every mailbox a poller has recorded, by name.
func (db *DB) MailboxStates(ctx context.Context) ([]desk.MailboxState, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+mailboxCols+` FROM mailbox_state ORDER BY name`)
	if err != nil {
		return nil, wrap(err, "mailbox states")
	}
	defer rows.Close()
	out := []desk.MailboxState{}
	for rows.Next() {
		m, err := scanMailbox(rows)
		if err != nil {
			return nil, wrap(err, "mailbox states")
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "mailbox states")
}

// MailboxState returns one mailbox's record; one that never ran is the
// zero state with its name.
func (db *DB) MailboxState(ctx context.Context, name string) (desk.MailboxState, error) {
	m, err := scanMailbox(db.r.QueryRowContext(ctx, `SELECT `+mailboxCols+` FROM mailbox_state WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return desk.MailboxState{Name: name}, nil
	}
	return m, wrap(err, "mailbox %s", name)
}

// SetMailboxPosition records that the mails up to uid of this UIDVALIDITY
// are committed. Within one UIDVALIDITY the position never moves back, so
// a poller that lost its lease cannot undo the newer one's progress; a new
// UIDVALIDITY replaces it and records when that happened.
func (db *DB) SetMailboxPosition(ctx context.Context, name string, validity, uid int64, mailAt time.Time) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		q := tx.(*txn).q
		now := ms(time.Now())
		cur, err := scanMailbox(q.QueryRowContext(ctx, `SELECT `+mailboxCols+` FROM mailbox_state WHERE name = $1`, name))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = q.ExecContext(ctx, `INSERT INTO mailbox_state (name, uid_validity, last_uid, last_mail_at, updated_at)
				VALUES ($1, $2, $3, $4, $5)`, name, validity, uid, ms(mailAt), now)
			return wrap(err, "insert mailbox %s", name)
		case err != nil:
			return wrap(err, "mailbox %s", name)
		case cur.UIDValidity != validity:
			changed := now
			if cur.UIDValidity == 0 {
				changed = msPtr(cur.ValidityChangedAt)
			}
			_, err = q.ExecContext(ctx, `UPDATE mailbox_state SET uid_validity = $2, last_uid = $3,
				validity_changed_at = $4, updated_at = $5 WHERE name = $1`, name, validity, uid, changed, now)
			return wrap(err, "mailbox %s new uidvalidity", name)
		case uid > cur.LastUID:
			_, err = q.ExecContext(ctx, `UPDATE mailbox_state SET last_uid = $2, last_mail_at = $3, updated_at = $4
				WHERE name = $1 AND uid_validity = $5 AND last_uid < $2`, name, uid, max(ms(mailAt), msPtr(cur.LastMailAt)), now, validity)
			return wrap(err, "mailbox %s position", name)
		}
		return nil
	})
}

// SetMailboxHealth records a mailbox's state; errText empty clears the
// last error, otherwise it is kept with the time it happened.
func (db *DB) SetMailboxHealth(ctx context.Context, name, state, errText string) error {
	now := ms(time.Now())
	errAt := int64(0)
	if errText != "" {
		errAt = now
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO mailbox_state (name, state, error, error_at, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (name) DO UPDATE SET state = excluded.state, error = excluded.error,
			error_at = excluded.error_at, updated_at = excluded.updated_at`, name, state, errText, errAt, now)
	return wrap(err, "mailbox %s health", name)
}

// EmailThreadToken returns the ticket's threading token, making it on
// first use: 26 random base32 characters (130 bits), which our
// Message-IDs carry so a reply can be matched to its ticket and to
// nothing else.
func (db *DB) EmailThreadToken(ctx context.Context, ticketID string) (string, error) {
	var tok string
	err := db.r.QueryRowContext(ctx, `SELECT token FROM email_threads WHERE ticket_id = $1`, ticketID).Scan(&tok)
	if err == nil {
		return tok, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", wrap(err, "thread token of ticket %s", ticketID)
	}
	b := make([]byte, 17)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	tok = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:26]
	_, err = db.w.ExecContext(ctx, `INSERT INTO email_threads (ticket_id, token, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (ticket_id) DO NOTHING`, ticketID, tok, ms(time.Now()))
	if err != nil {
		return "", wrap(err, "thread token of ticket %s", ticketID)
	}
	// A concurrent first send may have won; its token is the one.
	err = db.w.QueryRowContext(ctx, `SELECT token FROM email_threads WHERE ticket_id = $1`, ticketID).Scan(&tok)
	return tok, wrap(err, "thread token of ticket %s", ticketID)
}

// TicketByEmailToken returns the ticket a threading token belongs to.
func (db *DB) TicketByEmailToken(ctx context.Context, token string) (string, error) {
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT ticket_id FROM email_threads WHERE token = $1`, token).Scan(&id)
	return id, wrap(err, "email thread token")
}

// EmailParticipant reports whether address (lower case) took part in the
// ticket's mail: the ticket's contact holds it as an email identity, or a
// mail on the ticket was from, to or cc it.
func (db *DB) EmailParticipant(ctx context.Context, ticketID, address string) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets t JOIN identities i ON i.contact_id = t.contact_id
		WHERE t.id = $1 AND i.kind = 'email' AND i.value = $2`, ticketID, address).Scan(&n)
	if err != nil {
		return false, wrap(err, "participants of ticket %s", ticketID)
	}
	if n > 0 {
		return true, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT email FROM messages WHERE ticket_id = $1 AND email <> ''`, ticketID)
	if err != nil {
		return false, wrap(err, "participants of ticket %s", ticketID)
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return false, wrap(err, "participants of ticket %s", ticketID)
		}
		var e channels.Email
		if json.Unmarshal([]byte(raw), &e) != nil {
			continue
		}
		for _, p := range append(append([]channels.Party{e.From}, e.To...), e.Cc...) {
			if strings.EqualFold(p.Value, address) {
				return true, nil
			}
		}
	}
	return false, wrap(rows.Err(), "participants of ticket %s", ticketID)
}

// RecordEmailBounce marks an address as bouncing (the latest reason wins).
func (db *DB) RecordEmailBounce(ctx context.Context, b desk.EmailBounce) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO email_bounces (address, reason, bounced_at) VALUES ($1, $2, $3)
		ON CONFLICT (address) DO UPDATE SET reason = excluded.reason, bounced_at = excluded.bounced_at`,
		strings.ToLower(b.Address), b.Reason, ms(b.At))
	return wrap(err, "bounce of %s", b.Address)
}

// EmailBounce returns the bounce recorded for an address (not found when
// none).
func (db *DB) EmailBounce(ctx context.Context, address string) (desk.EmailBounce, error) {
	var b desk.EmailBounce
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT address, reason, bounced_at FROM email_bounces WHERE address = $1`,
		strings.ToLower(address)).Scan(&b.Address, &b.Reason, &at)
	b.At = fromMs(at)
	return b, wrap(err, "bounce of %s", address)
}

// maxBounceList bounds the bouncing addresses listed to admins.
const maxBounceList = 500

// EmailBounces lists the bouncing addresses, newest first (at most 500).
func (db *DB) EmailBounces(ctx context.Context) ([]desk.EmailBounce, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT address, reason, bounced_at FROM email_bounces ORDER BY bounced_at DESC, address LIMIT $1`, maxBounceList)
	if err != nil {
		return nil, wrap(err, "bouncing addresses")
	}
	defer rows.Close()
	out := []desk.EmailBounce{}
	for rows.Next() {
		var b desk.EmailBounce
		var at int64
		if err := rows.Scan(&b.Address, &b.Reason, &at); err != nil {
			return nil, wrap(err, "bouncing addresses")
		}
		b.At = fromMs(at)
		out = append(out, b)
	}
	return out, wrap(rows.Err(), "bouncing addresses")
}

// ClearEmailBounce forgets an address's bounce (nothing when none).
func (db *DB) ClearEmailBounce(ctx context.Context, address string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM email_bounces WHERE address = $1`, strings.ToLower(address))
	return wrap(err, "clear bounce of %s", address)
}

// TicketIDByNumber returns the id of the ticket with a public number.
func (db *DB) TicketIDByNumber(ctx context.Context, number int64) (string, error) {
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT id FROM tickets WHERE number = $1`, number).Scan(&id)
	return id, wrap(err, "ticket #%d", number)
}
