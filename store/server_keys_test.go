package store_test

import (
	"bytes"
	"context"
	"testing"

	"huiliu/store/storetest"
)

// The first key stored under a name wins; later callers (other nodes,
// restarts) read it back instead of their own fresh one.
func TestServerKeyIsMadeOnce(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	first := bytes.Repeat([]byte{1}, 32)
	got, err := db.ServerKey(ctx, "otp", first)
	if err != nil || !bytes.Equal(got, first) {
		t.Fatalf("first: %x %v", got, err)
	}
	got, err = db.ServerKey(ctx, "otp", bytes.Repeat([]byte{2}, 32))
	if err != nil || !bytes.Equal(got, first) {
		t.Fatalf("second: %x %v, want the first key", got, err)
	}
	if other, err := db.ServerKey(ctx, "other", bytes.Repeat([]byte{3}, 32)); err != nil || other[0] != 3 {
		t.Fatalf("another name: %x %v", other, err)
	}
}
