package desk_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

func callEvent(id, state string, at time.Time) channels.Call {
	return channels.Call{Line: "hotline", CallID: id, Direction: "in", Customer: "+8613800138000", Ours: "+864008001234",
		Agent: "801", State: state, At: at, Source: "webhook"}
}

func callEntries(t *testing.T, db desk.Store, ticketID string) []desk.Message {
	t.Helper()
	msgs, err := db.MessagesAfterSeq(context.Background(), ticketID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.Message
	for _, m := range msgs {
		if m.Kind == desk.MessageKindCall {
			out = append(out, m)
		}
	}
	return out
}

// TestRecordCallTripleOutOfOrderDelivery: every event of a call delivered
// three times, all at once and the end first, leaves one call record with
// the final state, one timeline entry and the times of each event.
func TestRecordCallTripleOutOfOrderDelivery(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-05 10:00"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now})
	agent := mkAgent(t, svc, "li@example.com", "李客服", desk.RoleAgent)
	if err := svc.SetAgentExtension(ctx, desk.Actor{}, agent.ID, "801"); err != nil {
		t.Fatal(err)
	}
	t0 := cstAt("2026-11-05 09:58")
	ended := callEvent("c-1", channels.CallEnded, t0.Add(3*time.Minute))
	ended.Disposition, ended.RecordingURL = "resolved", "https://rec.example.com/c-1.mp3"
	events := []channels.Call{ended, callEvent("c-1", channels.CallAnswered, t0.Add(10*time.Second)), callEvent("c-1", channels.CallRinging, t0)}
	var wg sync.WaitGroup
	receipts := make(chan channels.CallReceipt, 9)
	for range 3 {
		for _, ev := range events {
			wg.Go(func() {
				rc, err := svc.RecordCall(ctx, ev)
				if err != nil {
					t.Error(err)
					return
				}
				receipts <- rc
			})
		}
	}
	wg.Wait()
	close(receipts)
	dups, tickets := 0, map[string]bool{}
	for rc := range receipts {
		tickets[rc.TicketID] = true
		if rc.Duplicate {
			dups++
		}
	}
	if dups != 6 || len(tickets) != 1 {
		t.Fatalf("duplicates %d (want 6), tickets %v", dups, tickets)
	}
	rec, err := db.CallByCallID(ctx, "hotline", "c-1")
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != channels.CallEnded || !rec.StartedAt.Equal(t0) || !rec.AnsweredAt.Equal(t0.Add(10*time.Second)) ||
		!rec.EndedAt.Equal(t0.Add(3*time.Minute)) || rec.AgentID != agent.ID || rec.Disposition != "resolved" {
		t.Fatalf("record %+v", rec)
	}
	if rec.TalkTime() != 170*time.Second {
		t.Errorf("talk %s", rec.TalkTime())
	}
	var ticketID string
	for id := range tickets {
		ticketID = id
	}
	entries := callEntries(t, db, ticketID)
	if len(entries) != 1 {
		t.Fatalf("%d call entries, want 1", len(entries))
	}
	e := entries[0].Event
	if e == nil || e.Action != "call_in_ended" || e.Args["agent"] != "李客服" || e.Args["talk"] != "170" ||
		e.Args["recording"] != "1" || e.Args["call"] != rec.ID || e.Args["number"] != "+8613800138000" {
		t.Fatalf("entry event %+v", e)
	}
	if _, ok := e.Args["recording_url"]; ok {
		t.Error("the entry carries the recording's address")
	}
	// The caller is a phone identity, unverified.
	tk, err := db.Ticket(ctx, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	c := contactOf(t, db, ticketID)
	if tk.Channel != desk.ChannelPhone || len(c.Identities) != 1 || c.Identities[0].Kind != desk.IdentityPhone ||
		c.Identities[0].Value != "+8613800138000" || c.Identities[0].VerifiedAt != nil {
		t.Fatalf("ticket %+v contact %+v", tk, c)
	}
	// The next call of the same number joins the open ticket.
	rc, err := svc.RecordCall(ctx, callEvent("c-2", channels.CallRinging, t0.Add(time.Hour)))
	if err != nil || rc.TicketID != ticketID || rc.Duplicate {
		t.Fatalf("second call %+v %v", rc, err)
	}
	if n := len(callEntries(t, db, ticketID)); n != 2 {
		t.Fatalf("%d call entries after the second call", n)
	}
}

// TestMissedCallCallbackDeadlineAndEscalation: a missed call leaves a
// callback due two business hours later on the mainland calendar; past it
// the SLA worker escalates to the owner, assignee and supervisors; our
// answered call to the customer keeps the promise.
func TestMissedCallCallbackDeadlineAndEscalation(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-05 17:00")) // a Thursday
	bus := &slaEvents{}
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Events: bus, Observers: []desk.Observer{w}})
	sup := mkAgent(t, svc, "sup@example.com", "王主管", desk.RoleSupervisor)

	missed := callEvent("m-1", channels.CallMissed, clock.Now())
	missed.Agent = ""
	rc, err := svc.RecordCall(ctx, missed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordCall(ctx, missed); err != nil { // a redelivery leaves no second callback
		t.Fatal(err)
	}
	fs, err := db.Followups(ctx, rc.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	// One business hour left today (until 18:00), one tomorrow from 09:00.
	if len(fs) != 1 || fs[0].Kind != desk.FollowupCallback || !fs[0].DueAt.Equal(cstAt("2026-11-06 10:00")) {
		t.Fatalf("follow-ups %+v", fs)
	}
	if got := slaEntries(t, db, rc.TicketID, "callback_set"); len(got) != 1 {
		t.Fatalf("callback entries %+v", got)
	}
	w.Flush(ctx)
	clock.Set(cstAt("2026-11-06 09:59"))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_callback_due"); len(got) != 0 {
		t.Fatal("escalated before the deadline")
	}
	clock.Set(cstAt("2026-11-06 10:00"))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_callback_due"); len(got) != 1 {
		t.Fatalf("callback escalations %+v", got)
	}
	bus.mu.Lock()
	var breach *desk.SLAEventData
	for i := range bus.data {
		if bus.data[i].Target == desk.TargetCallback+":"+fs[0].ID {
			breach = &bus.data[i]
		}
	}
	bus.mu.Unlock()
	if breach == nil || !slices.Contains(breach.Recipients, sup.ID) {
		t.Fatalf("breach event %+v, want the supervisor among the recipients", breach)
	}

	// We call back and reach them: the promise is kept.
	back := channels.Call{Line: "hotline", CallID: "o-1", Direction: "out", Customer: "+8613800138000", State: channels.CallAnswered,
		At: clock.Now(), Source: "webhook"}
	if rc2, err := svc.RecordCall(ctx, back); err != nil || rc2.TicketID != rc.TicketID {
		t.Fatalf("callback call %+v %v", rc2, err)
	}
	fs, _ = db.Followups(ctx, rc.TicketID)
	if len(fs) != 1 || fs[0].DoneAt.IsZero() {
		t.Fatalf("follow-up after the callback %+v", fs)
	}
}

