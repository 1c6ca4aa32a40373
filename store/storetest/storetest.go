// Package storetest gives each test a fresh, migrated store: SQLite in a
// temporary directory, or, when DATABASE_URL is set, a PostgreSQL database
// of its own that is dropped when the test ends, so test packages running
// in parallel never share rows.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"huiliu/store"
)

// New returns a store that lives as long as the test.
func New(t testing.TB) *store.DB {
	t.Helper()
	cfg := Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Config returns where a fresh store for the test lives, without opening
// it, for tests that start processes of their own: a new temporary DataDir
// (URL empty), or with DATABASE_URL a new PostgreSQL database's URL (DataDir
// empty). Either is removed when the test ends.
func Config(t testing.TB) store.Config {
	t.Helper()
	admin := os.Getenv("DATABASE_URL")
	if admin == "" {
		return store.Config{DataDir: t.TempDir()}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return store.Config{URL: createDB(t, ctx, admin)}
}

// createDB makes a uniquely named database through admin's server and
// returns its URL; t.Cleanup drops it.
func createDB(t testing.TB, ctx context.Context, admin string) string {
	t.Helper()
	u, err := url.Parse(admin)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		t.Fatalf("storetest: DATABASE_URL is not a postgres:// URL")
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "huiliu_t_" + hex.EncodeToString(b[:])
	exec(t, ctx, admin, "CREATE DATABASE "+name)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		exec(t, ctx, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}

func exec(t testing.TB, ctx context.Context, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("storetest: connect to DATABASE_URL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("storetest: %s: %v", sql, err)
	}
}
