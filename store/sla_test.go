package store_test

import (
	"slices"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/sla"
)

func TestSLARowsRoundTripAndStaleness(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "sla"))
	// Without a row, an open ticket is stale.
	if ids, err := db.StaleSLATickets(ctx, 10); err != nil || !slices.Contains(ids, tk.ID) {
		t.Fatalf("stale before: %v %v", ids, err)
	}
	cal, err := db.SLACalendarByName(ctx, desk.CalendarCNMainland)
	if err != nil || cal.Timezone != "Asia/Shanghai" || cal.Hours["mon"] != "09:00-12:00,13:30-18:00" {
		t.Fatalf("built-in calendar: %+v %v", cal, err)
	}
	c, err := sla.StartClock(sla.China2026(), 2*time.Hour, t0)
	if err != nil {
		t.Fatal(err)
	}
	row := desk.TicketSLA{TicketID: tk.ID, PolicyID: "p", CalendarID: cal.ID, NextAt: t0.Add(time.Hour),
		TicketUpdatedAt: tk.UpdatedAt, ComputedAt: t0, Clocks: []desk.SLAClock{{Target: desk.TargetFirstResponse, Clock: c}}}
	mustTx(t, db, func(tx desk.Tx) error { return tx.PutTicketSLA(ctx, row) })
	got, err := db.TicketSLA(ctx, tk.ID)
	if err != nil || len(got.Clocks) != 1 || !got.Clocks[0].Clock.Due.Equal(c.Due) || !got.NextAt.Equal(row.NextAt) {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if ids, _ := db.StaleSLATickets(ctx, 10); slices.Contains(ids, tk.ID) {
		t.Fatal("a fresh row is stale")
	}
	if ids, _ := db.DueSLATickets(ctx, t0.Add(time.Hour), 10); !slices.Equal(ids, []string{tk.ID}) {
		t.Fatalf("due: %v", ids)
	}
	if ids, _ := db.DueSLATickets(ctx, t0.Add(59*time.Minute), 10); len(ids) != 0 {
		t.Fatalf("due early: %v", ids)
	}
	mustTx(t, db, func(tx desk.Tx) error { return tx.InvalidateTicketSLA(ctx) })
	if ids, _ := db.StaleSLATickets(ctx, 10); !slices.Contains(ids, tk.ID) {
		t.Fatal("an invalidated row is not stale")
	}
}

func TestSLAClaimEscalationOnce(t *testing.T) {
	db, ctx := open(t)
	k := desk.EscalationKey{TicketID: "t1", Target: desk.TargetFirstResponse, Step: 0, Cycle: 2}
	for i, want := range []bool{true, false} {
		mustTx(t, db, func(tx desk.Tx) error {
			ok, err := tx.ClaimEscalation(ctx, k, t0)
			if err == nil && ok != want {
				t.Errorf("claim %d = %v, want %v", i+1, ok, want)
			}
			return err
		})
	}
	// Another cycle of the same step is a step of its own.
	k.Cycle = 3
	mustTx(t, db, func(tx desk.Tx) error {
		ok, err := tx.ClaimEscalation(ctx, k, t0)
		if err == nil && !ok {
			t.Error("the next cycle's step was refused")
		}
		return err
	})
	if keys, err := db.Escalations(ctx, "t1"); err != nil || len(keys) != 2 {
		t.Fatalf("escalations %v %v", keys, err)
	}
}
