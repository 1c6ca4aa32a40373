package store

import (
	"context"
	"fmt"
	"time"

	"huiliu/desk"
)

const identityCols = `id, contact_id, kind, value, verified_at, method, verifier, created_at`

func scanIdentity(s scanner) (desk.Identity, error) {
	var id desk.Identity
	var verified, created int64
	err := s.Scan(&id.ID, &id.ContactID, &id.Kind, &id.Value, &verified, &id.Method, &id.Verifier, &created)
	id.VerifiedAt, id.CreatedAt = fromMsPtr(verified), fromMs(created)
	return id, err
}

func (r reader) Contact(ctx context.Context, id string) (desk.Contact, error) {
	var c desk.Contact
	var created int64
	err := r.q.QueryRowContext(ctx, `SELECT id, name, created_at, merged_into FROM contacts WHERE id = $1`, id).
		Scan(&c.ID, &c.Name, &created, &c.MergedInto)
	if err != nil {
		return desk.Contact{}, wrap(err, "contact %s", id)
	}
	c.CreatedAt = fromMs(created)
	rows, err := r.q.QueryContext(ctx, `SELECT `+identityCols+` FROM identities WHERE contact_id = $1
		ORDER BY created_at, id`, id)
	if err != nil {
		return desk.Contact{}, wrap(err, "identities of contact %s", id)
	}
	defer rows.Close()
	c.Identities = []desk.Identity{}
	for rows.Next() {
		ident, err := scanIdentity(rows)
		if err != nil {
			return desk.Contact{}, wrap(err, "identities of contact %s", id)
		}
		c.Identities = append(c.Identities, ident)
	}
	if err := rows.Err(); err != nil {
		return desk.Contact{}, wrap(err, "identities of contact %s", id)
	}
	return c, nil
}

func (r reader) Identity(ctx context.Context, id string) (desk.Identity, error) {
	ident, err := scanIdentity(r.q.QueryRowContext(ctx, `SELECT `+identityCols+` FROM identities WHERE id = $1`, id))
	return ident, wrap(err, "identity %s", id)
}

func (r reader) IdentityByValue(ctx context.Context, kind, value string) (desk.Identity, error) {
	ident, err := scanIdentity(r.q.QueryRowContext(ctx, `SELECT `+identityCols+` FROM identities
		WHERE kind = $1 AND value = $2`, kind, value))
	return ident, wrap(err, "identity %s", kind)
}

func (t *txn) InsertContact(ctx context.Context, c desk.Contact) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO contacts (id, name, created_at) VALUES ($1, $2, $3)`,
		c.ID, c.Name, ms(c.CreatedAt))
	return wrap(err, "insert contact %s", c.ID)
}

func (t *txn) InsertIdentity(ctx context.Context, id desk.Identity) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO identities (`+identityCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id.ID, id.ContactID, id.Kind, id.Value, msPtr(id.VerifiedAt), id.Method, id.Verifier, ms(id.CreatedAt))
	return wrap(err, "insert identity %s (%s)", id.ID, id.Kind)
}

// VerifyIdentity records that an identity was proved, and how.
func (t *txn) VerifyIdentity(ctx context.Context, id string, at time.Time, method, verifier string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE identities SET verified_at = $2, method = $3, verifier = $4 WHERE id = $1`,
		id, ms(at), method, verifier)
	return affected(res, err, "verify identity %s", id)
}

// collidingTicket holds for a ticket of contact $1 that is open on a
// conversation (channel and thread) where contact $2 has an open ticket too.
const collidingTicket = `tickets.status <> 'closed' AND EXISTS (SELECT 1 FROM tickets o
	WHERE o.contact_id = $2 AND o.status <> 'closed' AND o.channel = tickets.channel AND o.thread_key = tickets.thread_key)`

// MergeContacts moves everything of contact from (identities, tickets, the
// messages it wrote, notes about it) to contact into and marks from as
// merged into it.
func (t *txn) MergeContacts(ctx context.Context, from, into string) error {
	if from == into {
		return fmt.Errorf("store: merge contact %s into itself", from)
	}
	for _, st := range []struct{ what, sql string }{
		// Both may have an open ticket on the same conversation (same
		// channel and thread): one person may hold one open ticket per
		// conversation, so the merged contact's is closed (its timeline
		// stays) and the conversation goes on in the kept one.
		{"colliding tickets", `UPDATE tickets SET status = 'closed' WHERE contact_id = $1 AND ` + collidingTicket},
		{"identities", `UPDATE identities SET contact_id = $2 WHERE contact_id = $1`},
		{"tickets", `UPDATE tickets SET contact_id = $2 WHERE contact_id = $1`},
		{"verifications", `UPDATE verifications SET contact_id = $2 WHERE contact_id = $1`},
		{"messages", `UPDATE messages SET author_id = $2 WHERE author_kind = 'contact' AND author_id = $1`},
		{"notes", `UPDATE contact_notes SET contact_id = $2 WHERE contact_id = $1`},
	} {
		if _, err := t.q.ExecContext(ctx, st.sql, from, into); err != nil {
			return wrap(err, "merge contact %s into %s: %s", from, into, st.what)
		}
	}
	res, err := t.q.ExecContext(ctx, `UPDATE contacts SET merged_into = $2 WHERE id = $1 AND merged_into = ''`, from, into)
	return affected(res, err, "merge contact %s into %s", from, into)
}
