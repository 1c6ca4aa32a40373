package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
)

func TestTicketRoundTrip(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	tk := ticketFor(c, "thread-1")
	tk.IdentityID, tk.TeamID, tk.OwnerID, tk.AssigneeID, tk.Preview = "ident", "team", "owner", "assignee", "预览"
	tk = newTicket(t, db, tk)
	if tk.Number < 1 {
		t.Fatalf("number %d", tk.Number)
	}
	got, err := db.Ticket(ctx, tk.ID)
	if err != nil || !reflect.DeepEqual(got, tk) {
		t.Fatalf("ticket: %v\n got %+v\nwant %+v", err, got, tk)
	}
	got, err = db.ActiveTicket(ctx, c.ID, "webchat", "thread-1")
	if err != nil || got.ID != tk.ID {
		t.Fatalf("active: %v %+v", err, got)
	}
	tk.Status, tk.Priority, tk.Subject, tk.Preview = desk.StatusPending, desk.PriorityUrgent, "逾期还款", "新预览"
	tk.TeamID, tk.OwnerID, tk.AssigneeID = "", "o2", "a2"
	tk.LastMessageAt, tk.UpdatedAt = t0.Add(time.Hour), t0.Add(time.Hour)
	mustTx(t, db, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, tk) })
	got, err = db.Ticket(ctx, tk.ID)
	if err != nil || !reflect.DeepEqual(got, tk) {
		t.Fatalf("updated: %v\n got %+v\nwant %+v", err, got, tk)
	}
	tk.Status = desk.StatusClosed
	mustTx(t, db, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, tk) })
	_, err = db.ActiveTicket(ctx, c.ID, "webchat", "thread-1")
	wantErr(t, err, desk.ErrNotFound)
}

func TestOneOpenTicketPerThread(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	first := newTicket(t, db, ticketFor(c, "th"))
	// A second open ticket on the same thread is refused...
	second := ticketFor(c, "th")
	err := db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertTicket(ctx, &second) })
	wantErr(t, err, desk.ErrConflict)
	// ...on another thread or channel it is fine...
	newTicket(t, db, ticketFor(c, "other"))
	// ...and once the first is closed a new one may open.
	first.Status = desk.StatusClosed
	mustTx(t, db, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, first) })
	second = newTicket(t, db, ticketFor(c, "th"))
	// Reopening the closed one now would make two.
	first.Status = desk.StatusOpen
	wantErr(t, db.Tx(ctx, func(tx desk.Tx) error { return tx.UpdateTicket(ctx, first) }), desk.ErrConflict)
	got, err := db.ActiveTicket(ctx, c.ID, "webchat", "th")
	if err != nil || got.ID != second.ID {
		t.Fatalf("active %v %+v", err, got)
	}

	// Racing first messages: exactly one ticket opens.
	c2 := newContact(t, db)
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk := ticketFor(c2, "race")
			errs[i] = db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertTicket(ctx, &tk) })
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, desk.ErrConflict) {
			t.Fatalf("unexpected: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d tickets opened, want 1", ok)
	}
}

