package desk_test

import (
	"context"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// From inside a conversation the check also says whether the agent handles
// it; a real agent of another conversation, a former agent and an unknown
// number answer with the same shape and tell nothing more.
func TestCheckEmployeeNoInConversation(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t)
	mk := func(email string) desk.Agent {
		a, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: email, Name: email, Role: desk.RoleAgent, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	mine, other, former := mk("mine@example.com"), mk("other@example.com"), mk("former@example.com")
	chat := func(from, text string) string {
		rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: from, ThreadKey: "t", From: channels.Party{Kind: desk.IdentityAPI, Value: from}, Text: text})
		return rc.TicketID
	}
	myTicket, otherTicket := chat("me", "在吗"), chat("someone", "你好")
	for _, p := range []struct {
		a      desk.Agent
		ticket string
	}{{mine, myTicket}, {other, otherTicket}, {former, myTicket}} {
		if _, _, err := svc.Post(ctx, desk.AgentActor(p.a), desk.PostRequest{TicketID: p.ticket, Kind: desk.KindReply, Text: "您好"}); err != nil && p.a.ID != former.ID {
			t.Fatal(err)
		}
	}
	off := false
	if _, err := svc.ChangeAgent(ctx, desk.Actor{}, former.ID, desk.AgentChange{Active: &off}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, no, ticket string
		want             desk.AgentCheck
	}{
		{"my agent", mine.EmployeeNo, myTicket, desk.AgentCheck{Current: true, Handling: true}},
		{"my agent, typed loosely", " " + mine.EmployeeNo[:2] + " " + mine.EmployeeNo[2:], myTicket, desk.AgentCheck{Current: true, Handling: true}},
		{"an agent of another conversation", other.EmployeeNo, myTicket, desk.AgentCheck{Current: true}},
		{"a former agent", former.EmployeeNo, myTicket, desk.AgentCheck{}},
		{"an unknown number", "HL000000", myTicket, desk.AgentCheck{}},
		{"outside a conversation", mine.EmployeeNo, "", desk.AgentCheck{Current: true}},
		{"a ticket that does not exist", mine.EmployeeNo, "01J0000000000000000000NONE", desk.AgentCheck{Current: true}},
	} {
		got, err := svc.CheckEmployeeNoIn(ctx, tt.no, "203.0.113.9", tt.ticket)
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v %v, want %+v", tt.name, got, err, tt.want)
		}
	}
}
