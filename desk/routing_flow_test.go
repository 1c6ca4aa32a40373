package desk_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

// routeClock is shared by the service and the memory queue, so presence
// TTLs and silence are measured on the same time.
type routeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *routeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *routeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type routed struct {
	svc    *desk.Service
	db     desk.Store
	router *desk.Router
	clock  *routeClock
	admin  desk.Actor
}

func newRouted(t *testing.T, opts ...func(*desk.Options)) routed {
	t.Helper()
	// A Tuesday, 10:00 in Shanghai.
	clock := &routeClock{t: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)}
	q := memory.New(memory.WithClock(clock.Now))
	t.Cleanup(func() { q.Close() })
	db := storetest.New(t)
	r := desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()})
	o := desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{r}}
	for _, f := range opts {
		f(&o)
	}
	svc := desk.NewService(o)
	return routed{svc: svc, db: db, router: r, clock: clock}
}

func (r routed) team(t *testing.T, name string, tr desk.TeamRouting) desk.Team {
	t.Helper()
	tm, err := r.svc.CreateTeam(context.Background(), r.admin, name)
	if err != nil {
		t.Fatal(err)
	}
	tr.TeamID = tm.ID
	if _, err := r.svc.SetTeamRouting(context.Background(), r.admin, tr); err != nil {
		t.Fatal(err)
	}
	return tm
}

