package desk_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

// fakeClock is a settable clock for the service.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func complaintService(t *testing.T, now time.Time) (*desk.Service, desk.Store, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: now}
	svc, db := newServiceWith(t, desk.Options{Now: clk.Now, Observers: []desk.Observer{desk.NewComplaintWatcher()}})
	return svc, db, clk
}

func customerWrites(t *testing.T, svc *desk.Service, who, id, text string) string {
	t.Helper()
	return ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: id, ThreadKey: who,
		From: channels.Party{Kind: "api", Value: who}, Text: text}).TicketID
}

func actions(t *testing.T, db desk.Store, ticketID string) []string {
	t.Helper()
	msgs, err := db.Messages(context.Background(), ticketID, "", 200)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.Event != nil {
			out = append(out, m.Event.Action)
		}
	}
	return out
}

func TestFileComplaintByAgentAndBot(t *testing.T) {
	svc, db, _ := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	id := customerWrites(t, svc, "cust-1", "m1", "押金一直不退，电话 13812345678")

	c, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{Severity: desk.SeverityHigh,
		Summary: "押金未退，客户电话 13812345678", Wants: "退还押金"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != desk.SourceCustomer || c.Status != desk.ComplaintOpen || c.OwnerID != li.ID || c.AcceptedAt == nil ||
		c.FiledBy != li.ID || c.DeadlineFirstResponse == nil || c.DeadlineResolution == nil || c.PolicyID == "" {
		t.Fatalf("filed complaint %+v", c)
	}
	if strings.Contains(c.Summary, "13812345678") {
		t.Fatalf("summary not masked for the agent: %q", c.Summary)
	}
	tk, err := db.Ticket(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Category != desk.CategoryComplaint || !slices.Contains(tk.Tags, desk.TagComplaint) || tk.Priority != desk.PriorityHigh {
		t.Fatalf("ticket after filing: %+v", tk)
	}
	if got := actions(t, db, id); !slices.Contains(got, "complaint_filed") {
		t.Fatalf("timeline %v has no complaint_filed", got)
	}
	if _, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{}); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("filing twice: %v", err)
	}
	// The default policy was put in place once, editable like any other.
	ps, err := db.SLAPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Name != desk.ComplaintPolicyName || ps[0].Category != desk.CategoryComplaint {
		t.Fatalf("policies %+v", ps)
	}

	// The bot files for a ticket nobody owns yet: awaiting acceptance.
	id2 := customerWrites(t, svc, "cust-2", "m2", "我要投诉")
	c2, err := svc.FileComplaint(ctx, desk.BotActor("小汇"), id2, desk.ComplaintInput{Source: desk.SourceRegulator, RegulatorRef: "12315"})
	if err != nil {
		t.Fatal(err)
	}
	if c2.OwnerID != "" || c2.AcceptedAt != nil || c2.FiledBy != "bot:小汇" || c2.RegulatorRef != "12315" {
		t.Fatalf("bot-filed complaint %+v", c2)
	}
	c2, err = svc.AcceptComplaint(ctx, li, id2)
	if err != nil {
		t.Fatal(err)
	}
	if c2.OwnerID != li.ID || c2.AcceptedAt == nil {
		t.Fatalf("accepted complaint %+v", c2)
	}

	// Bad input is refused with what is wrong and nothing is stored.
	id3 := customerWrites(t, svc, "cust-3", "m3", "hello")
	for _, in := range []desk.ComplaintInput{{Source: "press"}, {Severity: "extreme"}, {RegulatorRef: "12315"},
		{Summary: strings.Repeat("长", 2001)}} {
		if _, err := svc.FileComplaint(ctx, desk.AgentActor(li), id3, in); desk.CodeOf(err) != desk.CodeInvalid {
			t.Fatalf("input %+v: %v", in, err)
		}
	}
	if _, err := db.Complaint(ctx, id3); err == nil {
		t.Fatal("a refused filing stored a row")
	}

	// Another team's agent cannot file on (or see) a ticket of a team.
	support, err := db.TeamByName(ctx, "Support")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeTicket(ctx, li, id3, desk.TicketChange{TeamID: &support.ID}); err != nil {
		t.Fatal(err)
	}
	han := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	if _, err := svc.FileComplaint(ctx, desk.AgentActor(han), id3, desk.ComplaintInput{}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("stranger filing: %v", err)
	}
}

