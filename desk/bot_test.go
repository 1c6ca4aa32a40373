package desk_test

import (
	"context"
	"testing"

	"huiliu/desk"
)

func botFirst(o *desk.Options) { o.BotChannels = []string{"api"} }

// A ticket that starts with the bot waits outside the queues — neither
// auto-assignment nor a pull takes it — until the bot hands it off, which
// is a system entry and makes it routable at once.
func TestBotTicketsSkipRoutingUntilHandOff(t *testing.T) {
	r := newRouted(t, botFirst)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModeAuto, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	r.svc.DeskConnected(ctx, li.ID)
	id := ingest(t, r.svc, customer("C1", "查余额")).TicketID
	if tk := r.ticket(t, id); tk.Status != desk.StatusBot {
		t.Fatalf("new ticket status %s, want bot", tk.Status)
	}
	r.round(t)
	if tk := r.ticket(t, id); tk.AssigneeID != "" {
		t.Fatalf("routing assigned a bot ticket to %s", tk.AssigneeID)
	}
	if _, err := r.svc.NextTicket(ctx, li); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("a pull took a bot ticket: %v", err)
	}
	// The customer writing again keeps it with the bot.
	ingest(t, r.svc, customer("C1", "还有一个问题"))
	if tk := r.ticket(t, id); tk.Status != desk.StatusBot {
		t.Fatalf("status after a second message %s", tk.Status)
	}

	tk, err := r.svc.HandOff(ctx, id, "客户要求人工")
	if err != nil || tk.Status != desk.StatusOpen {
		t.Fatalf("hand-off: %+v %v", tk, err)
	}
	msgs, err := r.db.Messages(ctx, id, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Direction != desk.DirSystem || last.AuthorKind != desk.AuthorSystem || last.Event == nil ||
		last.Event.Action != "bot_handoff" || last.Event.Args["reason"] != "客户要求人工" {
		t.Fatalf("hand-off entry: %+v", last)
	}
	r.round(t)
	if tk := r.ticket(t, id); tk.AssigneeID != li.ID {
		t.Fatalf("handed-off ticket not routed: assignee %q", tk.AssigneeID)
	}
	if _, err := r.svc.HandOff(ctx, id, "again"); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("second hand-off: %v", err)
	}
}

// The bot's and the system's public replies are theirs on the timeline and
// in the customer's view, and never make them (or anyone) the owner; the
// first agent's reply still does.
func TestBotAndSystemPostsKeepTheirAuthorAndClaimNothing(t *testing.T) {
	svc, db := newServiceWith(t, desk.Options{BotChannels: []string{"webchat"}})
	ctx := context.Background()
	a := mkAgent(t, svc, "li@example.com", "李娜", desk.RoleAgent)
	id := ingest(t, svc, customerAsks("v1", "你好")).TicketID

	bot, _, err := svc.Post(ctx, desk.BotActor("小汇"), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "我是机器人小汇"})
	if err != nil {
		t.Fatal(err)
	}
	sys, _, err := svc.Post(ctx, desk.SystemActor("满意度调查"), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "请为本次服务打分"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := db.Ticket(ctx, id)
	if err != nil || tk.OwnerID != "" || tk.AssigneeID != "" {
		t.Fatalf("a bot or system reply claimed the ticket: %+v %v", tk, err)
	}
	for _, want := range []struct {
		id   string
		kind desk.AuthorKind
		name string
	}{{bot.ID, desk.AuthorBot, "小汇"}, {sys.ID, desk.AuthorSystem, "满意度调查"}} {
		m, err := db.Message(ctx, want.id)
		if err != nil || m.AuthorKind != want.kind || m.AuthorName != want.name || m.AuthorID != "" || m.Direction != desk.DirOut {
			t.Errorf("stored %+v %v, want %s %q", m, err, want.kind, want.name)
		}
	}
	view, err := svc.CustomerTimeline(ctx, id, 0, 10)
	if err != nil || len(view) != 3 || view[1].From != desk.AuthorBot || view[1].AuthorName != "小汇" ||
		view[2].From != desk.AuthorSystem || view[2].AuthorName != "满意度调查" {
		t.Fatalf("customer view: %+v %v", view, err)
	}
	if _, _, err := svc.Post(ctx, desk.BotActor(""), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "x"}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Errorf("a nameless bot posted: %v", err)
	}
	if _, _, err := svc.Post(ctx, desk.BotActor("小汇"), desk.PostRequest{TicketID: "missing", Kind: desk.KindReply, Text: "x"}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Errorf("a bot posted to a missing ticket: %v", err)
	}

	if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "您好，我是李娜"}); err != nil {
		t.Fatal(err)
	}
	if tk, err := db.Ticket(ctx, id); err != nil || tk.OwnerID != a.ID {
		t.Fatalf("the agent's first reply did not make the owner: %+v %v", tk, err)
	}
}
