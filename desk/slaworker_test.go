package desk_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

// slaClock is the SLA tests' time; it moves only when told.
type slaClock struct{ ns atomic.Int64 }

func newSLAClock(at time.Time) *slaClock {
	c := &slaClock{}
	c.ns.Store(at.UnixNano())
	return c
}
func (c *slaClock) Now() time.Time   { return time.Unix(0, c.ns.Load()).UTC() }
func (c *slaClock) Set(at time.Time) { c.ns.Store(at.UnixNano()) }

var cstZone, _ = time.LoadLocation("Asia/Shanghai")

func cstAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cstZone)
	if err != nil {
		panic(err)
	}
	return t
}

func slaPolicy(t *testing.T, svc *desk.Service) desk.SLAPolicy {
	t.Helper()
	p, err := svc.PutSLAPolicy(context.Background(), desk.Actor{}, desk.SLAPolicy{
		Name: "standard", CalendarID: desk.CalendarCNMainland, FirstResponse: desk.SLADuration(2 * time.Hour),
		NextResponse: desk.SLADuration(time.Hour), Resolution: desk.SLADuration(16 * time.Hour),
		Ladder: []desk.EscalationStep{
			{Target: desk.TargetFirstResponse, Percent: 80, Notify: []string{"owner", "assignee"}},
			{Target: desk.TargetFirstResponse, AfterBreach: desk.SLADuration(30 * time.Minute),
				Notify: []string{"supervisors"}, RaisePriority: true, Tag: "SLA-Breached"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func slaEntries(t *testing.T, db desk.Store, ticketID, action string) []desk.Message {
	t.Helper()
	msgs, err := db.MessagesAfterSeq(context.Background(), ticketID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Message
	for _, m := range msgs {
		if m.Event != nil && m.Event.Action == action {
			out = append(out, m)
		}
	}
	return out
}

func targetView(t *testing.T, v desk.SLAView, target string) desk.SLATargetView {
	t.Helper()
	for _, tv := range v.Targets {
		if tv.Target == target {
			return tv
		}
	}
	t.Fatalf("no %s in %+v", target, v)
	return desk.SLATargetView{}
}

func TestSLAEscalationLadderOnceAcrossTwoWorkers(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-09-30 11:00"))
	timers := memory.New().Timers("sla")
	w1, w2 := desk.NewSLAWorker(timers), desk.NewSLAWorker(timers)
	svc1 := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w1}})
	desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w2}}) // the second node
	slaPolicy(t, svc1)
	sup := mkAgent(t, svc1, "sup@example.com", "王主管", desk.RoleSupervisor)

	rc := ingest(t, svc1, channels.Inbound{Channel: "api", ExternalID: "s1", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-sla"}, Text: "还款日能改吗"})
	w1.Flush(ctx)
	v, err := svc1.TicketSLA(ctx, sup, rc.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	fr := targetView(t, v, desk.TargetFirstResponse)
	if fr.State != desk.SLARunning || fr.DueAt == nil || !fr.DueAt.Equal(cstAt("2026-09-30 14:30")) || fr.AtRisk {
		t.Fatalf("first response after ingest: %+v", fr)
	}
	if n, _ := timers.Len(ctx); n != 1 {
		t.Fatalf("timers = %d, want the ticket's next step", n)
	}

	// 80 % of 2h falls at 14:06, after the lunch break.
	clock.Set(cstAt("2026-09-30 14:05"))
	if err := w1.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_escalation"); len(got) != 0 {
		t.Fatalf("escalated early: %+v", got)
	}
	clock.Set(cstAt("2026-09-30 14:06"))
	if err := w1.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_escalation"); len(got) != 1 || got[0].Event.Args["level"] != "warning" {
		t.Fatalf("after 80%%: %+v", got)
	}
	v, _ = svc1.TicketSLA(ctx, sup, rc.TicketID)
	if fr := targetView(t, v, desk.TargetFirstResponse); !fr.AtRisk || fr.State != desk.SLARunning {
		t.Fatalf("at 80%%: %+v", fr)
	}

	// Breach + 30 min: both nodes act on the same instant at once.
	clock.Set(cstAt("2026-09-30 15:00"))
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, w := range []*desk.SLAWorker{w1, w2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.Sync(ctx, rc.TicketID)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := slaEntries(t, db, rc.TicketID, "sla_escalation")
	if len(got) != 2 || got[1].Event.Args["level"] != "breached" || got[1].Event.Args["step"] != "2" {
		t.Fatalf("after breach: %+v", got)
	}
	// What the step did is recorded part by part, for desks to translate.
	if a := got[1].Event.Args; a["raised_to"] != string(desk.PriorityHigh) || a["tagged"] != "sla-breached" || a["notified"] != "supervisors" {
		t.Fatalf("breach step arguments: %+v", a)
	}
	tk, err := db.Ticket(ctx, rc.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Priority != desk.PriorityHigh || strings.Join(tk.Tags, ",") != "sla-breached" {
		t.Fatalf("ticket after breach step: priority %s tags %v (raised once, tagged once)", tk.Priority, tk.Tags)
	}
	audit, err := db.AuditLog(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range audit {
		if e.Action == "ticket.sla_escalation" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("audit has %d escalation entries, want 2", n)
	}
	v, _ = svc1.TicketSLA(ctx, sup, rc.TicketID)
	if fr := targetView(t, v, desk.TargetFirstResponse); fr.State != desk.SLABreached || fr.Remaining >= 0 {
		t.Fatalf("breached view: %+v", fr)
	}
	// A stale timer for the same ticket finds nothing left to do.
	if err := timers.Schedule(ctx, rc.TicketID, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := w2.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_escalation"); len(got) != 2 {
		t.Fatalf("a stale timer acted again: %d entries", len(got))
	}
}

func TestSLAPendingPausesAndReplyMeets(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-16 09:00"))
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w}})
	slaPolicy(t, svc)
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	in := channels.Inbound{Channel: "api", ExternalID: "p1", ThreadKey: "t", From: channels.Party{Kind: "api", Value: "cust-p"}, Text: "账单有误"}
	rc := ingest(t, svc, in)
	clock.Set(cstAt("2026-11-16 10:00"))
	if _, err := svc.ChangeTicket(ctx, li, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusPending)}); err != nil {
		t.Fatal(err)
	}
	w.Flush(ctx)
	clock.Set(cstAt("2026-11-16 15:00"))
	v, _ := svc.TicketSLA(ctx, li, rc.TicketID)
	if fr := targetView(t, v, desk.TargetFirstResponse); fr.State != desk.SLAPaused || fr.Remaining != desk.SLADuration(time.Hour) {
		t.Fatalf("pending: %+v", fr)
	}
	in.ExternalID, in.Text = "p2", "还在吗"
	ingest(t, svc, in) // reopens the pending ticket
	w.Flush(ctx)
	v, _ = svc.TicketSLA(ctx, li, rc.TicketID)
	if fr := targetView(t, v, desk.TargetFirstResponse); fr.State != desk.SLARunning || !fr.DueAt.Equal(cstAt("2026-11-16 16:00")) {
		t.Fatalf("resumed: %+v", fr)
	}
	// A promised call-back; the reply keeps the promise and meets the target.
	f, err := svc.AddFollowup(ctx, li, rc.TicketID, cstAt("2026-11-16 15:30"), "回电确认")
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(cstAt("2026-11-16 15:20"))
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好，已核实"}); err != nil {
		t.Fatal(err)
	}
	w.Flush(ctx)
	v, _ = svc.TicketSLA(ctx, li, rc.TicketID)
	if fr := targetView(t, v, desk.TargetFirstResponse); fr.State != desk.SLAMet || fr.MetAt == nil {
		t.Fatalf("after reply: %+v", fr)
	}
	if len(v.Followups) != 1 || v.Followups[0].ID != f.ID || v.Followups[0].DoneAt.IsZero() {
		t.Fatalf("follow-up after reply: %+v", v.Followups)
	}
}

