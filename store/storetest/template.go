package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"huiliu/store"
)

var sqliteTpl struct {
	once sync.Once
	path string
	err  error
}

// copySQLiteTemplate puts a migrated database file into dir.
func copySQLiteTemplate(t testing.TB, dir string) {
	t.Helper()
	sqliteTpl.once.Do(func() { sqliteTpl.path, sqliteTpl.err = buildSQLiteTemplate() })
	if sqliteTpl.err != nil {
		t.Fatalf("storetest: SQLite template: %v", sqliteTpl.err)
	}
	if err := copyFile(sqliteTpl.path, filepath.Join(dir, store.SQLiteFile)); err != nil {
		t.Fatalf("storetest: copy SQLite template: %v", err)
	}
}

// buildSQLiteTemplate migrates a database in a scratch directory and moves
// the directory into place in one rename, so packages racing to build the
// same template each see either none or a whole one.
func buildSQLiteTemplate() (string, error) {
	root := filepath.Join(os.TempDir(), "huiliu-storetest")
	dir := filepath.Join(root, "sqlite-"+store.SchemaDigest())
	path := filepath.Join(dir, store.SQLiteFile)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", err
	}
	scratch, err := os.MkdirTemp(root, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(scratch)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := store.Open(ctx, store.Config{DataDir: scratch})
	if err != nil {
		return "", err
	}
	// Closing the last connection checkpoints the WAL into the file, so the
	// file alone is the whole database.
	if err := db.Close(); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(scratch, store.SQLiteFile+"-wal")); err == nil {
		return "", errors.New("the write-ahead log outlived the close")
	}
	if err := os.Rename(scratch, dir); err != nil {
		if _, statErr := os.Stat(path); statErr == nil {
			return path, nil // another package built it first
		}
		return "", err
	}
	return path, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

var pgTpl struct {
	mu    sync.Mutex
	names map[string]string // admin URL → template database
}

// postgresTemplate returns the name of a migrated template database on
// admin's server, building it under an advisory lock when this schema has
// none yet. Templates of other schemas are left alone: another checkout may
// be testing with them right now.
func postgresTemplate(ctx context.Context, admin string) (string, error) {
	pgTpl.mu.Lock()
	defer pgTpl.mu.Unlock()
	if name, ok := pgTpl.names[admin]; ok {
		return name, nil
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	name := "huiliu_tpl_" + store.SchemaDigest()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect to DATABASE_URL: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtext('huiliu storetest template'))"); err != nil {
		return "", fmt.Errorf("template lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(hashtext('huiliu storetest template'))")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("look for template %s: %w", name, err)
	}
	if !exists {
		build := name + "_build"
		for _, sql := range []string{"DROP DATABASE IF EXISTS " + build + " WITH (FORCE)", "CREATE DATABASE " + build} {
			if _, err := conn.Exec(ctx, sql); err != nil {
				return "", fmt.Errorf("%s: %w", sql, err)
			}
		}
		db, err := store.Open(ctx, store.Config{URL: dbURL(u, build)})
		if err != nil {
			return "", fmt.Errorf("migrate template: %w", err)
		}
		if err := db.Close(); err != nil {
			return "", err
		}
		if err := execRetry(ctx, admin, "ALTER DATABASE "+build+" RENAME TO "+name); err != nil {
			return "", err
		}
	}
	if pgTpl.names == nil {
		pgTpl.names = map[string]string{}
	}
	pgTpl.names[admin] = name
	return name, nil
}

// execRetry runs sql, retrying while the server still counts a just-closed
// session as using the database involved (it ends asynchronously).
func execRetry(ctx context.Context, admin, sql string) error {
	for {
		err := exec(ctx, admin, sql)
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}
