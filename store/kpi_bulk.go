package store

import (
	"context"
	"strconv"
	"strings"

	"huiliu/desk"
)

// bulkRows is how many rows one multi-row INSERT of the bulk load carries
// (PostgreSQL allows 65,535 parameters per statement).
const bulkRows = 400

// BulkLoadHistory stores synthetic history for `huiliu bench reports`:
// contacts (ids; named after themselves), tickets with the numbers they
// carry, and the roll-up rows the KPI observer would have kept for them,
// in multi-row statements rather than the per-ticket work of InsertTicket.
// The ticket counter moves past the highest number.
func (db *DB) BulkLoadHistory(ctx context.Context, contacts []string, tickets []desk.Ticket, rollups desk.Contribution) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		q := tx.(*txn).q
		for i := 0; i < len(contacts); i += bulkRows {
			part := contacts[i:min(i+bulkRows, len(contacts))]
			var sb strings.Builder
			args := make([]any, 0, 2*len(part))
			sb.WriteString(`INSERT INTO contacts (id, name, created_at) VALUES `)
			for j, id := range part {
				if j > 0 {
					sb.WriteString(", ")
				}
				n := len(args)
				sb.WriteString("($" + strconv.Itoa(n+1) + ", $" + strconv.Itoa(n+1) + ", $" + strconv.Itoa(n+2) + ")")
				args = append(args, id, int64(0))
			}
			if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
				return wrap(err, "bulk contacts")
			}
		}
		const cols = 15
		var top int64
		for i := 0; i < len(tickets); i += bulkRows {
			part := tickets[i:min(i+bulkRows, len(tickets))]
			var sb strings.Builder
			args := make([]any, 0, cols*len(part))
			sb.WriteString(`INSERT INTO tickets (id, number, contact_id, channel, thread_key, status, priority,
				team_id, owner_id, assignee_id, category, last_message_at, created_at, updated_at, waiting_since) VALUES `)
			for j, t := range part {
				if j > 0 {
					sb.WriteString(", ")
				}
				ph := make([]string, cols)
				for k := range ph {
					ph[k] = "$" + strconv.Itoa(len(args)+k+1)
				}
				sb.WriteString("(" + strings.Join(ph, ", ") + ")")
				args = append(args, t.ID, t.Number, t.ContactID, t.Channel, t.ThreadKey, string(t.Status), string(t.Priority),
					t.TeamID, t.OwnerID, t.AssigneeID, t.Category, ms(t.LastMessageAt), ms(t.CreatedAt), ms(t.UpdatedAt), ms(t.WaitingSince))
				top = max(top, t.Number)
			}
			if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
				return wrap(err, "bulk tickets")
			}
		}
		if _, err := q.ExecContext(ctx, `UPDATE counters SET value = $1 WHERE name = 'ticket' AND value < $1`, top); err != nil {
			return wrap(err, "bulk ticket counter")
		}
		for k, c := range rollups {
			if err := tx.(*txn).AddKPICounts(ctx, k, c); err != nil {
				return err
			}
		}
		return nil
	})
}
