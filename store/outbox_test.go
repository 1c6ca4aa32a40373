package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
)

func TestOutbox(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	var items []desk.OutboxItem
	for i := range 3 {
		// One ticket each: items of one ticket go out strictly in turn
		// (TestOutboxKeepsTicketOrder); these test leases and retries.
		tk := newTicket(t, db, ticketFor(c, fmt.Sprint("o", i)))
		m := newMessage(t, db, tk, "reply")
		o := desk.OutboxItem{ID: desk.NewID(), MessageID: m.ID, TicketID: tk.ID, Channel: "telegram",
			IdempotencyKey: "k-" + m.ID, NextAttemptAt: t0.Add(time.Duration(i) * time.Minute)}
		mustTx(t, db, func(tx desk.Tx) error { return tx.InsertOutbox(ctx, o) })
		items = append(items, o)
	}
	// Not due yet.
	got, err := db.ClaimOutbox(ctx, t0.Add(-time.Second), time.Minute, 10)
	if err != nil || len(got) != 0 {
		t.Fatalf("claimed early: %v %v", err, got)
	}
	now := t0.Add(90 * time.Second)
	got, err = db.ClaimOutbox(ctx, now, time.Minute, 10)
	if err != nil || len(got) != 2 || got[0].ID != items[0].ID || got[1].ID != items[1].ID || got[0].Attempts != 1 {
		t.Fatalf("claim: %v %+v", err, got)
	}
	if got[0].IdempotencyKey != items[0].IdempotencyKey || got[0].MessageID != items[0].MessageID || !got[0].NextAttemptAt.Equal(items[0].NextAttemptAt) {
		t.Fatalf("claimed item: %+v", got[0])
	}
	// Leased: invisible until the lease ends, then claimable again.
	if again, _ := db.ClaimOutbox(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 1 || again[0].ID != items[2].ID {
		t.Fatalf("during lease: %+v", again)
	}
	again, err := db.ClaimOutbox(ctx, now.Add(61*time.Second), time.Minute, 1)
	if err != nil || len(again) != 1 || again[0].ID != items[0].ID || again[0].Attempts != 2 {
		t.Fatalf("after lease: %v %+v", err, again)
	}
	// Retry: due at next, error recorded, lease ended.
	next := now.Add(10 * time.Minute)
	if err := db.RetryOutbox(ctx, items[1].ID, next, "429 retry_after=30"); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ClaimOutbox(ctx, next.Add(-time.Second), time.Minute, 10)
	for _, o := range got {
		if o.ID == items[1].ID {
			t.Fatalf("retried item claimed early: %+v", o)
		}
	}
	got, _ = db.ClaimOutbox(ctx, next, time.Minute, 10)
	if len(got) != 1 || got[0].ID != items[1].ID || got[0].LastError != "429 retry_after=30" || got[0].Attempts != 2 {
		t.Fatalf("after retry: %+v", got)
	}
	// Finish: gone, and the message's delivery recorded.
	if err := db.FinishOutbox(ctx, items[1].ID, items[1].MessageID, desk.DeliverySent, ""); err != nil {
		t.Fatal(err)
	}
	m, _ := db.Message(ctx, items[1].MessageID)
	if m.Delivery != desk.DeliverySent {
		t.Fatalf("delivery %q", m.Delivery)
	}
	wantErr(t, db.FinishOutbox(ctx, items[1].ID, items[1].MessageID, desk.DeliverySent, ""), desk.ErrNotFound)
	// Finishing with a bad message id rolls the delete back.
	wantErr(t, db.FinishOutbox(ctx, items[0].ID, "no-such-message", desk.DeliveryFailed, "x"), desk.ErrNotFound)
	if got, _ := db.ClaimOutbox(ctx, next.Add(time.Hour), time.Minute, 10); len(got) != 2 {
		t.Fatalf("after failed finish: %+v", got)
	}
	// The idempotency key is unique.
	dup := items[0]
	dup.ID = desk.NewID()
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertOutbox(ctx, dup) }), desk.ErrConflict)
}

func TestOutboxConcurrentClaimers(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	const n = 200
	mustTx(t, db, func(tx desk.Tx) error {
		for i := range n {
			tk := ticketFor(c, fmt.Sprint("oc", i))
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirOut, AuthorKind: desk.AuthorAgent,
				Channel: "telegram", Text: "x", Delivery: desk.DeliveryPending, CreatedAt: t0}
			if err := tx.InsertMessage(ctx, m); err != nil {
				return err
			}
			if err := tx.InsertOutbox(ctx, desk.OutboxItem{ID: desk.NewID(), MessageID: m.ID, TicketID: tk.ID,
				Channel: "telegram", NextAttemptAt: t0.Add(time.Duration(i%5) * time.Millisecond)}); err != nil {
				return err
			}
		}
		return nil
	})
	const workers = 6
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			empty := 0
			for empty < 3 {
				got, err := db.ClaimOutbox(ctx, t0.Add(time.Second), time.Hour, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					empty++
					continue
				}
				mu.Lock()
				for _, o := range got {
					claimed[o.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimed) != n {
		t.Fatalf("claimed %d distinct items, want %d", len(claimed), n)
	}
	for id, k := range claimed {
		if k != 1 {
			t.Fatalf("item %s claimed %d times", id, k)
		}
	}
}

func TestOutboxKeepsTicketOrder(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	a := newTicket(t, db, ticketFor(c, "a"))
	b := newTicket(t, db, ticketFor(c, "b"))
	add := func(tk desk.Ticket) desk.OutboxItem {
		m := newMessage(t, db, tk, "reply")
		o := desk.OutboxItem{ID: desk.NewID(), MessageID: m.ID, TicketID: tk.ID, Channel: "telegram", NextAttemptAt: t0}
		mustTx(t, db, func(tx desk.Tx) error { return tx.InsertOutbox(ctx, o) })
		return o
	}
	a1, a2, b1 := add(a), add(a), add(b)
	got, err := db.ClaimOutbox(ctx, t0, time.Minute, 10)
	if err != nil || len(got) != 2 || got[0].ID != a1.ID || got[1].ID != b1.ID {
		t.Fatalf("first claim: %v %+v, want a1 and b1", err, got)
	}
	// a1 waits out a rate limit: a2 must wait behind it; b's next flows.
	if err := db.RetryOutbox(ctx, a1.ID, t0.Add(time.Minute), "429"); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishOutbox(ctx, b1.ID, b1.MessageID, desk.DeliverySent, ""); err != nil {
		t.Fatal(err)
	}
	b2 := add(b)
	got, _ = db.ClaimOutbox(ctx, t0.Add(time.Second), time.Minute, 10)
	if len(got) != 1 || got[0].ID != b2.ID {
		t.Fatalf("while a1 waits: %+v, want only b2", got)
	}
	got, _ = db.ClaimOutbox(ctx, t0.Add(time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].ID != a1.ID {
		t.Fatalf("after the wait: %+v, want a1", got)
	}
	if err := db.FinishOutbox(ctx, a1.ID, a1.MessageID, desk.DeliverySent, ""); err != nil {
		t.Fatal(err)
	}
	got, _ = db.ClaimOutbox(ctx, t0.Add(time.Minute), time.Minute, 10)
	if len(got) != 1 || got[0].ID != a2.ID {
		t.Fatalf("after a1 went out: %+v, want a2", got)
	}
}
