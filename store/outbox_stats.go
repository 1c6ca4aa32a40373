package store

import (
	"context"
	"time"
)

// OutboxBacklog is one channel's undelivered messages: rows leave the
// outbox when sent (or given up), so every row is backlog; Failing are
// those whose last attempt failed and that wait for a retry.
type OutboxBacklog struct {
	Channel string
	Pending int
	Failing int
	Oldest  time.Time
}

// OutboxBacklogs summarises the outbox per channel for the metrics. One
// aggregate over a table that is empty when delivery keeps up.
func (r reader) OutboxBacklogs(ctx context.Context) ([]OutboxBacklog, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT channel, COUNT(*), SUM(CASE WHEN last_error <> '' THEN 1 ELSE 0 END), MIN(created_at)
		FROM outbox GROUP BY channel ORDER BY channel`)
	if err != nil {
		return nil, wrap(err, "outbox backlog")
	}
	defer rows.Close()
	var out []OutboxBacklog
	for rows.Next() {
		var b OutboxBacklog
		var oldest int64
		if err := rows.Scan(&b.Channel, &b.Pending, &b.Failing, &oldest); err != nil {
			return nil, wrap(err, "outbox backlog")
		}
		b.Oldest = fromMs(oldest)
		out = append(out, b)
	}
	return out, wrap(rows.Err(), "outbox backlog")
}
