package store

import (
	"context"

	"huiliu/desk"
)

// InsertAttachment stores a file of a message; a.Size is taken from Data.
func (t *txn) InsertAttachment(ctx context.Context, a desk.Attachment) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO attachments (id, message_id, name, mime, size, data, created_at, content_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, a.MessageID, a.Name, a.MIME, int64(len(a.Data)), a.Data, ms(a.CreatedAt), a.ContentID)
	return wrap(err, "insert attachment %s", a.ID)
}

// Attachments lists the files of a ticket's messages without their bytes.
func (r reader) Attachments(ctx context.Context, ticketID string) ([]desk.Attachment, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT a.id, a.message_id, a.name, a.mime, a.size, a.created_at, a.content_id
		FROM attachments a JOIN messages m ON m.id = a.message_id
		WHERE m.ticket_id = $1 ORDER BY a.message_id, a.id`, ticketID)
	if err != nil {
		return nil, wrap(err, "attachments of ticket %s", ticketID)
	}
	defer rows.Close()
	out := []desk.Attachment{}
	for rows.Next() {
		var a desk.Attachment
		var created int64
		if err := rows.Scan(&a.ID, &a.MessageID, &a.Name, &a.MIME, &a.Size, &created, &a.ContentID); err != nil {
			return nil, wrap(err, "attachments of ticket %s", ticketID)
		}
		a.CreatedAt = fromMs(created)
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "attachments of ticket %s", ticketID)
}

// Attachment returns one file with its bytes.
func (r reader) Attachment(ctx context.Context, id string) (desk.Attachment, error) {
	var a desk.Attachment
	var created int64
	err := r.q.QueryRowContext(ctx, `SELECT id, message_id, name, mime, size, data, created_at, content_id FROM attachments WHERE id = $1`, id).
		Scan(&a.ID, &a.MessageID, &a.Name, &a.MIME, &a.Size, &a.Data, &created, &a.ContentID)
	a.CreatedAt = fromMs(created)
	return a, wrap(err, "attachment %s", id)
}
