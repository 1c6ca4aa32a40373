package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"huiliu/desk"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements desk.Reader over a pool (DB) or a transaction (txn).
type reader struct {
	q querier
	d *DB
}

// txn implements desk.Tx.
type txn struct {
	reader
}

var (
	_ desk.Store       = (*DB)(nil)
	_ desk.OutboxStore = (*DB)(nil)
	_ desk.Tx          = (*txn)(nil)
)

// maxAttempts bounds how often Tx runs fn when PostgreSQL reports a
// serialization failure or deadlock.
const maxAttempts = 5

// Tx runs fn in one transaction. On SQLite transactions take the write lock
// at BEGIN (BEGIN IMMEDIATE) and run one at a time, so fn never meets a
// conflict half-way; do not call Tx again from inside fn, it would wait on
// itself.
func (db *DB) Tx(ctx context.Context, fn func(tx desk.Tx) error) error {
	if db.batch != nil {
		return db.batch.run(ctx, fn)
	}
	for attempt := 1; ; attempt++ {
		err := db.tx1(ctx, fn)
		if db.wc != nil {
			// The connection is free again: prepare what the
			// transaction ran unprepared.
			db.wc.prepareWanted(ctx)
		}
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		db.log.Debug("store: retrying transaction", "attempt", attempt, "err", err)
		// Jitter so the transactions that collided do not collide again.
		d := time.Duration(attempt) * time.Duration(1+rand.IntN(5)) * time.Millisecond
		select {
		case <-ctx.Done():
			return fmt.Errorf("store: tx: %w", ctx.Err())
		case <-time.After(d):
		}
	}
}

func (db *DB) tx1(ctx context.Context, fn func(tx desk.Tx) error) (err error) {
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = sqlTx.Rollback() // fn panicked; the panic goes on
		}
	}()
	t := &txn{reader: reader{q: sqlTx, d: db}}
	if db.wc != nil {
		t.q = cachedTx{tx: sqlTx, c: db.wc}
	}
	if err := fn(t); err != nil {
		done = true
		_ = sqlTx.Rollback()
		return err // the caller's own error, unchanged
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
