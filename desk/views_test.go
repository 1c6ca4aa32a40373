package desk_test

import (
	"context"
	"errors"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// An agent sees a contact only through a ticket they may see; supervisors
// see every contact. Hidden and unknown contacts give one error.
func TestContactVisibleOnlyThroughATicket(t *testing.T) {
	ot := newOwnedTicket(t)
	ctx := context.Background()
	contactID := ot.ticket(t).ContactID

	_, hiddenErr := ot.svc.Contact(ctx, ot.other, contactID)
	_, unknownErr := ot.svc.Contact(ctx, ot.other, "01J0000000000000000000NONE")
	var h, u *desk.Error
	if !errors.As(hiddenErr, &h) || !errors.As(unknownErr, &u) || h.Code != desk.CodeNotFound || h.Message != u.Message || u.Code != h.Code {
		t.Fatalf("hidden contact: %v; unknown contact: %v", hiddenErr, unknownErr)
	}
	if found, err := ot.svc.FindContacts(ctx, ot.other, desk.IdentityAPI, "cust-1"); err != nil || len(found) != 0 {
		t.Fatalf("another team's agent finds %v, %v", found, err)
	}
	if _, err := ot.svc.TicketMessages(ctx, ot.other, ot.id, "", 10); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("another team's agent reads the timeline: %v", err)
	}
	for _, a := range []desk.Agent{ot.owner, ot.super} {
		if c, err := ot.svc.Contact(ctx, a, contactID); err != nil || c.ID != contactID {
			t.Fatalf("%s cannot see the contact: %v", a.Name, err)
		}
		if found, err := ot.svc.FindContacts(ctx, a, desk.IdentityAPI, " cust-1 "); err != nil || len(found) != 1 {
			t.Fatalf("%s finds %v, %v", a.Name, found, err)
		}
	}

	// Once the ticket is theirs to see, so is its contact.
	if _, err := ot.svc.ChangeTicket(ctx, ot.super, ot.id, desk.TicketChange{TeamID: &ot.collect.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := ot.svc.Contact(ctx, ot.other, contactID); err != nil {
		t.Fatalf("Collections cannot see the contact of its ticket: %v", err)
	}
}

// Admin rules hold in desk itself, not only in the HTTP middleware.
func TestAdminMethodsCheckTheRole(t *testing.T) {
	ot := newOwnedTicket(t)
	ctx := context.Background()
	agent, sup := desk.Actor{Agent: &ot.other}, desk.Actor{Agent: &ot.super}
	for name, call := range map[string]func(desk.Actor) error{
		"agents":      func(a desk.Actor) error { _, err := ot.svc.Agents(ctx, a); return err },
		"audit":       func(a desk.Actor) error { _, err := ot.svc.AuditLog(ctx, a, "", 10); return err },
		"sites":       func(a desk.Actor) error { _, err := ot.svc.Sites(ctx, a); return err },
		"create team": func(a desk.Actor) error { _, err := ot.svc.CreateTeam(ctx, a, "Team of "+a.IP); return err },
		"rules":       func(a desk.Actor) error { _, err := ot.svc.RoutingRules(ctx, a); return err },
	} {
		for _, a := range []desk.Actor{agent, sup} {
			if err := call(a); desk.CodeOf(err) != desk.CodeForbidden {
				t.Errorf("%s by %s: %v, want forbidden", name, a.Agent.Role, err)
			}
		}
		if err := call(desk.Actor{IP: "cli"}); err != nil {
			t.Errorf("%s from the command line: %v", name, err)
		}
	}
}

// A merged contact is seen through the tickets of the contact it went into.
func TestMergedContactFollowsItsTickets(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	sup := mkAgent(t, svc, "wang@example.com", "王强", desk.RoleSupervisor)
	web := mkAgent(t, svc, "na@example.com", "李娜", desk.RoleAgent, "Web")
	far := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Far")
	team, err := db.TeamByName(ctx, "Web")
	if err != nil {
		t.Fatal(err)
	}
	link := []channels.Party{{Kind: desk.IdentityCustomerNo, Value: "C-1", Verified: true, Method: "signed_identity"}}
	w := ingest(t, svc, channels.Inbound{Channel: "webchat", ExternalID: "w1", ThreadKey: "v1",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: "visitor-1"}, Text: "hi", Links: link})
	tg := ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:1", ThreadKey: "main:5",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "5"}, Text: "hello"})
	for _, id := range []string{w.TicketID, tg.TicketID} {
		if _, err := svc.ChangeTicket(ctx, sup, id, desk.TicketChange{TeamID: &team.ID}); err != nil {
			t.Fatal(err)
		}
	}
	old := contactOf(t, db, tg.TicketID)
	ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:2", ThreadKey: "main:5",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "5"}, Text: "/start", Links: link})
	if c, _ := db.Contact(ctx, old.ID); c.MergedInto == "" {
		t.Fatal("the Telegram contact was not merged")
	}
	if c, err := svc.Contact(ctx, web, old.ID); err != nil || c.MergedInto == "" {
		t.Fatalf("the team of the tickets cannot see the merged contact: %+v %v", c, err)
	}
	if _, err := svc.Contact(ctx, far, old.ID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("another team sees the merged contact: %v", err)
	}
}
