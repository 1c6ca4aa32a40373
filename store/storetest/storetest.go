// Package storetest gives each test a fresh, migrated store: SQLite in a
// temporary directory, or, when DATABASE_URL is set, a PostgreSQL database
// of its own that is dropped when the test ends, so test packages running
// in parallel never share rows.
//
// Migrating from nothing costs about a second per store under the race
// detector, paid by hundreds of tests; so the schema is migrated once into a
// template keyed by store.SchemaDigest (a file under the temporary
// directory, or a huiliu_tpl_* database) and each test gets a copy. Opening
// the copy still runs the migrations, which then find nothing to do.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
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

// Config returns where a fresh, migrated store for the test lives, without
// opening it, for tests that start processes of their own: a new temporary
// DataDir (URL empty), or with DATABASE_URL a new PostgreSQL database's URL
// (DataDir empty). Either is removed when the test ends.
func Config(t testing.TB) store.Config {
	t.Helper()
	admin := os.Getenv("DATABASE_URL")
	if admin == "" {
		dir := t.TempDir()
		copySQLiteTemplate(t, dir)
		return store.Config{DataDir: dir}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return store.Config{URL: createDB(t, ctx, admin)}
}

// createDB makes a uniquely named database, a copy of the migrated
// template, through admin's server and returns its URL; t.Cleanup drops it.
func createDB(t testing.TB, ctx context.Context, admin string) string {
	t.Helper()
	u, err := url.Parse(admin)
	if err != nil || !strings.HasPrefix(u.Scheme, "postgres") {
		t.Fatalf("storetest: DATABASE_URL is not a postgres:// URL")
	}
	tpl, err := postgresTemplate(ctx, admin)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "huiliu_t_" + hex.EncodeToString(b[:])
	if err := execRetry(ctx, admin, "CREATE DATABASE "+name+" TEMPLATE "+tpl); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: %v", err)
		}
	})
	return dbURL(u, name)
}

func dbURL(admin *url.URL, name string) string {
	u := *admin
	u.Path = "/" + name
	return u.String()
}

func exec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect to DATABASE_URL: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}
