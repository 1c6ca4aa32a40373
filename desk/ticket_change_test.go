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

func mkAgent(t *testing.T, svc *desk.Service, email, name string, role desk.Role, teams ...string) desk.Agent {
	t.Helper()
	a, err := svc.CreateAgent(context.Background(), desk.Actor{}, desk.NewAgent{Email: email, Name: name, Role: role,
		Password: "correct horse battery", Teams: teams})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func ptr[T any](v T) *T { return &v }

func TestChangeTicketRecordsEachChangeOnTheTimeline(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	han := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "c1", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-1"}, Text: "我想申请延期还款"})
	// Li answers first and so owns the request (首问负责制).
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	collections, err := db.TeamByName(ctx, "Collections")
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.ChangeTicket(ctx, li, rc.TicketID, desk.TicketChange{
		TeamID: &collections.ID, Priority: ptr(desk.PriorityHigh), AddTags: []string{" Overdue ", "overdue", "分期"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if tk.TeamID != collections.ID || tk.AssigneeID != "" || tk.OwnerID != li.ID || tk.Priority != desk.PriorityHigh ||
		!slices.Equal(tk.Tags, []string{"overdue", "分期"}) {
		t.Fatalf("after transfer: %+v", tk)
	}
	// A transfer moved the work, never the ownership; the new team's agent
	// takes it.
	tk, err = svc.ChangeTicket(ctx, han, rc.TicketID, desk.TicketChange{AssigneeID: &han.ID, Status: ptr(desk.StatusPending), RemoveTags: []string{"分期"}})
	if err != nil {
		t.Fatal(err)
	}
	if tk.AssigneeID != han.ID || tk.OwnerID != li.ID || tk.Status != desk.StatusPending || !slices.Equal(tk.Tags, []string{"overdue"}) {
		t.Fatalf("after assign: %+v", tk)
	}
	msgs, err := db.Messages(ctx, rc.TicketID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("entry %d has seq %d", i, m.Seq)
		}
		if m.Direction == desk.DirSystem {
			if m.Event == nil || m.Text == "" {
				t.Fatalf("system entry without event or text: %+v", m)
			}
			actions = append(actions, m.Event.Action)
		}
	}
	want := []string{"priority", "transfer", "unassign", "tag_add", "tag_add", "status", "assign", "tag_remove"}
	if !slices.Equal(actions, want) {
		t.Fatalf("timeline actions %v, want %v", actions, want)
	}
	if last := msgs[len(msgs)-1]; tk.LastSeq != last.Seq {
		t.Fatalf("ticket last seq %d, newest entry %d", tk.LastSeq, last.Seq)
	}
	// Nothing to change writes nothing.
	before := len(msgs)
	if _, err := svc.ChangeTicket(ctx, han, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusPending)}); err != nil {
		t.Fatal(err)
	}
	if msgs, _ = db.Messages(ctx, rc.TicketID, "", 100); len(msgs) != before {
		t.Fatalf("a no-op change wrote %d entries", len(msgs)-before)
	}
	// Li, no longer on the team, still sees the ticket as its owner.
	if _, err := svc.VisibleTicket(ctx, li, rc.TicketID); err != nil {
		t.Fatalf("owner lost sight of the ticket: %v", err)
	}
	audit, err := db.AuditLog(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range audit {
		if e.Target == rc.TicketID {
			n++
		}
	}
	if n != len(want) {
		t.Fatalf("%d audit entries for the ticket, want %d", n, len(want))
	}
}

func TestChangeTicketRefusals(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	a := mkAgent(t, svc, "a@example.com", "A", desk.RoleAgent, "Support")
	other := mkAgent(t, svc, "b@example.com", "B", desk.RoleAgent, "Legal")
	rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "r1", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-2"}, Text: "hello"})
	legal := other.TeamIDs[0]
	if _, err := svc.ChangeTicket(ctx, a, rc.TicketID, desk.TicketChange{TeamID: &legal}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		agent desk.Agent
		c     desk.TicketChange
		code  desk.Code
	}{
		{"another team's ticket", a, desk.TicketChange{Status: ptr(desk.StatusResolved)}, desk.CodeNotFound},
		{"bad status", other, desk.TicketChange{Status: ptr(desk.Status("bot"))}, desk.CodeInvalid},
		{"bad priority", other, desk.TicketChange{Priority: ptr(desk.Priority("asap"))}, desk.CodeInvalid},
		{"unknown team", other, desk.TicketChange{TeamID: ptr("nope")}, desk.CodeNotFound},
		{"unknown agent", other, desk.TicketChange{AssigneeID: ptr("nope")}, desk.CodeNotFound},
		{"comma in tag", other, desk.TicketChange{AddTags: []string{"a,b"}}, desk.CodeInvalid},
	}
	for _, c := range cases {
		_, err := svc.ChangeTicket(ctx, c.agent, rc.TicketID, c.c)
		if desk.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	if _, err := svc.ChangeTicket(ctx, other, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	_, err := svc.ChangeTicket(ctx, other, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusOpen)})
	if !errors.Is(err, desk.ErrConflict) {
		t.Fatalf("reopening a closed ticket: %v, want conflict", err)
	}
}

func TestCannedRepliesFollowTeams(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	sup := mkAgent(t, svc, "sup@example.com", "Sup", desk.RoleSupervisor)
	a := mkAgent(t, svc, "a@example.com", "A", desk.RoleAgent, "Support")
	b := mkAgent(t, svc, "b@example.com", "B", desk.RoleAgent, "Legal")
	actor := desk.Actor{Agent: &sup}
	for _, c := range []desk.CannedReply{
		{Title: "问候", Text: "您好，请问有什么可以帮您？"},
		{TeamID: a.TeamIDs[0], Title: "还款方式", Text: "您可以通过 App 还款。"},
		{TeamID: b.TeamIDs[0], Title: "律师函", Text: "..."},
	} {
		if _, err := svc.CreateCannedReply(ctx, actor, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateCannedReply(ctx, desk.Actor{Agent: &a}, desk.CannedReply{Title: "x", Text: "y"}); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("agent created a canned reply: %v", err)
	}
	if _, err := svc.CreateCannedReply(ctx, actor, desk.CannedReply{Title: " ", Text: "y"}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("blank title: %v", err)
	}
	titles := func(ag desk.Agent) []string {
		list, err := svc.CannedReplies(ctx, ag)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range list {
			out = append(out, c.Title)
		}
		slices.Sort(out)
		return out
	}
	if got := titles(a); !slices.Equal(got, []string{"还款方式", "问候"}) {
		t.Fatalf("agent A sees %v", got)
	}
	if got := titles(sup); len(got) != 3 {
		t.Fatalf("supervisor sees %v", got)
	}
	list, _ := svc.CannedReplies(ctx, b)
	for _, c := range list {
		if err := svc.DeleteCannedReply(ctx, actor, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := titles(b); len(got) != 0 {
		t.Fatalf("after delete B sees %v", got)
	}
	if err := svc.DeleteCannedReply(ctx, actor, "gone"); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("delete missing: %v", err)
	}
}

func TestSites(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	site, err := svc.CreateSite(ctx, desk.Actor{}, desk.SiteChange{Name: ptr("租机商城"),
		Origins: &[]string{"HTTPS://Shop.Example.com:443/", "http://127.0.0.1:8123"}, Greeting: ptr("您好！")})
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Key) < 10 || site.Secret != "" || !slices.Equal(site.Origins, []string{"https://shop.example.com", "http://127.0.0.1:8123"}) {
		t.Fatalf("site %+v (the secret is left out)", site)
	}
	got, err := db.SiteByKey(ctx, site.Key)
	if err != nil || len(got.Secret) < 32 || got.Greeting != "您好！" {
		t.Fatalf("by key: %v %+v", err, got)
	}
	changed, err := svc.ChangeSite(ctx, desk.Actor{}, site.ID, desk.SiteChange{HoursNote: ptr("工作日 9:00–18:00"), RotateSecret: true})
	if err != nil || changed.Secret != "" || changed.HoursNote != "工作日 9:00–18:00" || changed.Name != "租机商城" {
		t.Fatalf("change: %v %+v", err, changed)
	}
	rotated, err := svc.RevealSiteSecret(ctx, desk.Actor{}, site.ID)
	if err != nil || len(rotated.Secret) < 32 || rotated.Secret == got.Secret || rotated.PreviousSecret != "" {
		t.Fatalf("reveal after rotation: %v %+v", err, rotated)
	}
	stored, _ := db.SiteByKey(ctx, site.Key)
	if stored.PreviousSecret != got.Secret || stored.PreviousUntil.Sub(changed.PreviousUntil).Abs() >= time.Millisecond || changed.PreviousUntil.IsZero() {
		t.Fatalf("the old secret is not kept for its grace: %+v", stored)
	}
	for _, bad := range []string{"shop.example.com", "ftp://x", "https://x/path", "https://user@x"} {
		if _, err := svc.ChangeSite(ctx, desk.Actor{}, site.ID, desk.SiteChange{Origins: &[]string{bad}}); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("origin %q: %v", bad, err)
		}
	}
	if _, err := svc.CreateSite(ctx, desk.Actor{}, desk.SiteChange{}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("site without a name: %v", err)
	}
	if _, err := svc.ChangeSite(ctx, desk.Actor{}, "nope", desk.SiteChange{}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("missing site: %v", err)
	}
}

func TestInboxCounts(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	a := mkAgent(t, svc, "a@example.com", "A", desk.RoleAgent, "Support")
	sup := mkAgent(t, svc, "s@example.com", "S", desk.RoleSupervisor)
	var ids []string
	for _, v := range []string{"c1", "c2", "c3"} {
		rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: v, ThreadKey: "t",
			From: channels.Party{Kind: "api", Value: v}, Text: "hi"})
		ids = append(ids, rc.TicketID)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: ids[0], Kind: desk.KindReply, Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	legal, err := svc.CreateTeam(ctx, desk.Actor{}, "Legal")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeTicket(ctx, sup, ids[2], desk.TicketChange{TeamID: &legal.ID}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.InboxCounts(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if want := (desk.InboxCounts{Mine: 1, Unassigned: 1, Owned: 1, All: 2, Open: 2}); c != want {
		t.Fatalf("agent counts %+v, want %+v", c, want)
	}
	if c, _ = svc.InboxCounts(ctx, sup); c.All != 3 || c.Unassigned != 2 {
		t.Fatalf("supervisor counts %+v", c)
	}
}
