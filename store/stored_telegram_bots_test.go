package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

func TestStoredTelegramBots(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	b := store.StoredTelegramBot{Name: "sales", Token: "1:a", Mode: "polling", Username: "sales_bot", UpdatedAt: at}
	if err := db.PutStoredTelegramBot(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.Mode, b.WebhookSecret, b.Disabled = "webhook", "hook", true
	if err := db.PutStoredTelegramBot(ctx, b); err != nil {
		t.Fatal(err)
	}
	got, err := db.StoredTelegramBots(ctx)
	if err != nil || len(got) != 1 || got[0] != b {
		t.Fatalf("%+v, %v", got, err)
	}
	if err := db.DeleteStoredTelegramBot(ctx, "sales"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteStoredTelegramBot(ctx, "sales"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("deleting again: %v", err)
	}
	if at, err := db.OffsetUpdatedAt(ctx, "telegram:sales"); err != nil || !at.IsZero() {
		t.Fatalf("offset time of a bot that never polled = %v, %v", at, err)
	}
	if err := db.SetOffset(ctx, "telegram:sales", 7); err != nil {
		t.Fatal(err)
	}
	if at, err := db.OffsetUpdatedAt(ctx, "telegram:sales"); err != nil || at.IsZero() {
		t.Fatalf("offset time = %v, %v", at, err)
	}
}