func TestComplaintDeadlinesCountWorkingDays(t *testing.T) {
	cases := []struct {
		name                string
		filed, first, solve time.Time
	}{
		// Friday evening before the Spring Festival: Saturday 14 Feb is a
		// make-up workday, 15–23 Feb are holidays.
		{"before spring festival", time.Date(2026, 2, 13, 20, 0, 0, 0, shanghai),
			time.Date(2026, 2, 14, 20, 0, 0, 0, shanghai), time.Date(2026, 2, 27, 20, 0, 0, 0, shanghai)},
		// Evening before National Day: 1–7 Oct off, Saturday 10 Oct a
		// make-up workday that counts, Sunday 11 Oct not.
		{"before national day", time.Date(2026, 9, 30, 20, 0, 0, 0, shanghai),
			time.Date(2026, 10, 8, 20, 0, 0, 0, shanghai), time.Date(2026, 10, 13, 20, 0, 0, 0, shanghai)},
		// A Saturday that is no workday counts from Monday.
		{"weekend", time.Date(2026, 3, 7, 11, 0, 0, 0, shanghai),
			time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai), time.Date(2026, 3, 14, 0, 0, 0, 0, shanghai)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, _ := complaintService(t, tc.filed)
			id := customerWrites(t, svc, "c", "m", "投诉")
			c, err := svc.FileComplaint(context.Background(), desk.SystemActor("test"), id, desk.ComplaintInput{})
			if err != nil {
				t.Fatal(err)
			}
			if !c.DeadlineFirstResponse.Equal(tc.first) || !c.DeadlineResolution.Equal(tc.solve) {
				t.Fatalf("deadlines %v / %v, want %v / %v", c.DeadlineFirstResponse.In(shanghai), c.DeadlineResolution.In(shanghai), tc.first, tc.solve)
			}
		})
	}
}

func TestComplaintDeadlinesFollowTheEditedPolicyAndTheRegulator(t *testing.T) {
	filed := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai) // a Monday
	svc, db, _ := complaintService(t, filed)
	ctx := context.Background()
	id := customerWrites(t, svc, "c1", "m1", "投诉")
	if _, err := svc.FileComplaint(ctx, desk.SystemActor("test"), id, desk.ComplaintInput{}); err != nil {
		t.Fatal(err)
	}
	ps, err := db.SLAPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := ps[0]
	p.Resolution = desk.SLADuration(3 * 24 * time.Hour)
	if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, p); err != nil {
		t.Fatal(err)
	}
	id2 := customerWrites(t, svc, "c2", "m2", "投诉")
	c, err := svc.FileComplaint(ctx, desk.SystemActor("test"), id2, desk.ComplaintInput{})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 5, 10, 0, 0, 0, shanghai); !c.DeadlineResolution.Equal(want) {
		t.Fatalf("resolution deadline %v, want %v (edited policy)", c.DeadlineResolution, want)
	}
	// A regulator's stricter deadline wins; a later one does not.
	id3 := customerWrites(t, svc, "c3", "m3", "12378 转来的投诉")
	due := time.Date(2026, 3, 3, 18, 0, 0, 0, shanghai)
	c, err = svc.FileComplaint(ctx, desk.SystemActor("test"), id3, desk.ComplaintInput{Source: desk.SourceRegulator, RegulatorRef: "12378", RegulatorDue: due})
	if err != nil {
		t.Fatal(err)
	}
	if !c.DeadlineResolution.Equal(due) || !c.RegulatorDue.Equal(due) {
		t.Fatalf("regulator referral deadlines %+v", c)
	}
	// Deleting the default policy is respected: it does not come back.
	if err := svc.DeleteSLAPolicy(ctx, desk.Actor{}, p.ID); err != nil {
		t.Fatal(err)
	}
	id4 := customerWrites(t, svc, "c4", "m4", "投诉")
	c, err = svc.FileComplaint(ctx, desk.SystemActor("test"), id4, desk.ComplaintInput{})
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := db.SLAPolicies(ctx); len(ps) != 0 || c.DeadlineResolution != nil || c.PolicyID != "" {
		t.Fatalf("after deleting the policy: %d policies, complaint %+v", len(ps), c)
	}
}

