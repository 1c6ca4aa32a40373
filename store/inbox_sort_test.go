package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/sla"
	"huiliu/store"
)

// say stores a public message on tk at at.
func say(t testing.TB, db *store.DB, tk desk.Ticket, dir desk.Direction, at time.Time) {
	t.Helper()
	m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: dir, AuthorKind: desk.AuthorContact,
		Channel: tk.Channel, Text: "x", CreatedAt: at}
	if dir != desk.DirIn {
		m.AuthorKind = desk.AuthorAgent
	}
	mustTx(t, db, func(tx desk.Tx) error { return tx.InsertMessage(context.Background(), m) })
}

// sortedIDs pages through f one ticket at a time, so every page boundary
// goes through the cursor of f's order.
func sortedIDs(t *testing.T, db *store.DB, f desk.TicketFilter) []string {
	t.Helper()
	var ids []string
	f.Limit = 1
	for range 10 {
		p, err := db.Tickets(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range p.Tickets {
			ids = append(ids, tk.ID)
		}
		if p.Next == "" {
			return ids
		}
		f.Cursor = p.Next
	}
	t.Fatalf("more pages than tickets: %v", ids)
	return nil
}

func TestTicketsSortByWaitingAndDeadline(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	var tks []desk.Ticket
	for i := range 4 {
		tk := ticketFor(c, fmt.Sprint("th", i))
		tk.LastMessageAt = t0.Add(time.Duration(i) * time.Minute)
		tks = append(tks, newTicket(t, db, tk))
	}
	a, b, cc, d := tks[0], tks[1], tks[2], tks[3]
	// a: waits since t0+1m (a second message does not restart the wait).
	say(t, db, a, desk.DirIn, t0.Add(time.Minute))
	say(t, db, a, desk.DirIn, t0.Add(5*time.Minute))
	// b: waits since t0 (earlier than a).
	say(t, db, b, desk.DirIn, t0)
	// cc: answered, so not waiting; then an internal note changes nothing.
	say(t, db, cc, desk.DirIn, t0)
	say(t, db, cc, desk.DirOut, t0.Add(time.Minute))
	say(t, db, cc, desk.DirNote, t0.Add(2*time.Minute))
	// d waits, but is pending: it waits on the customer, not on the desk.
	say(t, db, d, desk.DirIn, t0)
	pending := desk.StatusPending
	mustTx(t, db, func(tx desk.Tx) error {
		_, err := tx.SetTicketFields(ctx, d.ID, desk.TicketFields{Status: &pending}, t0)
		return err
	})
	got, err := db.Ticket(ctx, a.ID)
	if err != nil || !got.WaitingSince.Equal(t0.Add(time.Minute)) {
		t.Fatalf("a waits since %v (%v), want %v", got.WaitingSince, err, t0.Add(time.Minute))
	}
	if got, _ := db.Ticket(ctx, cc.ID); !got.WaitingSince.IsZero() {
		t.Fatalf("answered ticket waits since %v", got.WaitingSince)
	}

	// Deadlines: cc's running clock is the nearest, a's next, b has a met
	// clock only, d's (pending) is paused.
	put := func(tk desk.Ticket, clocks ...desk.SLAClock) {
		mustTx(t, db, func(tx desk.Tx) error {
			return tx.PutTicketSLA(ctx, desk.TicketSLA{TicketID: tk.ID, PolicyID: "p", CalendarID: "c", Clocks: clocks,
				TicketUpdatedAt: t0, ComputedAt: t0})
		})
	}
	running := func(due time.Time) desk.SLAClock {
		return desk.SLAClock{Target: desk.TargetFirstResponse, Clock: sla.Clock{Target: time.Hour, Started: t0, Since: t0, Due: due}}
	}
	met := running(t0.Add(time.Minute))
	met.MetAt = t0
	put(a, running(t0.Add(3*time.Hour)), running(t0.Add(2*time.Hour)))
	put(b, met)
	put(cc, running(t0.Add(time.Hour)))
	put(d, desk.SLAClock{Target: desk.TargetResolution, Clock: sla.Clock{Target: time.Hour, Started: t0, PausedAt: t0}})

	all := desk.TicketFilter{}
	if ids := sortedIDs(t, db, all); !slices.Equal(ids, []string{d.ID, cc.ID, b.ID, a.ID}) {
		t.Fatalf("activity order %v", ids)
	}
	all.Sort = desk.SortWaiting
	if ids := sortedIDs(t, db, all); !slices.Equal(ids, []string{b.ID, a.ID, cc.ID, d.ID}) {
		t.Fatalf("waiting order %v, want b a (waiting) then cc d by id", ids)
	}
	all.Sort = desk.SortDeadline
	if ids := sortedIDs(t, db, all); !slices.Equal(ids, []string{cc.ID, a.ID, b.ID, d.ID}) {
		t.Fatalf("deadline order %v, want cc a then b d by id", ids)
	}
	dues, err := db.SLADues(ctx, []string{a.ID, b.ID, cc.ID, d.ID})
	if err != nil || len(dues) != 2 || !dues[a.ID].Equal(t0.Add(2*time.Hour)) || !dues[cc.ID].Equal(t0.Add(time.Hour)) {
		t.Fatalf("dues %v %v", dues, err)
	}

	// The channel filter offers what tickets came by.
	tg := ticketFor(c, "tg")
	tg.Channel = "telegram"
	newTicket(t, db, tg)
	if chs, err := db.TicketChannels(ctx); err != nil || !slices.Equal(chs, []string{"telegram", "webchat"}) {
		t.Fatalf("channels %v %v", chs, err)
	}
}
