package store_test

import (
	"testing"
	"time"

	"huiliu/desk"
)

func TestOutboxBacklogs(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	if got, err := db.OutboxBacklogs(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty outbox: %v %+v", err, got)
	}
	start := time.Now().Add(-time.Second)
	c := newContact(t, db)
	var ids []string
	for i, ch := range []string{"telegram", "telegram", "email"} {
		tk := newTicket(t, db, ticketFor(c, ch+string(rune('a'+i))))
		m := newMessage(t, db, tk, "reply")
		o := desk.OutboxItem{ID: desk.NewID(), MessageID: m.ID, TicketID: tk.ID, Channel: ch, NextAttemptAt: t0}
		mustTx(t, db, func(tx desk.Tx) error { return tx.InsertOutbox(ctx, o) })
		ids = append(ids, o.ID)
	}
	if err := db.RetryOutbox(ctx, ids[1], t0.Add(time.Minute), "502 bad gateway"); err != nil {
		t.Fatal(err)
	}
	got, err := db.OutboxBacklogs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Channel != "email" || got[0].Pending != 1 || got[0].Failing != 0 ||
		got[1].Channel != "telegram" || got[1].Pending != 2 || got[1].Failing != 1 || got[1].Oldest.Before(start) {
		t.Fatalf("backlogs = %+v", got)
	}
}
