package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store"
)

const durabilityEnv = "HUILIU_STORE_DURABILITY_DIR"

// TestDurability kills a writer with SIGKILL mid-stream and checks that
// every commit it reported is in the file: what we promise a sender when we
// acknowledge after commit.
func TestDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), durabilityEnv+"="+dir, "DATABASE_URL=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var committed []string
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(30 * time.Second)
	for len(committed) < 300 && time.Now().Before(deadline) && sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			committed = append(committed, id)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(committed) < 10 {
		t.Fatalf("child reported only %d commits", len(committed))
	}

	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range committed {
		if _, err := db.Contact(ctx, id); err != nil {
			t.Fatalf("committed contact %s lost: %v", id, err)
		}
	}
}

// TestDurabilityChild is the writer TestDurability runs and kills.
func TestDurabilityChild(t *testing.T) {
	dir := os.Getenv(durabilityEnv)
	if dir == "" {
		t.Skip("run by TestDurability")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for {
		c := desk.Contact{ID: desk.NewID(), Name: "durable", CreatedAt: time.Now()}
		if err := db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertContact(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		// os.Stdout is unbuffered: the line leaves only after the commit.
		fmt.Fprintln(os.Stdout, "committed "+c.ID)
	}
}
