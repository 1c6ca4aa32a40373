package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"huiliu/desk"
)

// SQLite commits are the ingest path's cost: each one writes the pages it
// dirtied to the WAL with a syscall apiece, and writers take turns anyway.
// So on SQLite, transactions that arrive while another is running are
// grouped into one database transaction (group commit), each inside its own
// SAVEPOINT: a caller whose fn fails is rolled back alone, the others
// commit together, and every caller is answered only after the COMMIT, so
// an acknowledged write is durable exactly as before.

// maxBatch bounds how many callers share one commit, so a failed commit
// (rare: disk full, I/O error) fails a bounded number of them.
const maxBatch = 64

type txRequest struct {
	ctx  context.Context
	fn   func(tx desk.Tx) error
	done chan error
}

type batcher struct {
	db    *DB
	reqs  chan txRequest
	stop  chan struct{}
	wg    sync.WaitGroup
	close sync.Once
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, reqs: make(chan txRequest), stop: make(chan struct{})}
	b.wg.Add(1)
	go b.loop()
	return b
}

var errClosed = errors.New("store: closed")

// run hands fn to the committer and waits for the group's commit.
func (b *batcher) run(ctx context.Context, fn func(tx desk.Tx) error) error {
	req := txRequest{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.reqs <- req:
	case <-b.stop:
		return errClosed
	case <-ctx.Done():
		return fmt.Errorf("store: tx: %w", ctx.Err())
	}
	// Once taken, the request is always answered: waiting here even past
	// ctx keeps the caller from reporting failure for a write that commits.
	err := <-req.done
	var p fnPanic
	if errors.As(err, &p) {
		panic(p.value) // rolled back; the panic goes on in the caller
	}
	return err
}

// fnPanic carries a caller's panic from the committer back to the caller.
type fnPanic struct{ value any }

func (p fnPanic) Error() string {
	return fmt.Sprintf("store: transaction function panicked: %v", p.value)
}

func (b *batcher) shutdown() {
	b.close.Do(func() { close(b.stop) })
	b.wg.Wait()
}

func (b *batcher) loop() {
	defer b.wg.Done()
	for {
		var group []txRequest
		select {
		case <-b.stop:
			return
		case r := <-b.reqs:
			group = append(group, r)
		}
	gather:
		for len(group) < maxBatch {
			select {
			case r := <-b.reqs:
				group = append(group, r)
			default:
				break gather
			}
		}
		b.commit(group)
		b.db.wc.prepareWanted(context.Background())
	}
}

// commit runs the group in one transaction and answers every caller.
func (b *batcher) commit(group []txRequest) {
	results := make([]error, len(group))
	answer := func() {
		for i, r := range group {
			r.done <- results[i]
		}
	}
	defer answer()
	sqlTx, err := b.db.w.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range results {
			results[i] = fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	q := cachedTx{tx: sqlTx, c: b.db.wc}
	t := &txn{reader: reader{q: q, d: b.db}}
	committed := 0
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			results[i] = fmt.Errorf("store: tx: %w", err)
			continue
		}
		if _, err := sqlTx.Exec("SAVEPOINT grp"); err != nil {
			results[i] = fmt.Errorf("store: savepoint: %w", err)
			continue
		}
		results[i] = runFn(r.fn, t)
		if results[i] != nil {
			if _, err := sqlTx.Exec("ROLLBACK TO grp"); err != nil {
				// The transaction itself is gone (SQLite aborted it); nothing
				// of this group can commit.
				_ = sqlTx.Rollback()
				failRest(results, fmt.Errorf("store: rollback to savepoint: %w", err))
				return
			}
		}
		if _, err := sqlTx.Exec("RELEASE grp"); err != nil {
			_ = sqlTx.Rollback()
			failRest(results, fmt.Errorf("store: release savepoint: %w", err))
			return
		}
		if results[i] == nil {
			committed++
		}
	}
	if committed == 0 {
		_ = sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		failRest(results, fmt.Errorf("store: commit: %w", err))
	}
}

// failRest marks every caller not already failed with err.
func failRest(results []error, err error) {
	for i := range results {
		if results[i] == nil {
			results[i] = err
		}
	}
}

// runFn runs one caller's fn; a panic is rolled back and handed to that
// caller instead of taking the committer, and every other caller, down.
func runFn(fn func(tx desk.Tx) error, t *txn) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fnPanic{value: r}
		}
	}()
	return fn(t)
}