func TestRecordCallRefusesBadEvents(t *testing.T) {
	db := storetest.New(t)
	svc := desk.NewService(desk.Options{Store: db})
	for _, c := range []channels.Call{
		{Line: "hotline", State: channels.CallRinging, Direction: "in"},
		{Line: "hotline", CallID: "x", State: "picked", Direction: "in"},
		{Line: "hotline", CallID: "x", State: channels.CallRinging, Direction: "up"},
		{Line: "hotline", CallID: "x\x00", State: channels.CallRinging, Direction: "in"},
	} {
		if _, err := svc.RecordCall(context.Background(), c); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("%+v: %v", c, err)
		}
	}
}

// TestLogCallAndWrapUp: an agent logs a call by hand (an internal entry of
// kind call that keeps the open callback when it reached the customer)
// and wraps up a platform call; agents of other teams see neither.
func TestLogCallAndWrapUp(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-11-05 10:00"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now})
	li := mkAgent(t, svc, "li@example.com", "李客服", desk.RoleAgent, "A")
	other := mkAgent(t, svc, "wang@example.com", "王五", desk.RoleAgent, "B")
	missed := callEvent("m-9", channels.CallMissed, clock.Now())
	rc, err := svc.RecordCall(ctx, missed)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := svc.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.Name == "A" {
			if _, err := svc.ChangeTicket(ctx, li, rc.TicketID, desk.TicketChange{TeamID: ptr(tm.ID)}); err != nil {
				t.Fatal(err)
			}
		}
	}

	if _, err := svc.LogCall(ctx, other, rc.TicketID, desk.LoggedCall{Number: "13800138000", Direction: "out", Reached: true}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("a stranger logged a call: %v", err)
	}
	if _, err := svc.LogCall(ctx, li, rc.TicketID, desk.LoggedCall{Number: "call me", Direction: "out"}); desk.CodeOf(err) != desk.CodeInvalid {
		t.Fatalf("bad number: %v", err)
	}
	logged, err := svc.LogCall(ctx, li, rc.TicketID, desk.LoggedCall{Number: "138 0013 8000", Direction: "out", Reached: true,
		Talk: 2 * time.Minute, Notes: "约定下周一还款", Disposition: "promise-to-pay"})
	if err != nil {
		t.Fatal(err)
	}
	if logged.Line != desk.LineManual || logged.State != channels.CallEnded || logged.TalkTime() != 2*time.Minute {
		t.Fatalf("logged %+v", logged)
	}
	fs, _ := db.Followups(ctx, rc.TicketID)
	if len(fs) != 1 || fs[0].DoneAt.IsZero() {
		t.Fatalf("the callback stayed open after a reached call: %+v", fs)
	}
	m, err := db.Message(ctx, logged.MessageID)
	if err != nil || m.Direction != desk.DirNote || m.Kind != desk.MessageKindCall || m.Event.Args["notes"] != "约定下周一还款" || m.Event.Args["call"] != logged.ID {
		t.Fatalf("logged entry %+v %v", m, err)
	}

	rec, err := db.CallByCallID(ctx, "hotline", "m-9")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.WrapUpCall(ctx, other, rec.ID, "x", "y"); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("a stranger wrapped up: %v", err)
	}
	if _, err := svc.WrapUpCall(ctx, li, rec.ID, "客户未接，已短信提醒", "no-answer"); err != nil {
		t.Fatal(err)
	}
	m, _ = db.Message(ctx, rec.MessageID)
	if m.Event.Args["notes"] != "客户未接，已短信提醒" || m.Event.Args["disposition"] != "no-answer" {
		t.Fatalf("entry after wrap-up %+v", m.Event)
	}
}
