package desk_test

import (
	"context"
	"testing"

	"huiliu/desk"
)

// fakePresence answers from a map; absent agents are offline.
type fakePresence map[string]string

func (p fakePresence) State(_ context.Context, agent string) (string, error) {
	if s, ok := p[agent]; ok {
		return s, nil
	}
	return "offline", nil
}

func TestReturningCustomerGoesToThePresentOwner(t *testing.T) {
	ctx := context.Background()
	for _, state := range []string{"online", "away"} {
		t.Run(state, func(t *testing.T) {
			presence := fakePresence{}
			ot := newOwnedTicket(t, func(o *desk.Options) { o.Presence = presence })
			presence[ot.owner.ID] = state
			// The owner handed it to the team queue; nobody works it now.
			if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{AssigneeID: ptr("")}); err != nil {
				t.Fatal(err)
			}
			rc := ingest(t, ot.svc, customerSays("m2", "请问进度如何？"))
			if rc.TicketID != ot.id {
				t.Fatalf("threaded into %s", rc.TicketID)
			}
			tk := ot.ticket(t)
			if tk.AssigneeID != ot.owner.ID || tk.OwnerID != ot.owner.ID {
				t.Fatalf("not back with the owner: %+v", tk)
			}
			if e := ot.lastEvent(t); e.Action != "returned_to_owner" || e.Args["owner"] != "李娜" {
				t.Fatalf("entry %+v", e)
			}
			// With the owner assigned, the next message changes nothing.
			before := tk.LastSeq
			ingest(t, ot.svc, customerSays("m3", "在吗"))
			if tk := ot.ticket(t); tk.LastSeq != before+1 {
				t.Fatalf("seq %d after one message, want %d", tk.LastSeq, before+1)
			}
		})
	}
}

func TestReturningCustomerStaysWithTheTeamWhenTheOwnerIsAbsent(t *testing.T) {
	ctx := context.Background()
	presence := fakePresence{}
	ot := newOwnedTicket(t, func(o *desk.Options) { o.Presence = presence })
	if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{AssigneeID: ptr(""), Status: ptr(desk.StatusPending)}); err != nil {
		t.Fatal(err)
	}
	ingest(t, ot.svc, customerSays("m2", "我已经还款了"))
	tk := ot.ticket(t)
	if tk.AssigneeID != "" || tk.TeamID != ot.support.ID || tk.Status != desk.StatusOpen {
		t.Fatalf("ticket moved without its owner present: %+v", tk)
	}
	if e := ot.lastEvent(t); e.Action != "owner_notified" || e.Args["owner"] != "李娜" {
		t.Fatalf("entry %+v", e)
	}
	// Further messages of an open ticket add no more notices.
	ingest(t, ot.svc, customerSays("m3", "还在吗"))
	if tk2 := ot.ticket(t); tk2.LastSeq != tk.LastSeq+1 || tk2.AssigneeID != "" {
		t.Fatalf("after a second message: %+v", tk2)
	}
}
