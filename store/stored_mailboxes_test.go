package store_test

import (
	"context"
	"testing"
	"time"

	"huiliu/store"
	"huiliu/store/storetest"
)

func TestStoredMailboxes(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	m := store.StoredMailbox{Name: "sales", Config: `{"name":"sales"}`, IMAPPassword: "i", SMTPPassword: "s", UpdatedAt: at}
	if err := db.PutStoredMailbox(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Disabled, m.SMTPPassword = true, "s2"
	if err := db.PutStoredMailbox(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, err := db.StoredMailboxes(ctx)
	if err != nil || len(got) != 1 || got[0].Name != "sales" || !got[0].Disabled || got[0].SMTPPassword != "s2" || got[0].IMAPPassword != "i" || !got[0].UpdatedAt.Equal(at) {
		t.Fatalf("%+v, %v", got, err)
	}
}
