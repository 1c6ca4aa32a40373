package store_test

import (
	"testing"
	"time"

	"huiliu/desk"
)

// The ownership columns move inside the statements that already run for a
// message or a change, on both databases.
func TestOwnershipColumnsMoveWithTouchAndFields(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "own"))
	at := t0.Add(time.Hour)
	touch := func(tt desk.TicketTouch) desk.Ticket {
		t.Helper()
		var got desk.Ticket
		mustTx(t, db, func(tx desk.Tx) error {
			var err error
			got, err = tx.TouchTicket(ctx, tk.ID, tt)
			return err
		})
		return got
	}
	set := func(f desk.TicketFields) desk.Ticket {
		t.Helper()
		var got desk.Ticket
		mustTx(t, db, func(tx desk.Tx) error {
			var err error
			got, err = tx.SetTicketFields(ctx, tk.ID, f, at)
			return err
		})
		return got
	}
	if got := touch(desk.TicketTouch{At: at, ClaimFor: "owner"}); got.OwnerID != "owner" || got.Handoff {
		t.Fatalf("the first reply is no handoff: %+v", got)
	}
	if got := touch(desk.TicketTouch{At: at, ClaimFor: "owner"}); got.Handoff {
		t.Fatalf("the owner's own reply is no handoff: %+v", got)
	}
	got := touch(desk.TicketTouch{At: at, ClaimFor: "colleague"})
	if !got.Handoff || !got.ConfirmationRequired || got.OwnerID != "owner" {
		t.Fatalf("another agent's reply: %+v", got)
	}
	by, resolved := "owner", desk.StatusResolved
	got = set(desk.TicketFields{ConfirmedBy: &by, Status: &resolved})
	if got.ConfirmedBy != "owner" || got.ConfirmedAt == nil || !got.ConfirmedAt.Equal(at) || got.ConfirmationRequired {
		t.Fatalf("after confirmation: %+v", got)
	}
	// A message without Reopen keeps it; the customer reopening clears it.
	if got = touch(desk.TicketTouch{Preview: "note", At: at}); got.ConfirmedBy != "owner" {
		t.Fatalf("a message without reopen withdrew it: %+v", got)
	}
	got = touch(desk.TicketTouch{Preview: "还有问题", At: at, Reopen: true})
	if got.Status != desk.StatusOpen || got.ConfirmedBy != "" || got.ConfirmedAt != nil || !got.Handoff || !got.ConfirmationRequired {
		t.Fatalf("after reopen: %+v", got)
	}
	set(desk.TicketFields{ConfirmedBy: &by})
	none, no := "", false
	got = set(desk.TicketFields{ConfirmedBy: &none, Handoff: &no})
	if got.ConfirmedBy != "" || got.ConfirmedAt != nil || got.Handoff {
		t.Fatalf("withdrawn: %+v", got)
	}
	if reread, err := db.Ticket(ctx, tk.ID); err != nil || reread.Handoff || reread.ConfirmedBy != "" {
		t.Fatalf("re-read: %v %+v", err, reread)
	}
}
