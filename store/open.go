// Package store keeps the desk's record in SQL: SQLite (embedded, the
// default) or PostgreSQL, with one SQL text per query for both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialects that Dialect reports.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Config says where the record lives.
type Config struct {
	// URL selects PostgreSQL when it starts with postgres:// or
	// postgresql://; empty selects SQLite in DataDir.
	URL string
	// DataDir holds huiliu.db when URL is empty; created 0700 if missing.
	DataDir string
	Logger  *slog.Logger
}

// DB is the store. It implements desk.Store, desk.Reader (outside any
// transaction) and desk.OutboxStore.
type DB struct {
	reader
	dialect string
	// w runs transactions. On SQLite it holds a single connection, so
	// writers queue in Go instead of spinning on SQLITE_BUSY; on PostgreSQL
	// it is the one pool and r is the same *sql.DB.
	w   *sql.DB
	r   *sql.DB
	log *slog.Logger
	// Statement caches for SQLite's writer and readers; nil on PostgreSQL.
	wc, rc *stmtCache
	// batch groups SQLite transactions into shared commits (batch.go).
	batch *batcher
}

// SQLiteFile is the database file's name inside Config.DataDir.
const SQLiteFile = "huiliu.db"

// Open connects, migrates and returns the store.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var db *DB
	var err error
	switch {
	case strings.HasPrefix(cfg.URL, "postgres://"), strings.HasPrefix(cfg.URL, "postgresql://"):
		db, err = openPostgres(cfg.URL, log)
	case cfg.URL == "":
		db, err = openSQLite(cfg.DataDir, log)
	default:
		return nil, fmt.Errorf("store: unsupported database URL scheme (want postgres:// or empty for SQLite)")
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(url string, log *slog.Logger) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		// The URL may hold a password: say what failed, not the URL.
		return nil, fmt.Errorf("store: parse PostgreSQL URL: %w", errors.Unwrap(err))
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: DialectPostgres, w: pool, r: pool, log: log}
	db.reader = reader{q: pool, d: db}
	return db, nil
}

func openSQLite(dir string, log *slog.Logger) (*DB, error) {
	if dir == "" {
		return nil, fmt.Errorf("store: SQLite needs a data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	// WAL with synchronous=NORMAL: a commit is in the WAL (the OS's page
	// cache) when it returns, so it survives the process being killed; only a
	// power loss may take the last commits. busy_timeout covers other
	// processes (huiliu migrate, backups) holding the write lock.
	base := "file:" + filepath.ToSlash(path) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)" +
		"&_pragma=mmap_size(268435456)&_pragma=cache_size(-32768)"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db := &DB{dialect: DialectSQLite, w: w, r: r, log: log, wc: newStmtCache(w), rc: newStmtCache(r)}
	db.reader = reader{q: cachedDB{db: r, c: db.rc}, d: db}
	db.batch = newBatcher(db)
	return db, nil
}

// Dialect is DialectSQLite or DialectPostgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.dialect, err)
	}
	if db.r != db.w {
		if err := db.r.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping %s readers: %w", db.dialect, err)
		}
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.batch != nil {
		db.batch.shutdown()
	}
	if db.wc != nil {
		db.wc.close()
		db.rc.close()
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	if err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}
