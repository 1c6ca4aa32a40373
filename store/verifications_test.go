package store_test

import (
	"context"
	"testing"
	"time"

	"huiliu/desk"
)

func TestVerificationPutReplacesAndReads(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "v1"))
	_, err := db.Verification(ctx, tk.ID)
	wantErr(t, err, desk.ErrNotFound)

	v := desk.Verification{TicketID: tk.ID, ContactID: tk.ContactID, IdentityID: "id1", Method: desk.MethodOTPSMS,
		Level: desk.LevelOTP, VerifiedAt: t0, ExpiresAt: t0.Add(30 * time.Minute)}
	mustTx(t, db, func(tx desk.Tx) error { return tx.PutVerification(context.Background(), v) })
	v.Method, v.IdentityID, v.ExpiresAt = desk.MethodOTPEmail, "id2", t0.Add(time.Hour)
	mustTx(t, db, func(tx desk.Tx) error { return tx.PutVerification(context.Background(), v) })

	got, err := db.Verification(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != v.Method || got.IdentityID != v.IdentityID || got.Level != v.Level ||
		!got.VerifiedAt.Equal(v.VerifiedAt) || !got.ExpiresAt.Equal(v.ExpiresAt) || got.ContactID != v.ContactID {
		t.Fatalf("got %+v, want %+v", got, v)
	}
}