func TestSLAFollowupOverdueAndTimersRebuilt(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-16 09:00"))
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w}})
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	// No policy: only the promise has a deadline.
	rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "f1", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-f"}, Text: "请回电"})
	if _, err := svc.AddFollowup(ctx, li, rc.TicketID, cstAt("2026-11-16 09:00"), "x"); err == nil {
		t.Fatal("a follow-up due now was accepted")
	}
	if _, err := svc.AddFollowup(ctx, li, rc.TicketID, cstAt("2026-11-16 15:00"), "15点前回电"); err != nil {
		t.Fatal(err)
	}
	w.Flush(ctx)

	// The timer set is lost (a new, empty one, as after a Redis flush):
	// the reconcile rebuilds it from SQL.
	lost := memory.New().Timers("sla")
	// A second node's worker over the same record.
	w2 := desk.NewSLAWorker(lost)
	desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w2}})
	if err := w2.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := lost.Len(ctx); n != 1 {
		t.Fatalf("rebuilt timers = %d, want 1", n)
	}
	clock.Set(cstAt("2026-11-16 15:00"))
	if err := w2.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_followup_due"); len(got) != 1 {
		t.Fatalf("overdue follow-up entries: %d", len(got))
	}
	if n, _ := lost.Len(ctx); n != 0 {
		t.Fatalf("timers after the promise fell due = %d", n)
	}
}

