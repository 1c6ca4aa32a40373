package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huiliu/desk"
)

func (t *txn) InsertOutbox(ctx context.Context, o desk.OutboxItem) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO outbox (id, message_id, ticket_id, channel, idempotency_key, attempts,
		next_attempt_at, locked_until, last_error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9)`,
		o.ID, o.MessageID, o.TicketID, o.Channel, o.IdempotencyKey, int64(o.Attempts), ms(o.NextAttemptAt),
		o.LastError, time.Now().UnixMilli())
	return wrap(err, "insert outbox %s", o.ID)
}

// ClaimOutbox takes the lease in one UPDATE. Only the oldest item of each
// ticket is eligible, so a conversation's replies go out in order: one
// waiting out a 429 holds back the ones after it, never another ticket's.
// The outer "locked_until <= now" The outer "locked_until <= now"
// repeats the subquery's test on purpose: under PostgreSQL's READ COMMITTED
// an UPDATE that waited on a row another claimer just leased re-checks the
// outer predicate against the new row version and skips it, so two nodes
// never lease one item. SQLite runs one writer at a time anyway.
func (db *DB) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]desk.OutboxItem, error) {
	if limit <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, fmt.Errorf("store: claim outbox: lease must be positive")
	}
	n := ms(now)
	rows, err := db.w.QueryContext(ctx, `UPDATE outbox SET locked_until = $1, attempts = attempts + 1
		WHERE id IN (SELECT o.id FROM outbox o WHERE o.next_attempt_at <= $2 AND o.locked_until <= $2
			AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.ticket_id = o.ticket_id AND p.id < o.id)
			ORDER BY o.next_attempt_at, o.id LIMIT $3)
		AND locked_until <= $2
		RETURNING id, message_id, ticket_id, channel, idempotency_key, attempts, next_attempt_at, last_error`,
		ms(now.Add(lease)), n, limit)
	if err != nil {
		return nil, wrap(err, "claim outbox")
	}
	defer rows.Close()
	out := []desk.OutboxItem{}
	for rows.Next() {
		var o desk.OutboxItem
		var attempts, next int64
		if err := rows.Scan(&o.ID, &o.MessageID, &o.TicketID, &o.Channel, &o.IdempotencyKey, &attempts, &next,
			&o.LastError); err != nil {
			return nil, wrap(err, "claim outbox")
		}
		o.Attempts, o.NextAttemptAt = int(attempts), fromMs(next)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "claim outbox")
	}
	// RETURNING has no order; hand out the most overdue first.
	slices.SortFunc(out, func(a, b desk.OutboxItem) int {
		if c := a.NextAttemptAt.Compare(b.NextAttemptAt); c != 0 {
			return c
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return out, nil
}

func (db *DB) FinishOutbox(ctx context.Context, itemID, messageID string, d desk.Delivery, reason string) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		res, err := t.q.ExecContext(ctx, `DELETE FROM outbox WHERE id = $1`, itemID)
		if err := affected(res, err, "finish outbox %s", itemID); err != nil {
			return err
		}
		return t.SetDelivery(ctx, messageID, d, reason)
	})
}

// RetryOutbox also ends the lease, so the item is due again at next.
func (db *DB) RetryOutbox(ctx context.Context, itemID string, next time.Time, reason string) error {
	res, err := db.w.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = $2, last_error = $3, locked_until = 0
		WHERE id = $1`, itemID, ms(next), reason)
	return affected(res, err, "retry outbox %s", itemID)
}
