package store_test

import (
	"context"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store/storetest"
)

// Audit filters combine: actor, action prefix (LIKE wildcards taken
// literally), target, time range, and paging by id.
func TestAuditSearchFilters(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	entries := []desk.AuditEntry{
		{ActorKind: "agent", ActorID: "a1", Action: "ticket.change", Target: "t1"},
		{ActorKind: "agent", ActorID: "a1", Action: "ticket.followup_set", Target: "t2"},
		{ActorKind: "agent", ActorID: "a2", Action: "ticket.change", Target: "t1"},
		{ActorKind: "agent", ActorID: "a2", Action: "token.create", Target: "a2"},
		{ActorKind: "system", Action: "ticket_x", Target: "t3"},
	}
	for i, e := range entries {
		e.ID = desk.NewID()
		e.At = t0.Add(time.Duration(i) * time.Hour)
		if err := db.Tx(ctx, func(tx desk.Tx) error { return tx.InsertAudit(ctx, e) }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond) // ids order by creation
	}
	count := func(q desk.AuditQuery) int {
		t.Helper()
		es, err := db.AuditSearch(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	cases := []struct {
		name string
		q    desk.AuditQuery
		want int
	}{
		{"all", desk.AuditQuery{}, 5},
		{"actor", desk.AuditQuery{ActorID: "a1"}, 2},
		{"action prefix", desk.AuditQuery{Action: "ticket."}, 3},
		{"underscore is literal", desk.AuditQuery{Action: "ticket_"}, 1},
		{"target", desk.AuditQuery{Target: "t1"}, 2},
		{"actor and action", desk.AuditQuery{ActorID: "a2", Action: "ticket."}, 1},
		{"from", desk.AuditQuery{From: t0.Add(3 * time.Hour)}, 2},
		{"to excluded", desk.AuditQuery{To: t0.Add(2 * time.Hour)}, 2},
		{"range", desk.AuditQuery{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, 2},
	}
	for _, c := range cases {
		if got := count(c.q); got != c.want {
			t.Errorf("%s: %d entries, want %d", c.name, got, c.want)
		}
	}
	page, err := db.AuditSearch(ctx, desk.AuditQuery{Action: "ticket", Limit: 2})
	if err != nil || len(page) != 2 || page[0].Target != "t3" {
		t.Fatalf("first page %+v %v", page, err)
	}
	rest, err := db.AuditSearch(ctx, desk.AuditQuery{Action: "ticket", Limit: 2, Before: page[1].ID})
	if err != nil || len(rest) != 2 || rest[1].Target != "t1" || rest[1].ActorID != "a1" {
		t.Fatalf("second page %+v %v", rest, err)
	}
}
