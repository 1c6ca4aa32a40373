package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/desk"
)

// A thousand concurrent claims of one ticket yield one assignee.
func TestClaimTicketRaceHasOneWinner(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "race"))
	const n = 1000
	var wins atomic.Int32
	var winner atomic.Value
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			agent := fmt.Sprintf("agent-%d", i)
			err := db.Tx(ctx, func(tx desk.Tx) error {
				_, err := tx.ClaimTicket(ctx, tk.ID, agent, t0)
				return err
			})
			switch {
			case err == nil:
				wins.Add(1)
				winner.Store(agent)
			case !errors.Is(err, desk.ErrConflict):
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("claim: %v", err)
	}
	got, err := db.Ticket(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if wins.Load() != 1 || got.AssigneeID != winner.Load() {
		t.Fatalf("%d claims won, assignee %q, winner %v", wins.Load(), got.AssigneeID, winner.Load())
	}
}

// Parallel claims of different tickets for one agent stop at the agent's
// capacity: the load check and the claim are one step.
func TestClaimTicketKeepsCapacityUnderRace(t *testing.T) {
	db, ctx := open(t)
	const n, capacity = 12, 5
	mustTx(t, db, func(tx desk.Tx) error {
		return tx.PutAgentRouting(ctx, desk.AgentRouting{AgentID: "agent-cap", Capacity: capacity})
	})
	c := newContact(t, db)
	tickets := make([]desk.Ticket, n)
	for i := range tickets {
		tickets[i] = newTicket(t, db, ticketFor(c, fmt.Sprintf("cap-%d", i)))
	}
	var won, full atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, tk := range tickets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Tx(ctx, func(tx desk.Tx) error {
				_, err := tx.ClaimTicket(ctx, tk.ID, "agent-cap", t0)
				return err
			})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, desk.ErrAtCapacity):
				full.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("claim: %v", err)
	}
	loads, err := db.AgentLoads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if won.Load() != capacity || full.Load() != n-capacity || loads["agent-cap"] != capacity {
		t.Fatalf("%d claims won, %d refused as full, load %d; want %d, %d, %d", won.Load(), full.Load(), loads["agent-cap"], capacity, n-capacity, capacity)
	}
}

func TestRoutingStore(t *testing.T) {
	db, ctx := open(t)
	r1 := desk.RoutingRule{ID: "r1", Position: 2, Name: "逾期", Enabled: true, TeamID: "team-c",
		Conditions: desk.RuleConditions{Segments: []string{"overdue"}, Keywords: []string{"还款"}}, SetPriority: desk.PriorityHigh,
		CreatedAt: t0, UpdatedAt: t0}
	r2 := desk.RoutingRule{ID: "r2", Position: 1, Name: "en", TeamID: "team-i", CreatedAt: t0, UpdatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertRoutingRule(ctx, r1); err != nil {
			return err
		}
		return tx.InsertRoutingRule(ctx, r2)
	})
	rules, err := db.RoutingRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].ID != "r2" || rules[1].ID != "r1" || !slices.Equal(rules[1].Conditions.Keywords, []string{"还款"}) ||
		rules[1].SetPriority != desk.PriorityHigh || !rules[1].Enabled || rules[0].Enabled {
		t.Fatalf("rules = %+v", rules)
	}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.PutTeamRouting(ctx, desk.TeamRouting{TeamID: "a", Mode: desk.ModeAuto, Default: true}); err != nil {
			return err
		}
		return tx.PutTeamRouting(ctx, desk.TeamRouting{TeamID: "b", Mode: desk.ModePull, ReassignAfter: 10 * time.Minute, Default: true})
	})
	teams, err := db.TeamRoutings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 2 || teams[0].Default || !teams[1].Default || teams[1].ReassignAfter != 10*time.Minute || teams[0].Mode != desk.ModeAuto {
		t.Fatalf("one default team expected: %+v", teams)
	}
	n := 0
	mustTx(t, db, func(tx desk.Tx) error {
		var err error
		n, err = tx.PutSegments(ctx, []desk.Segment{{Kind: "customer_no", Value: "C10023", Segment: "overdue"},
			{Kind: "customer_no", Value: "C10023", Segment: "overdue"}, {Kind: "phone", Value: "+8613800000000", Segment: "vip"}}, t0)
		return err
	})
	segs, err := db.SegmentsOf(ctx, []desk.Identity{{Kind: "webchat", Value: "v1"}, {Kind: "customer_no", Value: "C10023"}})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || !slices.Equal(segs, []string{"overdue"}) {
		t.Fatalf("stored %d, segments %v", n, segs)
	}
}

func TestQueuedAndAssignedTickets(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	mk := func(thread string, p desk.Priority, at time.Time) desk.Ticket {
		tk := ticketFor(c, thread)
		tk.TeamID, tk.Priority, tk.CreatedAt = "team", p, at
		return newTicket(t, db, tk)
	}
	old := mk("old", desk.PriorityNormal, t0)
	urgent := mk("urgent", desk.PriorityUrgent, t0.Add(time.Hour))
	newer := mk("newer", desk.PriorityNormal, t0.Add(time.Minute))
	q, err := db.QueuedTickets(ctx, []string{"team"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tk := range q {
		ids = append(ids, tk.ID)
	}
	if !slices.Equal(ids, []string{urgent.ID, old.ID, newer.ID}) {
		t.Fatalf("queue order %v, want urgent, old, newer", ids)
	}
	newMessage(t, db, old, "在吗")
	mustTx(t, db, func(tx desk.Tx) error {
		_, err := tx.ClaimTicket(ctx, old.ID, "agent-1", t0.Add(2*time.Minute))
		return err
	})
	loads, err := db.AgentLoads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	as, err := db.AssignedTickets(ctx, "team", 10)
	if err != nil {
		t.Fatal(err)
	}
	if loads["agent-1"] != 1 || len(as) != 1 || as[0].ID != old.ID || !as[0].WaitingSince.Equal(t0) || !as[0].AssignedAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("loads %v, assigned %+v", loads, as)
	}
	routings, err := db.AgentRoutings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(routings) != 1 || !routings[0].LastAssignedAt.Equal(t0.Add(2*time.Minute)) || routings[0].Capacity != desk.DefaultCapacity {
		t.Fatalf("agent routing after a claim: %+v", routings)
	}
	err = db.Tx(ctx, func(tx desk.Tx) error { _, err := tx.ReleaseTicket(ctx, old.ID, "agent-2", t0); return err })
	wantErr(t, err, desk.ErrConflict)
	mustTx(t, db, func(tx desk.Tx) error { _, err := tx.ReleaseTicket(ctx, old.ID, "agent-1", t0); return err })
	if q, _ := db.QueuedTickets(ctx, []string{"team"}, 10); len(q) != 3 {
		t.Fatalf("released ticket not queued again: %d queued", len(q))
	}
}