func TestComplaintFollowsItsTicket(t *testing.T) {
	svc, db, clk := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	id := customerWrites(t, svc, "c1", "m1", "我要投诉你们")
	if _, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{}); err != nil {
		t.Fatal(err)
	}
	// A note is no response; a public reply is.
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: id, Kind: desk.KindNote, Text: "查一下"}); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Complaint(ctx, id); c.Status != desk.ComplaintOpen || c.FirstResponseAt != nil {
		t.Fatalf("after a note: %+v", c)
	}
	clk.Set(clk.Now().Add(time.Hour))
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "已受理，24小时内回复"}); err != nil {
		t.Fatal(err)
	}
	c, _ := db.Complaint(ctx, id)
	if c.Status != desk.ComplaintResponded || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(clk.Now()) {
		t.Fatalf("after the reply: %+v", c)
	}
	if _, err := svc.ChangeTicket(ctx, li, id, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Complaint(ctx, id)
	if c.Status != desk.ComplaintResolved || c.ResolvedAt == nil {
		t.Fatalf("after resolving: %+v", c)
	}
	// The customer writes again: the ticket reopens and so does the complaint.
	customerWrites(t, svc, "c1", "m2", "还是没解决")
	c, _ = db.Complaint(ctx, id)
	if c.Status != desk.ComplaintResponded || c.ResolvedAt != nil {
		t.Fatalf("after reopening: %+v", c)
	}
	// A transfer moves the complaint to the team that answers for it.
	collections := mkTeam(t, svc, db, "Collections")
	if _, err := svc.ChangeTicket(ctx, li, id, desk.TicketChange{TeamID: &collections}); err != nil {
		t.Fatal(err)
	}
	if c, _ = db.Complaint(ctx, id); c.TeamID != collections {
		t.Fatalf("after the transfer: %+v", c)
	}
}

func mkTeam(t *testing.T, svc *desk.Service, db desk.Store, name string) string {
	t.Helper()
	mkAgent(t, svc, strings.ToLower(name)+"@example.com", name+" lead", desk.RoleAgent, name)
	tm, err := db.TeamByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tm.ID
}

func TestWithdrawComplaint(t *testing.T) {
	svc, db, _ := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	han := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Support")
	boss := mkAgent(t, svc, "boss@example.com", "王主管", desk.RoleSupervisor)
	id := customerWrites(t, svc, "c1", "m1", "投诉")
	if _, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{Source: desk.SourceRegulator, RegulatorRef: "12315"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.WithdrawComplaint(ctx, han, id, "误会"); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("another agent withdrawing: %v", err)
	}
	if _, err := svc.WithdrawComplaint(ctx, li, id, "误会"); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("the owner withdrawing a regulator referral: %v", err)
	}
	if _, err := svc.WithdrawComplaint(ctx, boss, id, " "); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("withdrawing without a reason: %v", err)
	}
	c, err := svc.WithdrawComplaint(ctx, boss, id, "客户只是咨询")
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != desk.ComplaintWithdrawn || c.WithdrawnBy != boss.ID || c.WithdrawnReason != "客户只是咨询" || c.WithdrawnAt == nil {
		t.Fatalf("withdrawn %+v", c)
	}
	tk, _ := db.Ticket(ctx, id)
	if tk.Category != "" || slices.Contains(tk.Tags, desk.TagComplaint) {
		t.Fatalf("ticket after withdrawal %+v", tk)
	}
	if got := actions(t, db, id); !slices.Contains(got, "complaint_withdrawn") {
		t.Fatalf("timeline %v", got)
	}
	audit, err := db.AuditLog(ctx, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(audit, func(e desk.AuditEntry) bool {
		return e.Action == "ticket.complaint_withdrawn" && e.ActorID == boss.ID && e.Target == id
	}) {
		t.Fatal("no audit entry of the withdrawal")
	}
	// Filed again later, it is a complaint afresh.
	if c, err = svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{}); err != nil || c.Status != desk.ComplaintOpen || c.WithdrawnAt != nil {
		t.Fatalf("refiled: %+v %v", c, err)
	}
}

