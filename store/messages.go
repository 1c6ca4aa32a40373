package store

import (
	"context"

	"huiliu/desk"
)

const messageCols = `id, ticket_id, direction, author_kind, author_id, channel, external_id, text, html,
	delivery, delivery_error, created_at, kind`

func scanMessage(s scanner) (desk.Message, error) {
	var m desk.Message
	var dir, author, delivery string
	var created int64
	err := s.Scan(&m.ID, &m.TicketID, &dir, &author, &m.AuthorID, &m.Channel, &m.ExternalID, &m.Text, &m.HTML,
		&delivery, &m.DeliveryError, &created, &m.Kind)
	m.Direction, m.AuthorKind, m.Delivery = desk.Direction(dir), desk.AuthorKind(author), desk.Delivery(delivery)
	m.CreatedAt = fromMs(created)
	return m, err
}

func (r reader) Message(ctx context.Context, id string) (desk.Message, error) {
	m, err := scanMessage(r.q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE id = $1`, id))
	return m, wrap(err, "message %s", id)
}

func (r reader) MessageByExternalID(ctx context.Context, channel, externalID string) (desk.Message, error) {
	if externalID == "" {
		return desk.Message{}, notFound("message on %s with empty external id", channel)
	}
	// The repeated "external_id <> ''" lets both databases use the partial
	// unique index; without it SQLite scans the table.
	m, err := scanMessage(r.q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE channel = $1 AND external_id = $2 AND external_id <> ''`, channel, externalID))
	return m, wrap(err, "message %s on %s", externalID, channel)
}

// Limits of one Messages call.
const (
	defaultMessages = 100
	maxMessages     = 1000
)

// Messages orders by id, which is creation order (ids are time-ordered and
// made by this process's monotonic generator).
func (r reader) Messages(ctx context.Context, ticketID, after string, limit int) ([]desk.Message, error) {
	if limit <= 0 {
		limit = defaultMessages
	}
	limit = min(limit, maxMessages)
	rows, err := r.q.QueryContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3`, ticketID, after, limit)
	if err != nil {
		return nil, wrap(err, "messages of ticket %s", ticketID)
	}
	defer rows.Close()
	out := []desk.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, wrap(err, "messages of ticket %s", ticketID)
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "messages of ticket %s", ticketID)
}

func (t *txn) InsertMessage(ctx context.Context, m desk.Message) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO messages (`+messageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		m.ID, m.TicketID, string(m.Direction), string(m.AuthorKind), m.AuthorID, m.Channel, m.ExternalID, m.Text, m.HTML,
		string(m.Delivery), m.DeliveryError, ms(m.CreatedAt), m.Kind)
	return wrap(err, "insert message %s", m.ID)
}

func (t *txn) SetDelivery(ctx context.Context, messageID string, d desk.Delivery, reason string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE messages SET delivery = $2, delivery_error = $3 WHERE id = $1`,
		messageID, string(d), reason)
	return affected(res, err, "set delivery of message %s", messageID)
}
