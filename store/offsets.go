package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"huiliu/desk"
)

// Offset returns where a polling channel continues (0 when it never ran).
// The Telegram poller stores update_id+1 here only after the update's
// message is committed, so a crash replays an update instead of losing it.
func (db *DB) Offset(ctx context.Context, name string) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT value FROM channel_offsets WHERE name = $1`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, wrap(err, "offset %s", name)
}

// SetOffset records the next offset of a polling channel. It never moves an
// offset backwards, so a poller that lost its lease cannot undo the newer
// one's progress.
func (db *DB) SetOffset(ctx context.Context, name string, next int64) error {
	// Tx always hands its own *txn to fn.
	return db.Tx(ctx, func(tx desk.Tx) error { return tx.(*txn).setOffset(ctx, name, next) })
}

func (t *txn) setOffset(ctx context.Context, name string, next int64) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO channel_offsets (name, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
		WHERE channel_offsets.value < excluded.value`, name, next, ms(time.Now()))
	return wrap(err, "set offset %s", name)
}
