package desk_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

// The bot files its task in one commit, each change on the timeline under
// its name; an agent cannot use the bot's door; the queue position counts
// the team's waiting tickets.
func TestFileBotTaskAndQueuePosition(t *testing.T) {
	ctx := context.Background()
	svc, db := newServiceWith(t, desk.Options{BotChannels: []string{"webchat"}})
	agent := mkAgent(t, svc, "w@example.com", "王磊", desk.RoleAgent, "催收组")
	open := func(v string) string {
		return ingest(t, svc, channels.Inbound{Channel: "webchat", ExternalID: v, ThreadKey: "s",
			From: channels.Party{Kind: desk.IdentityWebchat, Value: v}, Text: "我想申请延期"}).TicketID
	}
	id := open("v1")
	bot := desk.BotActor("小汇")
	due := time.Now().Add(24 * time.Hour)
	tk, err := svc.FileBotTask(ctx, bot, id, desk.BotTask{Category: "repayment", Tags: []string{"Repayment-Plan", "bot"},
		Priority: desk.PriorityHigh, Team: "催收组", FollowupDue: due, FollowupNote: "kind=extension"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Category != "repayment" || tk.Priority != desk.PriorityHigh || tk.TeamID != agent.TeamIDs[0] ||
		!slices.Equal(tk.Tags, []string{"repayment-plan", "bot"}) || tk.Status != desk.StatusBot {
		t.Fatalf("ticket %+v", tk)
	}
	fs, err := db.Followups(ctx, id)
	if err != nil || len(fs) != 1 || fs[0].Note != "kind=extension" {
		t.Fatalf("follow-ups %+v %v", fs, err)
	}
	msgs, err := svc.TicketMessages(ctx, agent, id, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, m := range msgs {
		if m.Event != nil {
			actions = append(actions, m.Event.Action+":"+m.Event.Args["by"])
		}
	}
	for _, want := range []string{"category:小汇", "priority:小汇", "tag_add:小汇", "transfer:小汇", "followup_set:小汇"} {
		if !slices.Contains(actions, want) {
			t.Errorf("timeline lacks %s: %v", want, actions)
		}
	}
	_, err = svc.FileBotTask(ctx, desk.AgentActor(agent), id, desk.BotTask{Category: "x"})
	if de := (*desk.Error)(nil); !errors.As(err, &de) || de.Code != desk.CodeForbidden {
		t.Fatalf("an agent filed a bot task: %v", err)
	}
	if _, err := svc.FileBotTask(ctx, bot, id, desk.BotTask{Priority: "asap"}); err == nil {
		t.Fatal("a bad priority was accepted")
	}
	// Waiting with the bot: not in any queue.
	if n, err := svc.QueuePosition(ctx, id); err != nil || n != 0 {
		t.Fatalf("position with the bot: %d %v", n, err)
	}
	if _, err := svc.HandOff(ctx, id, "test"); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.QueuePosition(ctx, id); err != nil || n != 1 {
		t.Fatalf("first in the queue: %d %v", n, err)
	}
	id2 := open("v2")
	if _, err := svc.FileBotTask(ctx, bot, id2, desk.BotTask{Team: "催收组"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.HandOff(ctx, id2, "test"); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.QueuePosition(ctx, id2); err != nil || n != 2 {
		t.Fatalf("second in the queue: %d %v", n, err)
	}
}
