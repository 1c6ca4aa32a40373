package store_test

import (
	"sync"
	"testing"

	"huiliu/desk"
)

// Concurrent messages on one ticket take distinct seqs 1..N, whether they
// moved the ticket with TouchTicket or let InsertMessage take the next one,
// and a reader after seq k sees exactly the messages above k.
func TestSeqIsDenseUnderConcurrency(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	tk := newTicket(t, db, ticketFor(c, "seq"))
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- db.Tx(ctx, func(tx desk.Tx) error {
				m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirIn, AuthorKind: desk.AuthorContact,
					Channel: "webchat", Text: "m", CreatedAt: t0}
				if i%2 == 0 {
					touched, err := tx.TouchTicket(ctx, tk.ID, desk.TicketTouch{Preview: "m", At: t0})
					if err != nil {
						return err
					}
					m.Seq = touched.LastSeq
				}
				return tx.InsertMessage(ctx, m)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.MessagesAfterSeq(ctx, tk.ID, 0, 100)
	if err != nil || len(all) != n {
		t.Fatalf("%d messages, %v; want %d", len(all), err, n)
	}
	for i, m := range all {
		if m.Seq != int64(i+1) {
			t.Fatalf("message %d has seq %d, want %d", i, m.Seq, i+1)
		}
	}
	tail, err := db.MessagesAfterSeq(ctx, tk.ID, n-3, 100)
	if err != nil || len(tail) != 3 || tail[0].Seq != n-2 {
		t.Fatalf("after %d: %v %+v", n-3, err, tail)
	}
}
