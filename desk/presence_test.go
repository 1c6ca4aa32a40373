package desk_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

func TestPresenceOnlineAwayOffline(t *testing.T) {
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	q := memory.New(memory.WithClock(clock.Now))
	t.Cleanup(func() { q.Close() })
	router := desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()})
	svc := desk.NewService(desk.Options{Store: storetest.New(t), Now: clock.Now, Observers: []desk.Observer{router}})
	ctx := context.Background()
	state := func() string {
		t.Helper()
		s, err := q.Presence().State(ctx, "agent-1")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	page := svc.DeskConnected(ctx, "agent-1")
	if state() != queue.Online {
		t.Fatalf("a new page: %s", state())
	}
	clock.Add(desk.AwayAfter - time.Second)
	page.Beat(ctx)
	if state() != queue.Online {
		t.Fatalf("before AwayAfter: %s", state())
	}
	clock.Add(time.Second)
	page.Beat(ctx)
	if state() != queue.Away {
		t.Fatalf("after AwayAfter without input: %s", state())
	}
	page.Activity(ctx)
	if state() != queue.Online {
		t.Fatalf("input on the page: %s", state())
	}
	// A second page: closing one keeps the agent present.
	other := svc.DeskConnected(ctx, "agent-1")
	page.Close(ctx)
	if state() != queue.Online {
		t.Fatalf("one page closed of two: %s", state())
	}
	other.Close(ctx)
	if state() != queue.Offline {
		t.Fatalf("last page closed: %s", state())
	}
	// A page whose node died stops beating: offline after the TTL.
	svc.DeskConnected(ctx, "agent-1")
	clock.Add(desk.PresenceTTL)
	if state() != queue.Offline {
		t.Fatalf("no heartbeat for the TTL: %s", state())
	}
}

// The owner of a ticket that goes back to the queue sees it live: the
// event names them, and it carries the timeline entry.
func TestRequeueTellsTheOwnerLive(t *testing.T) {
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	q := memory.New(memory.WithClock(clock.Now))
	t.Cleanup(func() { q.Close() })
	db := storetest.New(t)
	router := desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()})
	svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Now: clock.Now, Observers: []desk.Observer{router}})
	ctx := context.Background()
	tm, err := svc.CreateTeam(ctx, desk.Actor{}, "Support")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetTeamRouting(ctx, desk.Actor{}, desk.TeamRouting{TeamID: tm.ID, Mode: desk.ModeAuto, Default: true}); err != nil {
		t.Fatal(err)
	}
	li := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	page := svc.DeskConnected(ctx, li.ID)
	id := ingest(t, svc, customer("C1", "你好")).TicketID
	if err := router.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	last, err := q.Bus().Last(ctx, desk.StreamDesk)
	if err != nil {
		t.Fatal(err)
	}
	page.Close(ctx)
	for range 2 {
		if err := router.Round(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Add(desk.OfflineGrace)
	}
	sub, err := q.Bus().Subscribe(ctx, desk.StreamDesk, last)
	if err != nil {
		t.Fatal(err)
	}
	e := <-sub
	var ev desk.Event
	if err := json.Unmarshal(e.Data, &ev); err != nil {
		t.Fatal(err)
	}
	var data desk.MessageEventData
	if err := json.Unmarshal(ev.Data, &data); err != nil {
		t.Fatal(err)
	}
	if ev.Type != desk.EventMessageCreated || ev.OwnerID != li.ID || ev.AssigneeID != "" || !desk.CanSeeEvent(li, ev) ||
		data.Message.Event == nil || data.Message.Event.Action != "requeue_offline" {
		t.Fatalf("event after the requeue: %+v %+v", ev, data.Message)
	}
}
