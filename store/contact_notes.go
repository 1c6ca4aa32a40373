package store

import (
	"context"
	"time"

	"huiliu/desk"
)

const contactNoteCols = `id, contact_id, author_id, text, created_at, updated_at`

func scanContactNote(s scanner) (desk.ContactNote, error) {
	var n desk.ContactNote
	var created, updated int64
	err := s.Scan(&n.ID, &n.ContactID, &n.AuthorID, &n.Text, &created, &updated)
	n.CreatedAt, n.UpdatedAt = fromMs(created), fromMs(updated)
	return n, err
}

func (r reader) ContactNotes(ctx context.Context, contactID string) ([]desk.ContactNote, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+contactNoteCols+` FROM contact_notes WHERE contact_id = $1
		ORDER BY created_at, id`, contactID)
	if err != nil {
		return nil, wrap(err, "notes of contact %s", contactID)
	}
	defer rows.Close()
	out := []desk.ContactNote{}
	for rows.Next() {
		n, err := scanContactNote(rows)
		if err != nil {
			return nil, wrap(err, "notes of contact %s", contactID)
		}
		out = append(out, n)
	}
	return out, wrap(rows.Err(), "notes of contact %s", contactID)
}

func (r reader) ContactNote(ctx context.Context, id string) (desk.ContactNote, error) {
	n, err := scanContactNote(r.q.QueryRowContext(ctx, `SELECT `+contactNoteCols+` FROM contact_notes WHERE id = $1`, id))
	return n, wrap(err, "contact note %s", id)
}

func (t *txn) InsertContactNote(ctx context.Context, n desk.ContactNote) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO contact_notes (`+contactNoteCols+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		n.ID, n.ContactID, n.AuthorID, n.Text, ms(n.CreatedAt), ms(n.UpdatedAt))
	return wrap(err, "insert contact note %s", n.ID)
}

func (t *txn) UpdateContactNote(ctx context.Context, id, text string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE contact_notes SET text = $2, updated_at = $3 WHERE id = $1`, id, text, ms(at))
	return affected(res, err, "update contact note %s", id)
}

func (t *txn) DeleteContactNote(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM contact_notes WHERE id = $1`, id)
	return affected(res, err, "delete contact note %s", id)
}
