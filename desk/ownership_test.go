package desk_test

import (
	"context"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// ownedTicket is a customer request that 李娜 of Support answered first.
type ownedTicket struct {
	svc              *desk.Service
	db               desk.Store
	id               string
	owner, other     desk.Agent
	super            desk.Agent
	support, collect desk.Team
}

func newOwnedTicket(t *testing.T, opts ...func(*desk.Options)) ownedTicket {
	t.Helper()
	ctx := context.Background()
	o, db := newService(t)
	if len(opts) > 0 {
		so := desk.Options{Store: db}
		for _, f := range opts {
			f(&so)
		}
		o = desk.NewService(so)
	}
	ot := ownedTicket{svc: o, db: db}
	ot.owner = mkAgent(t, o, "na@example.com", "李娜", desk.RoleAgent, "Support")
	ot.other = mkAgent(t, o, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	ot.super = mkAgent(t, o, "wang@example.com", "王强", desk.RoleSupervisor)
	var err error
	if ot.support, err = db.TeamByName(ctx, "Support"); err != nil {
		t.Fatal(err)
	}
	if ot.collect, err = db.TeamByName(ctx, "Collections"); err != nil {
		t.Fatal(err)
	}
	rc := ingest(t, o, customerSays("m1", "我想申请延期还款"))
	ot.id = rc.TicketID
	if _, err := o.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{TeamID: &ot.support.ID}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Post(ctx, desk.AgentActor(ot.owner), desk.PostRequest{TicketID: ot.id, Kind: desk.KindReply, Text: "您好，我来处理"}); err != nil {
		t.Fatal(err)
	}
	return ot
}

func customerSays(extID, text string) channels.Inbound {
	return channels.Inbound{Channel: "api", ExternalID: extID, ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-1"}, Text: text}
}

func (ot ownedTicket) ticket(t *testing.T) desk.Ticket {
	t.Helper()
	tk, err := ot.db.Ticket(context.Background(), ot.id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// lastEvent is the newest system entry's event on the ticket.
func (ot ownedTicket) lastEvent(t *testing.T) desk.SystemEvent {
	t.Helper()
	msgs, err := ot.db.Messages(context.Background(), ot.id, "", 200)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Event != nil {
			return *msgs[i].Event
		}
	}
	t.Fatal("no system entry")
	return desk.SystemEvent{}
}

func TestOwnerKeptThroughTransferAndReassignment(t *testing.T) {
	ot := newOwnedTicket(t)
	ctx := context.Background()
	if tk := ot.ticket(t); tk.OwnerID != ot.owner.ID || tk.AssigneeID != ot.owner.ID || tk.Handoff {
		t.Fatalf("after the first reply: %+v", tk)
	}
	tk, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{TeamID: &ot.collect.ID})
	if err != nil {
		t.Fatal(err)
	}
	if tk.OwnerID != ot.owner.ID || tk.AssigneeID != "" || !tk.Handoff || !tk.ConfirmationRequired {
		t.Fatalf("after the transfer: %+v", tk)
	}
	if tk, err = ot.svc.ChangeTicket(ctx, ot.other, ot.id, desk.TicketChange{AssigneeID: &ot.other.ID}); err != nil {
		t.Fatal(err)
	}
	if tk.OwnerID != ot.owner.ID || tk.AssigneeID != ot.other.ID {
		t.Fatalf("after the reassignment: %+v", tk)
	}
	// Her colleague in Collections answers; the owner stays.
	if _, _, err := ot.svc.Post(ctx, desk.AgentActor(ot.other), desk.PostRequest{TicketID: ot.id, Kind: desk.KindReply, Text: "已为您登记"}); err != nil {
		t.Fatal(err)
	}
	if tk := ot.ticket(t); tk.OwnerID != ot.owner.ID {
		t.Fatalf("a reply by another agent moved the owner: %+v", tk)
	}
	// The owner no longer belongs to the ticket's team but still sees it.
	if _, err := ot.svc.VisibleTicket(ctx, ot.owner, ot.id); err != nil {
		t.Fatalf("owner lost sight of the ticket: %v", err)
	}
	page, err := ot.db.Tickets(ctx, desk.TicketFilter{Visible: desk.VisibilityOf(ot.owner), OwnerID: ot.owner.ID})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("owned by me: %v %+v", err, page)
	}
}

func TestReplyByAnotherAgentIsAHandoff(t *testing.T) {
	ot := newOwnedTicket(t)
	ctx := context.Background()
	if _, _, err := ot.svc.Post(ctx, desk.AgentActor(ot.super), desk.PostRequest{TicketID: ot.id, Kind: desk.KindNote, Text: "内部备注"}); err != nil {
		t.Fatal(err)
	}
	if ot.ticket(t).Handoff {
		t.Fatal("an internal note counted as a handoff")
	}
	if _, _, err := ot.svc.Post(ctx, desk.AgentActor(ot.super), desk.PostRequest{TicketID: ot.id, Kind: desk.KindReply, Text: "我是主管"}); err != nil {
		t.Fatal(err)
	}
	if tk := ot.ticket(t); !tk.Handoff || !tk.ConfirmationRequired {
		t.Fatalf("a public reply by another agent: %+v", tk)
	}
}

func TestOutcomeConfirmationBeforeResolve(t *testing.T) {
	ctx := context.Background()
	resolve := func(ot ownedTicket, a desk.Agent, s desk.Status) error {
		_, err := ot.svc.ChangeTicket(ctx, a, ot.id, desk.TicketChange{Status: &s})
		return err
	}
	t.Run("no handoff needs no confirmation", func(t *testing.T) {
		ot := newOwnedTicket(t)
		if err := resolve(ot, ot.owner, desk.StatusResolved); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("owner confirms", func(t *testing.T) {
		ot := newOwnedTicket(t)
		if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{TeamID: &ot.collect.ID}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []desk.Status{desk.StatusResolved, desk.StatusClosed} {
			err := resolve(ot, ot.super, s)
			if desk.CodeOf(err) != desk.CodeConflict || !strings.Contains(err.Error(), "李娜 ("+ot.owner.EmployeeNo+") must confirm the customer was told the outcome") {
				t.Fatalf("%s before confirmation: %v", s, err)
			}
		}
		if tk := ot.ticket(t); tk.Status != desk.StatusOpen {
			t.Fatalf("refused resolve changed the status: %s", tk.Status)
		}
		tk, err := ot.svc.ConfirmOutcome(ctx, ot.owner, ot.id, "已电话告知客户延期结果", "")
		if err != nil {
			t.Fatal(err)
		}
		if tk.ConfirmedBy != ot.owner.ID || tk.ConfirmedAt == nil || tk.ConfirmationRequired {
			t.Fatalf("after confirmation: %+v", tk)
		}
		e := ot.lastEvent(t)
		if e.Action != "outcome_confirmed" || e.Args["by"] != "李娜" || e.Args["for"] != "李娜" || e.Args["note"] != "已电话告知客户延期结果" {
			t.Fatalf("entry %+v", e)
		}
		if err := resolve(ot, ot.other, desk.StatusResolved); err != nil {
			t.Fatalf("resolve after confirmation: %v", err)
		}
		audit, err := ot.db.AuditLog(ctx, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range audit {
			found = found || (a.Action == "ticket.outcome_confirmed" && a.ActorID == ot.owner.ID && a.Target == ot.id)
		}
		if !found {
			t.Fatal("no audit entry for the confirmation")
		}
	})
	t.Run("supervisor confirms with a reason", func(t *testing.T) {
		ot := newOwnedTicket(t)
		if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{AssigneeID: &ot.other.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := ot.svc.ConfirmOutcome(ctx, ot.super, ot.id, "", "  "); desk.CodeOf(err) != desk.CodeInvalid {
			t.Fatalf("supervisor without reason: %v", err)
		}
		if _, err := ot.svc.ConfirmOutcome(ctx, ot.other, ot.id, "done", "x"); desk.CodeOf(err) != desk.CodeForbidden {
			t.Fatalf("another agent: %v", err)
		}
		if !ot.ticket(t).ConfirmationRequired {
			t.Fatal("a refused confirmation was recorded")
		}
		tk, err := ot.svc.ConfirmOutcome(ctx, ot.super, ot.id, "", "李娜休假，已由主管致电客户")
		if err != nil {
			t.Fatal(err)
		}
		if tk.ConfirmedBy != ot.super.ID {
			t.Fatalf("confirmed by %q", tk.ConfirmedBy)
		}
		e := ot.lastEvent(t)
		if e.Args["by"] != "王强" || e.Args["for"] != "李娜" || e.Args["reason"] != "李娜休假，已由主管致电客户" {
			t.Fatalf("entry %+v", e)
		}
		if err := resolve(ot, ot.other, desk.StatusClosed); err != nil {
			t.Fatalf("close after confirmation: %v", err)
		}
	})
	t.Run("a new customer message after resolution resets it", func(t *testing.T) {
		ot := newOwnedTicket(t)
		if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{TeamID: &ot.collect.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := ot.svc.ConfirmOutcome(ctx, ot.owner, ot.id, "", ""); err != nil {
			t.Fatal(err)
		}
		if err := resolve(ot, ot.owner, desk.StatusResolved); err != nil {
			t.Fatal(err)
		}
		ingest(t, ot.svc, customerSays("m2", "还是没有收到短信"))
		tk := ot.ticket(t)
		if tk.Status != desk.StatusOpen || tk.ConfirmedBy != "" || tk.ConfirmedAt != nil || !tk.ConfirmationRequired {
			t.Fatalf("after reopen: %+v", tk)
		}
		if err := resolve(ot, ot.owner, desk.StatusResolved); desk.CodeOf(err) != desk.CodeConflict {
			t.Fatalf("resolve after reopen: %v", err)
		}
	})
	t.Run("a transfer in the same change counts", func(t *testing.T) {
		ot := newOwnedTicket(t)
		s := desk.StatusResolved
		_, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{TeamID: &ot.collect.ID, Status: &s})
		if desk.CodeOf(err) != desk.CodeConflict {
			t.Fatalf("transfer and resolve at once: %v", err)
		}
		if tk := ot.ticket(t); tk.TeamID != ot.support.ID || tk.Handoff {
			t.Fatalf("a refused change was partly applied: %+v", tk)
		}
	})
	t.Run("a later transfer withdraws a confirmation", func(t *testing.T) {
		ot := newOwnedTicket(t)
		if _, err := ot.svc.ChangeTicket(ctx, ot.owner, ot.id, desk.TicketChange{AssigneeID: &ot.other.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := ot.svc.ConfirmOutcome(ctx, ot.owner, ot.id, "", ""); err != nil {
			t.Fatal(err)
		}
		tk, err := ot.svc.ChangeTicket(ctx, ot.other, ot.id, desk.TicketChange{TeamID: &ot.collect.ID})
		if err != nil {
			t.Fatal(err)
		}
		if tk.ConfirmedBy != "" || !tk.ConfirmationRequired {
			t.Fatalf("after a second transfer: %+v", tk)
		}
	})
}
