package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

func TestRetentionCommand(t *testing.T) {
	cfg := storetest.Config(t)
	env := []string{"HUILIU_DATA=" + cfg.DataDir, "DATABASE_URL=" + cfg.URL}
	if cfg.DataDir == "" {
		env[0] = "HUILIU_DATA=" + t.TempDir()
	}
	if _, stderr, code := huiliu(t, env, "", "retention", "purge"); code != 2 || !strings.Contains(stderr, "retention is off") {
		t.Fatalf("without days: exit %d %s", code, stderr)
	}
	out, stderr, code := huiliu(t, env, "", "retention", "purge", "--dry-run", "--days", "30")
	if code != 0 || !strings.Contains(out, "would purge (dry run, nothing changed)") || !strings.Contains(out, "tickets      0") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = huiliu(t, append(env, "HUILIU_RETENTION_DAYS=30"), "", "retention", "purge")
	if code != 0 || !strings.HasPrefix(out, "purged personal data") {
		t.Fatalf("purge: exit %d\n%s%s", code, out, stderr)
	}
}

// Two nodes checking often share the lease: the purge runs once per day.
func TestRetentionRunsOnceAcrossNodes(t *testing.T) {
	db := storetest.New(t)
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	svc := desk.NewService(desk.Options{Store: db})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); retentionLoop(ctx, svc, q.Leases(), 30, 10*time.Millisecond, log) }()
	}
	wg.Wait()
	entries, err := svc.AuditLog(context.Background(), desk.Actor{}, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "retention.purge" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d purges by two nodes within a day, want 1", n)
	}
}