func TestSuspectedComplaintsAreFlaggedNotFiled(t *testing.T) {
	svc, db, _ := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	quiet := customerWrites(t, svc, "c0", "m0", "不是投诉，只是问一下还款日")
	id := customerWrites(t, svc, "c1", "m1", "再不退押金我就打12315投訴")
	tw := customerWrites(t, svc, "c2", "m2", "我會請律師處理")

	if tk, _ := db.Ticket(ctx, quiet); slices.Contains(tk.Tags, desk.TagComplaintSuspected) {
		t.Fatalf("a negated message was flagged: %v", tk.Tags)
	}
	for _, tid := range []string{id, tw} {
		tk, _ := db.Ticket(ctx, tid)
		if !slices.Contains(tk.Tags, desk.TagComplaintSuspected) || tk.Category == desk.CategoryComplaint {
			t.Fatalf("ticket %s: tags %v category %q", tid, tk.Tags, tk.Category)
		}
		if _, err := db.Complaint(ctx, tid); err == nil {
			t.Fatal("the detector filed a complaint by itself")
		}
		if got := actions(t, db, tid); !slices.Contains(got, "complaint_suspected") {
			t.Fatalf("timeline %v", got)
		}
	}
	// Dismissed, later messages do not flag it again.
	tk, err := svc.DismissComplaintSuspicion(ctx, li, tw)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(tk.Tags, desk.TagComplaintSuspected) || !slices.Contains(tk.Tags, desk.TagComplaintDismissed) {
		t.Fatalf("after dismissal %v", tk.Tags)
	}
	customerWrites(t, svc, "c2", "m3", "我要起訴你們")
	if tk, _ := db.Ticket(ctx, tw); slices.Contains(tk.Tags, desk.TagComplaintSuspected) {
		t.Fatal("a dismissed ticket was flagged again")
	}
	if _, err := svc.DismissComplaintSuspicion(ctx, li, quiet); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("dismissing an unflagged ticket: %v", err)
	}
	// Confirming files it and the suspicion goes.
	if _, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{Source: desk.SourceRegulator, RegulatorRef: "12315"}); err != nil {
		t.Fatal(err)
	}
	if tk, _ := db.Ticket(ctx, id); slices.Contains(tk.Tags, desk.TagComplaintSuspected) || !slices.Contains(tk.Tags, desk.TagComplaint) {
		t.Fatalf("after confirming %v", tk.Tags)
	}
}

func TestComplaintRegister(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	svc, _, clk := complaintService(t, start)
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	han := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	boss := mkAgent(t, svc, "boss@example.com", "王主管", desk.RoleSupervisor)
	teamOf := func(a desk.Agent) string { return a.TeamIDs[0] }
	file := func(who string, a desk.Agent, in desk.ComplaintInput) string {
		clk.Set(clk.Now().Add(time.Hour))
		id := customerWrites(t, svc, who, who, "投诉 "+who)
		if _, err := svc.ChangeTicket(ctx, boss, id, desk.TicketChange{TeamID: ptr(teamOf(a))}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FileComplaint(ctx, desk.AgentActor(a), id, in); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := file("a", li, desk.ComplaintInput{Severity: desk.SeverityCritical})
	b := file("b", li, desk.ComplaintInput{Source: desk.SourceSocial})
	c := file("c", han, desk.ComplaintInput{Source: desk.SourceRegulator, RegulatorRef: "12378"})
	ids := func(cs []desk.Complaint, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.TicketID)
		}
		return out
	}
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{})); !slices.Equal(got, []string{a, b, c}) {
		t.Fatalf("supervisor sees %v, want %v by deadline", got, []string{a, b, c})
	}
	if got := ids(svc.Complaints(ctx, li, desk.ComplaintFilter{})); !slices.Equal(got, []string{a, b}) {
		t.Fatalf("Support's agent sees %v", got)
	}
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{Source: desk.SourceRegulator})); !slices.Equal(got, []string{c}) {
		t.Fatalf("regulator filter %v", got)
	}
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{Severity: desk.SeverityCritical})); !slices.Equal(got, []string{a}) {
		t.Fatalf("severity filter %v", got)
	}
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{Sort: "created"})); !slices.Equal(got, []string{c, b, a}) {
		t.Fatalf("newest first %v", got)
	}
	// a is answered; a day and a half later b and c are past their first
	// response deadline, a is not past its resolution one.
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: a, Kind: desk.KindReply, Text: "已受理"}); err != nil {
		t.Fatal(err)
	}
	clk.Set(start.Add(36 * time.Hour))
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{Overdue: true})); !slices.Equal(got, []string{b, c}) {
		t.Fatalf("overdue %v", got)
	}
	if got := ids(svc.Complaints(ctx, boss, desk.ComplaintFilter{Status: []desk.ComplaintStatus{desk.ComplaintResponded}})); !slices.Equal(got, []string{a}) {
		t.Fatalf("responded %v", got)
	}
	if _, err := svc.Complaints(ctx, boss, desk.ComplaintFilter{Sort: "random"}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("bad sort: %v", err)
	}
}

