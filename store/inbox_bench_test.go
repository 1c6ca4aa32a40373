package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/sla"
)

// BenchmarkInboxSorts reads the first page of a supervisor's "all" view
// (active tickets) in each order on a desk of 50k tickets, 5k of them
// active with a running SLA clock, and the channel filter's choices.
func BenchmarkInboxSorts(b *testing.B) {
	db, ctx := open(b)
	const n, active = 50000, 5000
	contacts := make([]string, n/10)
	for i := range contacts {
		contacts[i] = fmt.Sprint("c", i)
	}
	tickets := make([]desk.Ticket, n)
	channels := []string{"webchat", "telegram", "email", "phone"}
	for i := range tickets {
		at := t0.Add(time.Duration(i) * time.Minute)
		tk := desk.Ticket{ID: fmt.Sprintf("t%06d", i), Number: int64(i + 1), ContactID: contacts[i%len(contacts)],
			Channel: channels[i%len(channels)], ThreadKey: fmt.Sprint(i), Status: desk.StatusClosed, Priority: desk.PriorityNormal,
			LastMessageAt: at, CreatedAt: at, UpdatedAt: at}
		if i%(n/active) == 0 {
			tk.Status, tk.WaitingSince = desk.StatusOpen, at.Add(-time.Duration(i%97)*time.Minute)
		}
		tickets[i] = tk
	}
	if err := db.BulkLoadHistory(ctx, contacts, tickets, nil); err != nil {
		b.Fatal(err)
	}
	mustTx(b, db, func(tx desk.Tx) error {
		for i, tk := range tickets {
			if tk.Status != desk.StatusOpen {
				continue
			}
			due := tk.CreatedAt.Add(time.Duration(i%113) * time.Hour)
			c := desk.SLAClock{Target: desk.TargetResolution, Clock: sla.Clock{Target: time.Hour, Started: tk.CreatedAt, Since: tk.CreatedAt, Due: due}}
			if err := tx.PutTicketSLA(ctx, desk.TicketSLA{TicketID: tk.ID, PolicyID: "p", CalendarID: "c",
				Clocks: []desk.SLAClock{c}, TicketUpdatedAt: tk.UpdatedAt, ComputedAt: tk.UpdatedAt}); err != nil {
				return err
			}
		}
		return nil
	})
	activeStatuses := []desk.Status{desk.StatusBot, desk.StatusOpen, desk.StatusPending}
	for _, s := range []desk.TicketSort{desk.SortActivity, desk.SortWaiting, desk.SortDeadline} {
		for _, ch := range []string{"", "email"} {
			b.Run(fmt.Sprintf("%s/channel=%s", s, ch), func(b *testing.B) {
				f := desk.TicketFilter{Status: activeStatuses, Sort: s, Channel: ch, Limit: 50}
				for b.Loop() {
					p, err := db.Tickets(ctx, f)
					if err != nil || len(p.Tickets) != 50 {
						b.Fatalf("%d tickets, %v", len(p.Tickets), err)
					}
				}
			})
		}
	}
	b.Run("channels", func(b *testing.B) {
		for b.Loop() {
			if cs, err := db.TicketChannels(context.Background()); err != nil || len(cs) != 4 {
				b.Fatalf("%v %v", cs, err)
			}
		}
	})
}
