package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"huiliu/channels"
	"huiliu/desk"
)

const messageCols = `id, ticket_id, direction, author_kind, author_id, channel, external_id, text, html,
	delivery, delivery_error, created_at, kind, seq, event, author_name, email`

func scanMessage(s scanner) (desk.Message, error) {
	var m desk.Message
	var dir, author, delivery string
	var created int64
	var event, email string
	err := s.Scan(&m.ID, &m.TicketID, &dir, &author, &m.AuthorID, &m.Channel, &m.ExternalID, &m.Text, &m.HTML,
		&delivery, &m.DeliveryError, &created, &m.Kind, &m.Seq, &event, &m.AuthorName, &email)
	m.Direction, m.AuthorKind, m.Delivery = desk.Direction(dir), desk.AuthorKind(author), desk.Delivery(delivery)
	m.CreatedAt = fromMs(created)
	if err == nil && event != "" {
		m.Event = new(desk.SystemEvent)
		if jerr := json.Unmarshal([]byte(event), m.Event); jerr != nil {
			// A system entry stays readable by its text.
			m.Event = nil
		}
	}
	if err == nil && email != "" {
		m.Email = new(channels.Email)
		if jerr := json.Unmarshal([]byte(email), m.Email); jerr != nil {
			m.Email = nil // the text still shows the mail
		}
	}
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

// messageLimit applies the default and the cap of one Messages call.
func messageLimit(limit int) int {
	if limit <= 0 {
		return defaultMessages
	}
	return min(limit, maxMessages)
}

// Messages orders by id, which is creation order (ids are time-ordered and
// made by this process's monotonic generator).
func (r reader) Messages(ctx context.Context, ticketID, after string, limit int) ([]desk.Message, error) {
	limit = messageLimit(limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3`, ticketID, after, limit)
	if err != nil {
		return nil, wrap(err, "messages of ticket %s", ticketID)
	}
	return collectMessages(rows, ticketID)
}

func collectMessages(rows *sql.Rows, ticketID string) ([]desk.Message, error) {
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

// MessagesAfterSeq lists a ticket's messages with seq > after in seq order.
func (r reader) MessagesAfterSeq(ctx context.Context, ticketID string, after int64, limit int) ([]desk.Message, error) {
	limit = messageLimit(limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE ticket_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, ticketID, after, limit)
	if err != nil {
		return nil, wrap(err, "messages of ticket %s after seq %d", ticketID, after)
	}
	return collectMessages(rows, ticketID)
}

// InsertMessage stores m. A message without Seq takes the ticket's next
// one here; callers that moved the ticket with TouchTicket pass the Seq it
// returned. Either way the ticket row is written first, which orders
// concurrent inserts on PostgreSQL by its row lock: seq order is commit
// order.
func (t *txn) InsertMessage(ctx context.Context, m desk.Message) error {
	if m.Seq == 0 {
		err := t.q.QueryRowContext(ctx, `UPDATE tickets SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq`,
			m.TicketID).Scan(&m.Seq)
		if err != nil {
			return wrap(err, "next seq of ticket %s", m.TicketID)
		}
	}
	var event string
	if m.Event != nil {
		b, err := json.Marshal(m.Event)
		if err != nil {
			return fmt.Errorf("store: encode event of message %s: %w", m.ID, err)
		}
		event = string(b)
	}
	var email string
	if m.Email != nil {
		b, err := json.Marshal(m.Email)
		if err != nil {
			return fmt.Errorf("store: encode email header of message %s: %w", m.ID, err)
		}
		email = string(b)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO messages (`+messageCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		m.ID, m.TicketID, string(m.Direction), string(m.AuthorKind), m.AuthorID, m.Channel, m.ExternalID, m.Text, m.HTML,
		string(m.Delivery), m.DeliveryError, ms(m.CreatedAt), m.Kind, m.Seq, event, m.AuthorName, email)
	if err != nil {
		return wrap(err, "insert message %s", m.ID)
	}
	return t.keepWaiting(ctx, m)
}

// keepWaiting moves the ticket's waiting_since with a public message: the
// customer's first unanswered one starts the wait (later ones do not
// restart it), any public answer ends it. Notes and system entries leave
// it.
func (t *txn) keepWaiting(ctx context.Context, m desk.Message) error {
	var err error
	switch m.Direction {
	case desk.DirIn:
		_, err = t.q.ExecContext(ctx, `UPDATE tickets SET waiting_since = $2 WHERE id = $1 AND waiting_since = 0`, m.TicketID, ms(m.CreatedAt))
	case desk.DirOut:
		_, err = t.q.ExecContext(ctx, `UPDATE tickets SET waiting_since = 0 WHERE id = $1 AND waiting_since <> 0`, m.TicketID)
	default:
		return nil
	}
	return wrap(err, "waiting time of ticket %s", m.TicketID)
}

func (t *txn) SetDelivery(ctx context.Context, messageID string, d desk.Delivery, reason string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE messages SET delivery = $2, delivery_error = $3 WHERE id = $1`,
		messageID, string(d), reason)
	return affected(res, err, "set delivery of message %s", messageID)
}
