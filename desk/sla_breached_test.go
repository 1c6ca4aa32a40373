package desk_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

// slaEvents records the SLA events a service publishes with their data.
type slaEvents struct {
	mu   sync.Mutex
	data []desk.SLAEventData
}

func (b *slaEvents) Publish(_ context.Context, _ string, raw []byte) (int64, error) {
	var ev struct {
		Type string            `json:"type"`
		Data desk.SLAEventData `json:"data"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if ev.Type == desk.EventSLABreached || ev.Type == desk.EventSLAWarning {
		b.data = append(b.data, ev.Data)
	}
	return int64(len(b.data)), nil
}

// TestBreachedMostOverdueFirstAndUnroutedBreachesReachTheDefaultTeam: the
// breached view lists the ticket furthest past its deadline first (not the
// oldest), the overview's no-team row has an oldest waiting time, and a
// breach of a ticket no rule routed notifies the default team's
// supervisors rather than nobody or everybody.
func TestBreachedMostOverdueFirstAndUnroutedBreachesReachTheDefaultTeam(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(time.Date(2026, 9, 30, 1, 0, 0, 0, time.UTC))
	bus := &slaEvents{}
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Events: bus, Observers: []desk.Observer{w}})
	cal, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "24x7", Timezone: "UTC", AlwaysOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []desk.SLAPolicy{
		{Name: "urgent", Position: 0, Priority: "urgent", CalendarID: cal.ID, FirstResponse: desk.SLADuration(30 * time.Minute),
			Ladder: []desk.EscalationStep{{Target: desk.TargetFirstResponse, Percent: 100, Notify: []string{"supervisors"}}}},
		{Name: "normal", Position: 1, CalendarID: cal.ID, FirstResponse: desk.SLADuration(2 * time.Hour),
			Ladder: []desk.EscalationStep{{Target: desk.TargetFirstResponse, Percent: 100, Notify: []string{"supervisors"}}}},
	} {
		if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, p); err != nil {
			t.Fatal(err)
		}
	}
	front := mkAgent(t, svc, "front@example.com", "前台主管", desk.RoleSupervisor, "Front")
	mkAgent(t, svc, "back@example.com", "后台主管", desk.RoleSupervisor, "Back")
	admin := mkAgent(t, svc, "admin@example.com", "管理员", desk.RoleAdmin)
	teams, err := svc.Teams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.Name == "Front" {
			if _, err := svc.SetTeamRouting(ctx, desk.Actor{}, desk.TeamRouting{TeamID: tm.ID, Default: true}); err != nil {
				t.Fatal(err)
			}
		}
	}

	older := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "o1", ThreadKey: "o",
		From: channels.Party{Kind: "api", Value: "cust-old"}, Text: "押金什么时候退"})
	clock.Set(clock.Now().Add(10 * time.Minute))
	newer := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "n1", ThreadKey: "n",
		From: channels.Party{Kind: "api", Value: "cust-new"}, Text: "扣款失败了"})
	urgent := desk.PriorityUrgent
	if _, err := svc.ChangeTicket(ctx, admin, newer.TicketID, desk.TicketChange{Priority: &urgent}); err != nil {
		t.Fatal(err)
	}
	w.Flush(ctx)

	// Three hours on: the older ticket is 1 h past its 2 h target, the
	// newer one 2 h 20 min past its 30 min one.
	clock.Set(time.Date(2026, 9, 30, 4, 0, 0, 0, time.UTC))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	al, err := svc.SLAAlerts(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range al.Breached {
		order = append(order, r.TicketID)
	}
	if !slices.Equal(order, []string{newer.TicketID, older.TicketID}) || al.Breached[0].Overdue != 140*time.Minute {
		t.Fatalf("breached order %v (want the most overdue first), %+v", order, al.Breached)
	}

	rows, err := svc.SupervisorOverview(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].TeamID != "" || rows[0].Open != 2 || !rows[0].OldestWaiting.Equal(time.Date(2026, 9, 30, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("no-team row: %+v", rows[0])
	}

	bus.mu.Lock()
	defer bus.mu.Unlock()
	if len(bus.data) == 0 {
		t.Fatal("no SLA event published")
	}
	for _, d := range bus.data {
		if !slices.Equal(d.Recipients, []string{front.ID}) {
			t.Fatalf("an unrouted breach notified %v, want the default team's supervisor %s", d.Recipients, front.ID)
		}
	}
}
