package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

// The low-CSAT rule reads answered surveys at or under the score from
// csat_surveys (the satisfaction surveys' table: ticket_id, score,
// answered_at). Where that table's migration is not merged yet, the test
// makes the columns it reads.
func TestQALowCSAT(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := rawSQL(t, cfg)
	if _, err := raw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS csat_surveys (ticket_id TEXT NOT NULL, score INTEGER NOT NULL DEFAULT 0, answered_at BIGINT NOT NULL DEFAULT 0)`); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UnixMilli()
	rows := []struct {
		id    string
		score int
		at    int64
	}{{"t1", 1, now}, {"t2", 2, now}, {"t3", 3, now}, {"t4", 0, 0}, {"t5", 5, now}, {"t5", 1, now}}
	for _, r := range rows {
		if _, err := raw.ExecContext(ctx, `INSERT INTO csat_surveys (ticket_id, score, answered_at) VALUES ($1, $2, $3)`, r.id, r.score, r.at); err != nil {
			t.Fatal(err)
		}
	}
	ids := []string{"t1", "t2", "t3", "t4", "t5", "t6"}
	for i := range 600 { // more than one IN list
		ids = append(ids, "x"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	got, err := db.QALowCSAT(ctx, ids, desk.CSATLowScore)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got["t1"] || !got["t2"] || !got["t5"] {
		t.Fatalf("low CSAT: %v (an unanswered survey is not low)", got)
	}
}

// rawSQL opens the test's database directly, for tables of other parts.
func rawSQL(t *testing.T, cfg store.Config) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if cfg.URL != "" {
		db, err = sql.Open("pgx", cfg.URL)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(cfg.DataDir, store.SQLiteFile))+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