func TestSLAPolicyAndCalendarValidation(t *testing.T) {
	ctx := context.Background()
	svc, _ := newService(t)
	_, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "hk", Timezone: "Asia/Hong_Kong",
		Hours: map[string]string{"mon": "09:00-18:00"}, Schedule: "year 2027\nholiday 2027-01-01 元旦\nholiday 2027-02-30 bad\n"})
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad schedule line: %v", err)
	}
	for _, c := range []desk.SLACalendar{
		{Name: "x", Timezone: "Mars/Base"},
		{Name: "x", Timezone: "UTC", Hours: map[string]string{"someday": "09:00-18:00"}},
		{Name: "x", Timezone: "UTC", Hours: map[string]string{"mon": "18:00-09:00"}},
	} {
		if _, err := svc.PutSLACalendar(ctx, desk.Actor{}, c); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("calendar %+v: %v", c, err)
		}
	}
	for _, p := range []desk.SLAPolicy{
		{Name: "a", CalendarID: "cn-mainland"},
		{Name: "a", CalendarID: "cn-mainland", FirstResponse: desk.SLADuration(time.Hour), Ladder: []desk.EscalationStep{{Target: "resolution", Percent: 50}}},
		{Name: "a", CalendarID: "cn-mainland", FirstResponse: desk.SLADuration(time.Hour), Ladder: []desk.EscalationStep{{Target: "first_response"}}},
		{Name: "a", CalendarID: "cn-mainland", FirstResponse: desk.SLADuration(time.Hour), Priority: "asap"},
	} {
		if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, p); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("policy %+v: %v", p, err)
		}
	}
	if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, desk.SLAPolicy{Name: "a", CalendarID: "nope", FirstResponse: desk.SLADuration(time.Hour)}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Errorf("unknown calendar: %v", err)
	}
}

// A desk without policies writes no SLA rows (nothing waits on SQLite's
// writer for them) and its reconcile ends; once a policy exists, the next
// change computes the ticket's deadlines.
func TestSLAWithoutPoliciesWritesNothing(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-16 09:00"))
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w}})
	in := channels.Inbound{Channel: "api", ExternalID: "n1", ThreadKey: "t", From: channels.Party{Kind: "api", Value: "cust-n"}, Text: "你好"}
	rc := ingest(t, svc, in)
	w.Flush(ctx)
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TicketSLA(ctx, rc.TicketID); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("a ticket without policies got an SLA row: %v", err)
	}
	slaPolicy(t, svc)
	in.ExternalID = "n2"
	ingest(t, svc, in)
	w.Flush(ctx)
	if row, err := db.TicketSLA(ctx, rc.TicketID); err != nil || row.PolicyID == "" {
		t.Fatalf("after a policy appeared: %+v %v", row, err)
	}
}
