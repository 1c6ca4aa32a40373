package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
)

// A resolved ticket shows in the customer's view as a resolved entry (not
// who resolved it); "start over" opens a new ticket instead of reopening.
func TestChatResolvedAndNewConversation(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	a := mkAgent(t, svc, "li@example.com", "李娜", desk.RoleAgent)
	first := ingest(t, svc, customerAsks("v1", "你好")).TicketID
	resolved := desk.StatusResolved
	if _, err := svc.ChangeTicket(ctx, a, first, desk.TicketChange{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	tl, err := svc.CustomerTimeline(ctx, first, 0, 50)
	if err != nil || len(tl) != 2 || tl[1].Kind != desk.MessageKindResolved || tl[1].From != desk.AuthorSystem ||
		tl[1].Text != "" || tl[1].AuthorName != "" {
		t.Fatalf("customer view after resolve: %+v %v", tl, err)
	}
	// Without asking, a message reopens it (within the window).
	if id := ingest(t, svc, customerAsks("v1", "还有一个问题")).TicketID; id != first {
		t.Fatalf("a plain message opened %s instead of reopening %s", id, first)
	}
	if _, err := svc.ChangeTicket(ctx, a, first, desk.TicketChange{Status: &resolved}); err != nil {
		t.Fatal(err)
	}
	in := customerAsks("v1", "新的问题")
	in.NewConversation = true
	second := ingest(t, svc, in).TicketID
	if second == first {
		t.Fatal("a new conversation reopened the resolved ticket")
	}
	if id, err := svc.ConversationTicket(ctx, desk.IdentityWebchat, "v1", "webchat", "site"); err != nil || id != second {
		t.Fatalf("the conversation is %q %v, want the new ticket", id, err)
	}
	// Asking on an open ticket changes nothing.
	in = customerAsks("v1", "补充")
	in.NewConversation = true
	if id := ingest(t, svc, in).TicketID; id != second {
		t.Fatalf("start over on an open ticket opened %s", id)
	}
}

// The chat's state: the place in the team's queue, and out of the hours of
// the ticket's calendar the next opening; a callback left then is a
// follow-up due at the opening, with an entry agents see.
func TestChatStateAndCallback(t *testing.T) {
	// Friday 2026-03-06 19:00 in Shanghai: closed until Monday 09:00.
	clk := &fakeClock{t: time.Date(2026, 3, 6, 19, 0, 0, 0, shanghai)}
	svc, db := newServiceWith(t, desk.Options{Now: clk.Now})
	ctx := context.Background()
	team := mkTeam(t, svc, db, "Support")
	cal, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "office", Timezone: "Asia/Shanghai",
		Hours: map[string]string{"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00", "fri": "09:00-18:00"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, desk.SLAPolicy{Name: "chat", TeamID: team, CalendarID: cal.ID,
		FirstResponse: desk.SLADuration(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range []string{"v1", "v2"} {
		id := ingest(t, svc, customerAsks(v, "在吗")).TicketID
		if _, err := svc.ChangeTicket(ctx, mustAgent(t, svc, db), id, desk.TicketChange{TeamID: &team}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	monday9 := time.Date(2026, 3, 9, 9, 0, 0, 0, shanghai)
	st, err := svc.ChatState(ctx, ids[1])
	if err != nil || st.Queue != 2 || st.Open || !st.NextOpen.Equal(monday9) || st.Status != desk.StatusOpen {
		t.Fatalf("second in line, out of hours: %+v %v", st, err)
	}
	clk.Set(time.Date(2026, 3, 9, 10, 0, 0, 0, shanghai))
	if st, err = svc.ChatState(ctx, ids[0]); err != nil || st.Queue != 1 || !st.Open || !st.NextOpen.IsZero() {
		t.Fatalf("first in line, open: %+v %v", st, err)
	}
	// A ticket without a team waits for nobody's queue and, no policy
	// matching it, has no hours.
	lone := ingest(t, svc, customerAsks("v3", "hi")).TicketID
	if st, err = svc.ChatState(ctx, lone); err != nil || st.Queue != 0 || !st.Open {
		t.Fatalf("no team: %+v %v", st, err)
	}

	clk.Set(time.Date(2026, 3, 6, 20, 0, 0, 0, shanghai))
	if err := svc.ChatCallback(ctx, ids[1], "李雷\n", "+8613800138000"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"a\nb", strings.Repeat("名", 65)} {
		if err := svc.ChatCallback(ctx, ids[1], bad, "+8613800138000"); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("name %q: %v", bad, err)
		}
	}
	if err := svc.ChatCallback(ctx, ids[1], "李雷", ""); desk.CodeOf(err) != desk.CodeInvalid {
		t.Errorf("no number: %v", err)
	}
	fs, err := db.Followups(ctx, ids[1])
	if err != nil || len(fs) != 1 || fs[0].Kind != desk.FollowupCallback || !fs[0].DueAt.Equal(monday9) ||
		!strings.Contains(fs[0].Note, "+8613800138000") || !strings.Contains(fs[0].Note, "李雷") {
		t.Fatalf("follow-ups %+v %v", fs, err)
	}
	msgs, err := db.MessagesAfterSeq(ctx, ids[1], 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Event == nil || last.Event.Action != "callback_requested" || last.Event.Args["number"] != "+8613800138000" || last.Event.Args["name"] != "李雷" {
		t.Fatalf("the ticket's last entry: %+v", last)
	}
	if tl, _ := svc.CustomerTimeline(ctx, ids[1], 0, 50); len(tl) != 1 {
		t.Fatalf("the callback entry reached the customer's view: %+v", tl)
	}
}

// mustAgent is a supervisor who may move any ticket.
func mustAgent(t *testing.T, svc *desk.Service, db desk.Store) desk.Agent {
	t.Helper()
	if a, err := db.AgentByEmail(context.Background(), "boss@example.com"); err == nil {
		return a
	}
	return mkAgent(t, svc, "boss@example.com", "王主管", desk.RoleSupervisor)
}