func TestTicketNumbersConcurrent(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	const n = 20
	var wg sync.WaitGroup
	nums := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk := ticketFor(c, fmt.Sprint("n", i))
			errs[i] = db.Tx(ctx, func(tx desk.Tx) error {
				if err := tx.InsertTicket(ctx, &tk); err != nil {
					return err
				}
				nums[i] = tk.Number
				return nil
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	for i, v := range nums {
		if v != int64(i+1) {
			t.Fatalf("numbers %v: want 1..%d without gaps or repeats", nums, n)
		}
	}
}

// inbox builds a small desk: two teams, tickets spread over them.
func TestInboxFilters(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	mk := func(thread, team, owner, assignee, channel string, st desk.Status, subject string, at int) desk.Ticket {
		tk := ticketFor(c, thread)
		tk.TeamID, tk.OwnerID, tk.AssigneeID, tk.Channel, tk.Status, tk.Subject = team, owner, assignee, channel, st, subject
		tk.LastMessageAt = t0.Add(time.Duration(at) * time.Minute)
		return newTicket(t, db, tk)
	}
	a := mk("a", "t1", "", "", "webchat", desk.StatusOpen, "Refund please", 1)
	b := mk("b", "t2", "ag1", "", "telegram", desk.StatusPending, "Hello", 2)
	cc := mk("c", "t2", "", "ag1", "email", desk.StatusResolved, "50% off?", 3)
	d := mk("d", "", "", "", "webchat", desk.StatusBot, "问一下", 4)
	e := mk("e", "t3", "", "", "phone", desk.StatusClosed, "under_score", 5)
	newMessage(t, db, a, "我想申请还款计划")
	newMessage(t, db, d, "something ELSE entirely")
	newMessage(t, db, e, "100% sure")

	ids := func(ts ...desk.Ticket) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    desk.TicketFilter
		want []string
	}{
		{"all newest first", desk.TicketFilter{}, ids(e, d, cc, b, a)},
		{"status any of", desk.TicketFilter{Status: []desk.Status{desk.StatusOpen, desk.StatusBot}}, ids(d, a)},
		{"team", desk.TicketFilter{Team: "t2"}, ids(cc, b)},
		{"assignee", desk.TicketFilter{AssigneeID: "ag1"}, ids(cc)},
		{"owner", desk.TicketFilter{OwnerID: "ag1"}, ids(b)},
		{"channel", desk.TicketFilter{Channel: "webchat"}, ids(d, a)},
		{"visible: team t1, unrouted, own", desk.TicketFilter{Visible: &desk.Visibility{AgentID: "ag1", TeamIDs: []string{"t1"}}}, ids(d, cc, b, a)},
		{"visible: no teams", desk.TicketFilter{Visible: &desk.Visibility{AgentID: "nobody"}}, ids(d)},
		{"visible: two teams", desk.TicketFilter{Visible: &desk.Visibility{AgentID: "x", TeamIDs: []string{"t1", "t3"}}}, ids(e, d, a)},
		{"query Chinese in message", desk.TicketFilter{Query: "还款"}, ids(a)},
		{"query Chinese in subject", desk.TicketFilter{Query: "问一"}, ids(d)},
		{"query case-insensitive", desk.TicketFilter{Query: "refund"}, ids(a)},
		{"query case-insensitive message", desk.TicketFilter{Query: "Else"}, ids(d)},
		{"query percent is literal", desk.TicketFilter{Query: "%"}, ids(e, cc)},
		{"query underscore is literal", desk.TicketFilter{Query: "r_s"}, ids(e)},
		{"query no match", desk.TicketFilter{Query: "zzz"}, ids()},
		{"combined", desk.TicketFilter{Team: "t2", Status: []desk.Status{desk.StatusPending}, Channel: "telegram"}, ids(b)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := db.Tickets(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(page.Tickets...); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			if page.Next != "" {
				t.Fatalf("unexpected next cursor")
			}
		})
	}
	_, err := db.Tickets(ctx, desk.TicketFilter{Cursor: "not a cursor!"})
	if desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("bad cursor: %v", err)
	}
}

func TestInboxPagination(t *testing.T) {
	t.Parallel()
	db, ctx := open(t)
	c := newContact(t, db)
	const n = 120
	want := map[string]bool{}
	mustTx(t, db, func(tx desk.Tx) error {
		for i := range n {
			tk := ticketFor(c, fmt.Sprint("p", i))
			// Groups of equal times exercise the id tie-break.
			tk.LastMessageAt = t0.Add(time.Duration(i/7) * time.Second)
			if err := tx.InsertTicket(ctx, &tk); err != nil {
				return err
			}
			want[tk.ID] = true
		}
		return nil
	})
	for _, limit := range []int{0, 1, 7, 50, 1000} {
		seen := map[string]bool{}
		var prev *desk.Ticket
		f := desk.TicketFilter{Limit: limit}
		pages := 0
		for {
			page, err := db.Tickets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			wantLen := min(max(limit, 0), desk.MaxPageSize)
			if limit == 0 {
				wantLen = desk.DefaultPageSize
			}
			if page.Next != "" && len(page.Tickets) != wantLen {
				t.Fatalf("limit %d: page of %d", limit, len(page.Tickets))
			}
			for i := range page.Tickets {
				tk := page.Tickets[i]
				if seen[tk.ID] {
					t.Fatalf("limit %d: duplicate %s", limit, tk.ID)
				}
				seen[tk.ID] = true
				if prev != nil && (tk.LastMessageAt.After(prev.LastMessageAt) ||
					tk.LastMessageAt.Equal(prev.LastMessageAt) && tk.ID > prev.ID) {
					t.Fatalf("limit %d: out of order", limit)
				}
				prev = &page.Tickets[i]
			}
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		if !reflect.DeepEqual(seen, want) {
			t.Fatalf("limit %d: saw %d of %d tickets", limit, len(seen), n)
		}
		if limit == 1 && pages != n {
			t.Fatalf("limit 1: %d pages", pages)
		}
	}
	_ = context.Background()
}
