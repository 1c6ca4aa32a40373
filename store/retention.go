package store

import (
	"context"
	"time"

	"huiliu/desk"
)

func (r reader) PurgeCandidates(ctx context.Context, before time.Time, after string, limit int) ([]desk.PurgeCandidate, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, contact_id FROM tickets
		WHERE status = 'closed' AND purged_at = 0 AND updated_at < $1 AND id > $2
		ORDER BY id LIMIT $3`, ms(before), after, limit)
	if err != nil {
		return nil, wrap(err, "purge candidates")
	}
	defer rows.Close()
	var out []desk.PurgeCandidate
	for rows.Next() {
		var c desk.PurgeCandidate
		if err := rows.Scan(&c.TicketID, &c.ContactID); err != nil {
			return nil, wrap(err, "purge candidates")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "purge candidates")
}

func (t *txn) PurgeTicket(ctx context.Context, ticketID, marker string, at time.Time) (desk.PurgeCount, error) {
	var n desk.PurgeCount
	res, err := t.q.ExecContext(ctx, `DELETE FROM attachments
		WHERE message_id IN (SELECT id FROM messages WHERE ticket_id = $1)`, ticketID)
	if err != nil {
		return n, wrap(err, "purge attachments of ticket %s", ticketID)
	}
	files, _ := res.RowsAffected()
	// System entries of status changes and SLA steps stay: the SLA clocks
	// are replayed from them. Others (identity links, verifications,
	// transfers) may name the customer's data and go too.
	res, err = t.q.ExecContext(ctx, `UPDATE messages SET text = $2, html = '', delivery_error = '',
		event = CASE WHEN direction = 'system' THEN '' ELSE event END
		WHERE ticket_id = $1 AND text <> $2 AND NOT (direction = 'system'
			AND (event LIKE '{"action":"status"%' OR event LIKE '{"action":"sla%'))`, ticketID, marker)
	if err != nil {
		return n, wrap(err, "purge messages of ticket %s", ticketID)
	}
	msgs, _ := res.RowsAffected()
	res, err = t.q.ExecContext(ctx, `UPDATE tickets SET subject = $2, preview = $2, purged_at = $3 WHERE id = $1`,
		ticketID, marker, ms(at))
	if err := affected(res, err, "purge ticket %s", ticketID); err != nil {
		return n, err
	}
	return desk.PurgeCount{Messages: int(msgs), Attachments: int(files)}, nil
}

func (t *txn) PurgeContact(ctx context.Context, contactID, marker string) ([]desk.Identity, bool, error) {
	var left int
	if err := t.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE contact_id = $1 AND purged_at = 0`,
		contactID).Scan(&left); err != nil {
		return nil, false, wrap(err, "tickets of contact %s", contactID)
	}
	if left > 0 {
		return nil, false, nil
	}
	c, err := t.Contact(ctx, contactID)
	if err != nil {
		return nil, false, err
	}
	if _, err := t.q.ExecContext(ctx, `DELETE FROM identities WHERE contact_id = $1`, contactID); err != nil {
		return nil, false, wrap(err, "purge identities of contact %s", contactID)
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE contacts SET name = $2 WHERE id = $1`, contactID, marker); err != nil {
		return nil, false, wrap(err, "purge contact %s", contactID)
	}
	return c.Identities, true, nil
}
