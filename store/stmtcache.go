package store

import (
	"context"
	"database/sql"
	"sync"
)

// SQLite spends more time parsing a statement than running a short one, and
// modernc.org/sqlite keeps no statement cache of its own, so the store
// prepares each query text once per *sql.DB and reuses it (database/sql then
// keeps one prepared statement per connection). pgx caches prepared
// statements itself, so PostgreSQL goes without.
type stmtCache struct {
	db     *sql.DB
	mu     sync.RWMutex
	m      map[string]*sql.Stmt
	wanted map[string]bool // seen inside a transaction, prepared after it
}

// maxCachedStmts bounds the cache: the inbox query's text varies with the
// shape of the filter, and rare shapes need not stay prepared.
const maxCachedStmts = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// lookup never prepares: inside a transaction on SQLite's single writer
// connection, preparing on the pool would wait for the connection the
// transaction holds. It notes the query instead, for prepareWanted.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m)+len(c.wanted) >= maxCachedStmts
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	c.mu.Lock()
	c.wanted[query] = true
	c.mu.Unlock()
	return nil
}

// prepareWanted prepares what lookup noted; Tx calls it once the
// transaction has given its connection back. It holds no lock while
// preparing: the writer's one connection may be busy with the next
// transaction, whose lookups must not wait for this.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	var qs []string
	for q := range c.wanted {
		qs = append(qs, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	for _, q := range qs {
		c.get(ctx, q)
	}
}

// get returns the prepared statement for query, preparing it on the pool if
// needed, or nil when the cache is full or preparing failed (the caller then
// runs the text directly and gets the real error from there).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		st.Close() // another goroutine was first
		return old
	}
	c.m[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// cachedDB is a querier over a pool that uses the cache.
type cachedDB struct {
	db *sql.DB
	c  *stmtCache
}

func (q cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.c.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.db.ExecContext(ctx, query, args...)
}

func (q cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.c.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.db.QueryContext(ctx, query, args...)
}

func (q cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.c.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.db.QueryRowContext(ctx, query, args...)
}

// cachedTx is a querier over a transaction whose statements come from the
// cache of the pool it began on. The per-transaction statements that
// tx.StmtContext makes are closed by the transaction's end.
type cachedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

func (q cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.c.lookup(query); st != nil {
		return q.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.c.lookup(query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, query, args...)
}

func (q cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.c.lookup(query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, query, args...)
}