func TestUpdateComplaint(t *testing.T) {
	svc, db, _ := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	han := mkAgent(t, svc, "han@example.com", "韩梅梅", desk.RoleAgent)
	id := customerWrites(t, svc, "c1", "m1", "投诉")
	filed, err := svc.FileComplaint(ctx, desk.AgentActor(li), id, desk.ComplaintInput{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.UpdateComplaint(ctx, li, id, desk.ComplaintUpdate{Severity: ptr(desk.SeverityCritical), Summary: ptr("  押金  "), OwnerID: &han.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.Severity != desk.SeverityCritical || c.Summary != "押金" || c.OwnerID != han.ID ||
		!c.DeadlineResolution.Equal(*filed.DeadlineResolution) || !c.AcceptedAt.Equal(*filed.AcceptedAt) {
		t.Fatalf("updated %+v", c)
	}
	if got := actions(t, db, id); got[len(got)-1] != "complaint_changed" {
		t.Fatalf("timeline %v", got)
	}
	for _, u := range []desk.ComplaintUpdate{{Severity: ptr(desk.Severity("huge"))}, {OwnerID: ptr("")}, {OwnerID: ptr("nobody")},
		{RegulatorRef: ptr("12315")}} {
		if _, err := svc.UpdateComplaint(ctx, li, id, u); desk.CodeOf(err) != desk.CodeInvalid && desk.CodeOf(err) != desk.CodeNotFound {
			t.Fatalf("update %+v: %v", u, err)
		}
	}
	if _, err := svc.AcceptComplaint(ctx, li, id); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("accepting another's complaint: %v", err)
	}
	if _, err := svc.WithdrawComplaint(ctx, han, id, "重复登记"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateComplaint(ctx, han, id, desk.ComplaintUpdate{Severity: ptr(desk.SeverityLow)}); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("updating a withdrawn complaint: %v", err)
	}
}

func TestConcurrentFilingsRegisterOneComplaint(t *testing.T) {
	svc, db, _ := complaintService(t, time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai))
	ctx := context.Background()
	id := customerWrites(t, svc, "c1", "m1", "投诉")
	// The defaults are made once before the race, as on a running desk.
	if _, err := svc.FileComplaint(ctx, desk.SystemActor("warm-up"), customerWrites(t, svc, "c0", "m0", "hi"), desk.ComplaintInput{}); err != nil {
		t.Fatal(err)
	}
	const n = 5
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := svc.FileComplaint(ctx, desk.SystemActor("race"), id, desk.ComplaintInput{})
			errs <- err
		}()
	}
	ok := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			ok++
		case desk.CodeOf(err) != desk.CodeConflict:
			t.Fatalf("filing: %v", err)
		}
	}
	filed := 0
	for _, a := range actions(t, db, id) {
		if a == "complaint_filed" {
			filed++
		}
	}
	if ok != 1 || filed != 1 {
		t.Fatalf("%d filings succeeded, %d timeline entries; want one", ok, filed)
	}
}
