package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

// Two nodes checking often: last week's sampling runs once, and a closed
// ticket of last week lands in the queue once.
func TestQASamplingRunsOnceAcrossNodes(t *testing.T) {
	db := storetest.New(t)
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	ctx := context.Background()
	lastWeek := time.Now().AddDate(0, 0, -7)
	var clock sync.Mutex
	now := lastWeek
	svc := desk.NewService(desk.Options{Store: db, Now: func() time.Time { clock.Lock(); defer clock.Unlock(); return now }})
	sup, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "sup@example.com", Name: "主管", Role: desk.RoleSupervisor, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	agent, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "li@example.com", Name: "李娜", Role: desk.RoleAgent, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := svc.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "1", ThreadKey: "t", From: channels.Party{Kind: desk.IdentityAPI, Value: "c"}, Text: "你好"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	closed := desk.StatusClosed
	if _, err := svc.ChangeTicket(ctx, sup, rc.TicketID, desk.TicketChange{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveQAPlan(ctx, desk.Actor{}, desk.QAPlan{Name: "周抽检", ScorecardID: "default", PerAgent: 2, Reviewers: []string{sup.ID}, Active: true}); err != nil {
		t.Fatal(err)
	}
	clock.Lock()
	now = time.Now()
	clock.Unlock()

	run, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); qaLoop(run, svc, q.Leases(), 10*time.Millisecond, log) }()
	}
	wg.Wait()
	todo, _, err := svc.QAReviewQueue(ctx, sup)
	if err != nil || len(todo) != 1 || todo[0].TicketID != rc.TicketID || todo[0].Week != desk.QAWeekOf(lastWeek) {
		t.Fatalf("queue after the job: %v %+v", err, todo)
	}
	entries, err := svc.AuditLog(ctx, desk.Actor{}, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "qa.plan.run" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the week ran %d times", n)
	}
}
