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

// t0 is a fixed, millisecond-precise time: the store keeps milliseconds.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func open(t testing.TB) (*store.DB, context.Context) {
	t.Helper()
	return storetest.New(t), context.Background()
}

func mustTx(t testing.TB, db *store.DB, fn func(tx desk.Tx) error) {
	t.Helper()
	if err := db.Tx(context.Background(), fn); err != nil {
		t.Fatalf("tx: %v", err)
	}
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v, want %v", err, target)
	}
}

func newContact(t testing.TB, db *store.DB) desk.Contact {
	t.Helper()
	c := desk.Contact{ID: desk.NewID(), Name: "王小明", CreatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error { return tx.InsertContact(context.Background(), c) })
	return c
}

func ticketFor(c desk.Contact, thread string) desk.Ticket {
	return desk.Ticket{
		ID: desk.NewID(), ContactID: c.ID, Channel: "webchat", ThreadKey: thread,
		Status: desk.StatusOpen, Priority: desk.PriorityNormal, Subject: "subject",
		LastMessageAt: t0, CreatedAt: t0, UpdatedAt: t0, Tags: []string{},
	}
}

func newTicket(t testing.TB, db *store.DB, tk desk.Ticket) desk.Ticket {
	t.Helper()
	mustTx(t, db, func(tx desk.Tx) error { return tx.InsertTicket(context.Background(), &tk) })
	return tk
}

func newMessage(t testing.TB, db *store.DB, tk desk.Ticket, text string) desk.Message {
	t.Helper()
	m := desk.Message{
		ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirIn, AuthorKind: desk.AuthorContact,
		AuthorID: tk.ContactID, Channel: tk.Channel, Text: text, CreatedAt: t0,
	}
	mustTx(t, db, func(tx desk.Tx) error { return tx.InsertMessage(context.Background(), m) })
	return m
}
