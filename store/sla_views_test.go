package store_test

import (
	"slices"
	"testing"
	"time"

	"huiliu/desk"
)

func TestActiveSLAsKeepsActiveVisibleTicketsUnderSLA(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	mk := func(thread, team string, st desk.Status) desk.Ticket {
		tk := ticketFor(c, thread)
		tk.TeamID, tk.Status = team, st
		return newTicket(t, db, tk)
	}
	put := func(tk desk.Ticket, policy string) {
		mustTx(t, db, func(tx desk.Tx) error {
			return tx.PutTicketSLA(ctx, desk.TicketSLA{TicketID: tk.ID, PolicyID: policy, CalendarID: "cal",
				TicketUpdatedAt: tk.UpdatedAt, ComputedAt: t0})
		})
	}
	underSLA := mk("a", "A", desk.StatusOpen)
	put(underSLA, "p")
	otherTeam := mk("b", "B", desk.StatusPending)
	put(otherTeam, "p")
	noPolicy := mk("c", "A", desk.StatusOpen)
	put(noPolicy, "")
	resolved := mk("d", "A", desk.StatusResolved)
	put(resolved, "p")
	// No policy, but a promise overdue at t0+2h (and one not yet due).
	promised := mk("e", "A", desk.StatusOpen)
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertFollowup(ctx, desk.Followup{ID: desk.NewID(), TicketID: promised.ID, DueAt: t0.Add(time.Hour), CreatedAt: t0}); err != nil {
			return err
		}
		return tx.InsertFollowup(ctx, desk.Followup{ID: desk.NewID(), TicketID: noPolicy.ID, DueAt: t0.Add(3 * time.Hour), CreatedAt: t0})
	})

	ids := func(rows []desk.ActiveSLA) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.TicketID)
		}
		slices.Sort(out)
		return out
	}
	want := func(tks ...desk.Ticket) []string {
		var out []string
		for _, tk := range tks {
			out = append(out, tk.ID)
		}
		slices.Sort(out)
		return out
	}
	all, err := db.ActiveSLAs(ctx, nil, t0.Add(2*time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(all); !slices.Equal(got, want(underSLA, otherTeam, promised)) {
		t.Fatalf("all: %v", got)
	}
	for _, r := range all {
		if r.FollowupOverdue != (r.TicketID == promised.ID) || (r.TicketID == otherTeam.ID && r.TeamID != "B") {
			t.Errorf("row %+v", r)
		}
	}
	teamA, err := db.ActiveSLAs(ctx, &desk.Visibility{AgentID: "x", TeamIDs: []string{"A"}}, t0.Add(2*time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(teamA); !slices.Equal(got, want(underSLA, promised)) {
		t.Fatalf("team A: %v", got)
	}
	// Before the promise is due, the ticket has nothing to show.
	if early, _ := db.ActiveSLAs(ctx, nil, t0, 100); slices.Contains(ids(early), promised.ID) {
		t.Fatal("a promise not yet due counted")
	}
	if one, _ := db.ActiveSLAs(ctx, nil, t0.Add(2*time.Hour), 1); len(one) != 1 {
		t.Fatalf("limit: %d rows", len(one))
	}
}
