package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
)

func TestTouchTicketChangesOnlyWhatAMessageMoves(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	tk := ticketFor(c, "touch")
	tk.TeamID, tk.Status, tk.Preview = "team-1", desk.StatusPending, "old"
	tk = newTicket(t, db, tk)
	at := t0.Add(time.Hour)

	var got desk.Ticket
	mustTx(t, db, func(tx desk.Tx) error {
		var err error
		got, err = tx.TouchTicket(ctx, tk.ID, desk.TicketTouch{Preview: "新消息", At: at, Reopen: true})
		return err
	})
	if got.Preview != "新消息" || !got.LastMessageAt.Equal(at) || !got.UpdatedAt.Equal(at) || got.Status != desk.StatusOpen || got.TeamID != "team-1" || got.OwnerID != "" {
		t.Fatalf("after a customer message: %+v", got)
	}
	// A note (no preview) moves only updated_at; a claim fills empty owner
	// and assignee once and never replaces them.
	later := at.Add(time.Minute)
	mustTx(t, db, func(tx desk.Tx) error {
		var err error
		got, err = tx.TouchTicket(ctx, tk.ID, desk.TicketTouch{At: later, ClaimFor: "agent-1"})
		return err
	})
	if got.Preview != "新消息" || !got.LastMessageAt.Equal(at) || !got.UpdatedAt.Equal(later) || got.OwnerID != "agent-1" || got.AssigneeID != "agent-1" {
		t.Fatalf("after a claim: %+v", got)
	}
	mustTx(t, db, func(tx desk.Tx) error {
		var err error
		got, err = tx.TouchTicket(ctx, tk.ID, desk.TicketTouch{Preview: "x", At: later, ClaimFor: "agent-2"})
		return err
	})
	if got.OwnerID != "agent-1" || got.AssigneeID != "agent-1" {
		t.Fatalf("a second claim replaced the owner: %+v", got)
	}
	// Without Reopen a pending ticket stays pending.
	tk2 := ticketFor(c, "touch-2")
	tk2.Status = desk.StatusPending
	tk2 = newTicket(t, db, tk2)
	mustTx(t, db, func(tx desk.Tx) error {
		var err error
		got, err = tx.TouchTicket(ctx, tk2.ID, desk.TicketTouch{Preview: "reply", At: later})
		return err
	})
	if got.Status != desk.StatusPending {
		t.Fatalf("status = %s, want pending", got.Status)
	}
	// A closed ticket is not touched.
	tk2.Status = desk.StatusClosed
	mustTx(t, db, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, tk2) })
	err := db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.TouchTicket(ctx, tk2.ID, desk.TicketTouch{Preview: "late", At: later})
		return err
	})
	wantErr(t, err, desk.ErrNotFound)
}

func TestConcurrentClaimsLeaveOneOwner(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "race"))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			agent := []string{"a", "b"}[i%2]
			err := db.Tx(context.Background(), func(tx desk.Tx) error {
				_, err := tx.TouchTicket(ctx, tk.ID, desk.TicketTouch{Preview: agent, At: t0, ClaimFor: agent})
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := db.Ticket(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.OwnerID == "" || got.OwnerID != got.AssigneeID {
		t.Fatalf("owner %q, assignee %q: one claim must win both", got.OwnerID, got.AssigneeID)
	}
}