func (r routed) round(t *testing.T) {
	t.Helper()
	if err := r.router.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (r routed) ticket(t *testing.T, id string) desk.Ticket {
	t.Helper()
	tk, err := r.db.Ticket(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func customer(value, text string) channels.Inbound {
	return channels.Inbound{Channel: "api", ExternalID: value + ":" + text, ThreadKey: "t",
		From: channels.Party{Kind: "customer_no", Value: value}, Text: text}
}

func TestRulesRouteNewTickets(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	general := r.team(t, "General", desk.TeamRouting{Mode: desk.ModePull, Default: true})
	collections := r.team(t, "Collections", desk.TeamRouting{Mode: desk.ModePull})
	intl := r.team(t, "International", desk.TeamRouting{Mode: desk.ModePull})
	if _, err := r.svc.ImportSegments(ctx, r.admin, []desk.Segment{{Kind: "customer_no", Value: "C10023", Segment: "overdue"}}); err != nil {
		t.Fatal(err)
	}
	for _, rule := range []desk.RoutingRule{
		{Name: "逾期客户", Enabled: true, TeamID: collections.ID, SetPriority: desk.PriorityHigh, SetCategory: "collections",
			Conditions: desk.RuleConditions{Segments: []string{"overdue"}}},
		{Name: "English", Enabled: true, TeamID: intl.ID, Conditions: desk.RuleConditions{Languages: []string{"en"}}},
	} {
		if _, err := r.svc.CreateRoutingRule(ctx, r.admin, rule); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		in       channels.Inbound
		team     string
		lang     string
		priority desk.Priority
	}{
		{customer("C10023", "我什么时候还款"), collections.ID, "zh", desk.PriorityHigh},
		{customer("C20000", "Where is my refund?"), intl.ID, "en", desk.PriorityNormal},
		{customer("C30000", "你好"), general.ID, "zh", desk.PriorityNormal},
	} {
		tk := r.ticket(t, ingest(t, r.svc, tc.in).TicketID)
		if tk.TeamID != tc.team || tk.Language != tc.lang || tk.Priority != tc.priority {
			t.Errorf("%s: team %s lang %s priority %s, want %s %s %s", tc.in.Text, tk.TeamID, tk.Language, tk.Priority, tc.team, tc.lang, tc.priority)
		}
	}
	// The customer's next message stays on its ticket and team.
	rc := ingest(t, r.svc, customer("C20000", "还在吗"))
	if tk := r.ticket(t, rc.TicketID); tk.TeamID != intl.ID {
		t.Errorf("a follow-up moved the ticket to team %s", tk.TeamID)
	}
}

func TestAutoAssignOnlineLeastLoadedAndCapacity(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModeAuto, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	han := mkAgent(t, r.svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Support")
	if _, err := r.svc.SetAgentRouting(ctx, r.admin, desk.AgentRouting{AgentID: li.ID, Capacity: 1}); err != nil {
		t.Fatal(err)
	}
	t1 := ingest(t, r.svc, customer("C1", "第一个问题")).TicketID
	r.round(t)
	if tk := r.ticket(t, t1); tk.AssigneeID != "" {
		t.Fatalf("assigned to %s while nobody is online", tk.AssigneeID)
	}
	liConn := r.svc.DeskConnected(ctx, li.ID)
	r.round(t)
	if tk := r.ticket(t, t1); tk.AssigneeID != li.ID {
		t.Fatalf("waiting ticket not given to the agent who came online: %q", tk.AssigneeID)
	}
	msgs, err := r.db.Messages(ctx, t1, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Event == nil || last.Event.Action != "assign" || last.Event.Args["by"] != "auto" || last.Event.Args["to"] != li.Name {
		t.Fatalf("no auto assignment entry: %+v", last)
	}
	// Li is full (capacity 1); Han is away, so the next one waits.
	hanConn := r.svc.DeskConnected(ctx, han.ID)
	r.clock.Add(desk.AwayAfter)
	liConn.Activity(ctx)
	liConn.Beat(ctx)
	hanConn.Beat(ctx)
	t2 := ingest(t, r.svc, customer("C2", "第二个问题")).TicketID
	r.round(t)
	if tk := r.ticket(t, t2); tk.AssigneeID != "" {
		t.Fatalf("given to %s: Li is full and Han away", tk.AssigneeID)
	}
	hanConn.Activity(ctx)
	hanConn.Beat(ctx)
	r.round(t)
	if tk := r.ticket(t, t2); tk.AssigneeID != han.ID {
		t.Fatalf("not given to Han once back: %q", tk.AssigneeID)
	}
}

func TestAutoAssignRoundRobinAmongEquals(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModeAuto, Default: true})
	a := mkAgent(t, r.svc, "a@example.com", "A", desk.RoleAgent, "Support")
	b := mkAgent(t, r.svc, "b@example.com", "B", desk.RoleAgent, "Support")
	r.svc.DeskConnected(ctx, a.ID)
	r.svc.DeskConnected(ctx, b.ID)
	counts := map[string]int{}
	for i, text := range []string{"一", "二", "三", "四"} {
		id := ingest(t, r.svc, customer("C"+text, text)).TicketID
		r.clock.Add(time.Second)
		r.round(t)
		tk := r.ticket(t, id)
		counts[tk.AssigneeID]++
		// Loads stay equal after each pair, so the pair went to both.
		if i%2 == 1 && (counts[a.ID] != counts[b.ID]) {
			t.Fatalf("after %d tickets: %v", i+1, counts)
		}
	}
}

func TestRequeueWhenAssigneeGoesOfflineKeepsOwner(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModeAuto, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	conn := r.svc.DeskConnected(ctx, li.ID)
	id := ingest(t, r.svc, customer("C1", "你好")).TicketID
	r.round(t)
	if _, _, err := r.svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "您好，我来处理"}); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	r.round(t) // first seen offline
	if tk := r.ticket(t, id); tk.AssigneeID != li.ID {
		t.Fatal("requeued at once; a reload must not lose the work")
	}
	r.clock.Add(desk.OfflineGrace)
	r.round(t)
	tk := r.ticket(t, id)
	if tk.AssigneeID != "" || tk.OwnerID != li.ID {
		t.Fatalf("after going offline: assignee %q owner %q", tk.AssigneeID, tk.OwnerID)
	}
	msgs, err := r.db.Messages(ctx, id, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Event == nil || last.Event.Action != "requeue_offline" || last.Event.Args["reason"] != desk.RequeueOffline {
		t.Fatalf("no requeue entry: %+v", last)
	}
}

func TestRequeueSilentAssignee(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModePull, ReassignAfter: 10 * time.Minute, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	conn := r.svc.DeskConnected(ctx, li.ID)
	id := ingest(t, r.svc, customer("C1", "你好")).TicketID
	if _, _, err := r.svc.Post(ctx, desk.AgentActor(li), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	r.clock.Add(time.Hour)
	conn.Beat(ctx)
	r.round(t)
	if tk := r.ticket(t, id); tk.AssigneeID != li.ID {
		t.Fatal("requeued though the desk spoke last")
	}
	ingest(t, r.svc, customer("C1", "请问进度如何"))
	r.clock.Add(9 * time.Minute)
	conn.Beat(ctx)
	r.round(t)
	if tk := r.ticket(t, id); tk.AssigneeID != li.ID {
		t.Fatal("requeued before reassign_after")
	}
	r.clock.Add(time.Minute)
	conn.Beat(ctx)
	r.round(t)
	tk := r.ticket(t, id)
	if tk.AssigneeID != "" || tk.OwnerID != li.ID {
		t.Fatalf("silent assignee: assignee %q owner %q", tk.AssigneeID, tk.OwnerID)
	}
}

func TestPullNextTicket(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModePull, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	if _, err := r.svc.NextTicket(ctx, li); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("empty queue: %v", err)
	}
	old := ingest(t, r.svc, customer("C1", "旧问题")).TicketID
	r.clock.Add(time.Minute)
	urgent := ingest(t, r.svc, customer("C2", "急")).TicketID
	urgentPrio := desk.PriorityUrgent
	admin := mkAgent(t, r.svc, "boss@example.com", "Boss", desk.RoleAdmin)
	if _, err := r.svc.ChangeTicket(ctx, admin, urgent, desk.TicketChange{Priority: &urgentPrio}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{urgent, old} {
		got, err := r.svc.NextTicket(ctx, li)
		if err != nil || got.ID != want || got.AssigneeID != li.ID {
			t.Fatalf("next = %s %v, want %s", got.ID, err, want)
		}
	}
	if _, err := r.svc.SetAgentRouting(ctx, r.admin, desk.AgentRouting{AgentID: li.ID, Capacity: 2}); err != nil {
		t.Fatal(err)
	}
	ingest(t, r.svc, customer("C3", "第三"))
	if _, err := r.svc.NextTicket(ctx, li); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("over capacity: %v", err)
	}
}

// Many agents pressing "next ticket" at once on one waiting ticket: one
// gets it, the others are told the queue is empty.
func TestPullConcurrentClaimsOneAssignee(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModePull, Default: true})
	const n = 40
	agents := make([]desk.Agent, n)
	for i := range agents {
		agents[i] = mkAgent(t, r.svc, "a"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.com", "Agent", desk.RoleAgent, "Support")
	}
	id := ingest(t, r.svc, customer("C1", "你好")).TicketID
	var wins atomic.Int32
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := r.svc.NextTicket(ctx, a)
			switch {
			case err == nil && got.ID == id:
				wins.Add(1)
			case desk.CodeOf(err) == desk.CodeNotFound:
			default:
				t.Errorf("next: %v", errors.Join(err))
			}
		}()
	}
	wg.Wait()
	msgs, err := r.db.Messages(ctx, id, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	entries := 0
	for _, m := range msgs {
		if m.Event != nil && m.Event.Action == "assign" {
			entries++
		}
	}
	if wins.Load() != 1 || entries != 1 {
		t.Fatalf("%d agents got the ticket, %d assignment entries", wins.Load(), entries)
	}
}

// One agent pressing "next ticket" in many tabs at once never gets more
// tickets than their capacity (issue 10.4: eight pulls gave ten).
func TestPullConcurrentKeepsCapacity(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModePull, Default: true})
	li := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	const n, capacity = 10, 4
	if _, err := r.svc.SetAgentRouting(ctx, r.admin, desk.AgentRouting{AgentID: li.ID, Capacity: capacity}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		ingest(t, r.svc, customer("C"+string(rune('A'+i)), "你好"))
	}
	var wins, full atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.svc.NextTicket(ctx, li)
			switch {
			case err == nil:
				wins.Add(1)
			case desk.CodeOf(err) == desk.CodeConflict:
				full.Add(1)
			default:
				t.Errorf("next: %v", err)
			}
		}()
	}
	wg.Wait()
	mine, err := r.svc.Tickets(ctx, li, desk.TicketFilter{AssigneeID: li.ID, Limit: desk.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if wins.Load() != capacity || full.Load() != n-capacity || len(mine.Tickets) != capacity {
		t.Fatalf("%d pulls won, %d refused, %d tickets assigned; capacity %d", wins.Load(), full.Load(), len(mine.Tickets), capacity)
	}
}
