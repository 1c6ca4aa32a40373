package store_test

import (
	"testing"
	"time"

	"huiliu/desk"
)

func TestPruneDropsExpiredSessionsAndOldKeys(t *testing.T) {
	db, ctx := open(t)
	a := desk.Agent{ID: desk.NewID(), Email: "p@example.com", Name: "P", Role: desk.RoleAgent, Active: true, EmployeeNo: "HL000001", CreatedAt: t0}
	live := desk.Session{ID: desk.NewID(), Hash: []byte("live"), AgentID: a.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(2 * time.Hour)}
	dead := desk.Session{ID: desk.NewID(), Hash: []byte("dead"), AgentID: a.ID, CSRF: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertAgent(ctx, a); err != nil {
			return err
		}
		for _, s := range []desk.Session{live, dead} {
			if err := tx.InsertSession(ctx, s); err != nil {
				return err
			}
		}
		if err := tx.PutIdempotency(ctx, "post:x", "old", "m1", t0); err != nil {
			return err
		}
		return tx.PutIdempotency(ctx, "post:x", "new", "m2", t0.Add(59*time.Minute))
	})
	sessions, keys, err := db.Prune(ctx, t0.Add(time.Hour), 30*time.Minute)
	if err != nil || sessions != 1 || keys != 1 {
		t.Fatalf("pruned %d sessions and %d keys (%v), want 1 and 1", sessions, keys, err)
	}
	if _, err := db.SessionByHash(ctx, []byte("live")); err != nil {
		t.Fatalf("live session gone: %v", err)
	}
	wantErr(t, func() error { _, err := db.SessionByHash(ctx, []byte("dead")); return err }(), desk.ErrNotFound)
	if ref, err := db.Idempotency(ctx, "post:x", "new"); err != nil || ref != "m2" {
		t.Fatalf("recent key: %q %v", ref, err)
	}
	wantErr(t, func() error { _, err := db.Idempotency(ctx, "post:x", "old"); return err }(), desk.ErrNotFound)
}
