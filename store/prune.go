package store

import (
	"context"
	"time"
)

// Prune deletes what only mattered for a while: sessions past their
// expiry and idempotency keys older than keepKeys. It is safe to run on
// every node at once (deletes of the same rows), and it returns how many
// rows of each went.
func (db *DB) Prune(ctx context.Context, now time.Time, keepKeys time.Duration) (sessions, keys int64, err error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, ms(now))
	if err != nil {
		return 0, 0, wrap(err, "prune sessions")
	}
	sessions, _ = res.RowsAffected()
	res, err = db.w.ExecContext(ctx, `DELETE FROM idempotency WHERE created_at < $1`, ms(now.Add(-keepKeys)))
	if err != nil {
		return sessions, 0, wrap(err, "prune idempotency keys")
	}
	keys, _ = res.RowsAffected()
	return sessions, keys, nil
}
