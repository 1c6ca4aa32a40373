package store_test

import (
	"testing"
	"time"

	"huiliu/desk"
)

func TestVerifyAndMergeContacts(t *testing.T) {
	db, ctx := open(t)
	keep, gone := newContact(t, db), newContact(t, db)
	idKeep := desk.Identity{ID: desk.NewID(), ContactID: keep.ID, Kind: desk.IdentityPhone, Value: "+8613800138000", CreatedAt: t0}
	idGone := desk.Identity{ID: desk.NewID(), ContactID: gone.ID, Kind: desk.IdentityTelegram, Value: "4242", CreatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertIdentity(ctx, idKeep); err != nil {
			return err
		}
		return tx.InsertIdentity(ctx, idGone)
	})
	at := t0.Add(time.Hour)
	mustTx(t, db, func(tx desk.Tx) error { return tx.VerifyIdentity(ctx, idKeep.ID, at, "sms_code", "agent-1") })
	got, err := db.Identity(ctx, idKeep.ID)
	if err != nil || got.VerifiedAt == nil || !got.VerifiedAt.Equal(at) || got.Method != "sms_code" || got.Verifier != "agent-1" {
		t.Fatalf("verified identity = %+v, %v", got, err)
	}
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.VerifyIdentity(ctx, "nope", at, "x", "y") }), desk.ErrNotFound)

	tk := newTicket(t, db, ticketFor(gone, "tg"))
	m := newMessage(t, db, tk, "hello")
	mustTx(t, db, func(tx desk.Tx) error { return tx.MergeContacts(ctx, gone.ID, keep.ID) })

	merged, err := db.Contact(ctx, keep.ID)
	if err != nil || len(merged.Identities) != 2 {
		t.Fatalf("kept contact = %+v, %v", merged, err)
	}
	old, _ := db.Contact(ctx, gone.ID)
	if old.MergedInto != keep.ID || len(old.Identities) != 0 {
		t.Fatalf("merged contact = %+v", old)
	}
	if tk2, _ := db.Ticket(ctx, tk.ID); tk2.ContactID != keep.ID {
		t.Fatalf("ticket still on %s", tk2.ContactID)
	}
	if m2, _ := db.Message(ctx, m.ID); m2.AuthorID != keep.ID {
		t.Fatalf("message author still %s", m2.AuthorID)
	}
	// Merging twice, or into itself, is refused.
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.MergeContacts(ctx, gone.ID, keep.ID) }), desk.ErrNotFound)
	if err := db.Tx(ctx, func(tx desk.Tx) error { return tx.MergeContacts(ctx, keep.ID, keep.ID) }); err == nil {
		t.Fatal("merged a contact into itself")
	}
}

func TestOffsetsOnlyMoveForward(t *testing.T) {
	db, ctx := open(t)
	if v, err := db.Offset(ctx, "telegram:main"); err != nil || v != 0 {
		t.Fatalf("fresh offset = %d, %v", v, err)
	}
	for _, step := range []struct{ set, want int64 }{{10, 10}, {12, 12}, {11, 12}, {13, 13}} {
		if err := db.SetOffset(ctx, "telegram:main", step.set); err != nil {
			t.Fatal(err)
		}
		if v, _ := db.Offset(ctx, "telegram:main"); v != step.want {
			t.Fatalf("after set %d: offset %d, want %d", step.set, v, step.want)
		}
	}
	if v, _ := db.Offset(ctx, "telegram:other"); v != 0 {
		t.Fatalf("offsets leak between names: %d", v)
	}
}

func TestMergeClosesACollidingOpenTicket(t *testing.T) {
	db, ctx := open(t)
	keep, gone := newContact(t, db), newContact(t, db)
	kept := newTicket(t, db, ticketFor(keep, "same-thread"))
	closing := newTicket(t, db, ticketFor(gone, "same-thread"))
	other := newTicket(t, db, ticketFor(gone, "other-thread"))
	mustTx(t, db, func(tx desk.Tx) error { return tx.MergeContacts(ctx, gone.ID, keep.ID) })
	for _, c := range []struct {
		id     string
		status desk.Status
	}{{kept.ID, desk.StatusOpen}, {closing.ID, desk.StatusClosed}, {other.ID, desk.StatusOpen}} {
		tk, err := db.Ticket(ctx, c.id)
		if err != nil || tk.ContactID != keep.ID || tk.Status != c.status {
			t.Fatalf("ticket %s after merge: contact %s status %s (%v), want %s on %s", c.id, tk.ContactID, tk.Status, err, c.status, keep.ID)
		}
	}
}
