package desk_test

import (
	"context"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

// slowAdapter holds every send until release is closed.
type slowAdapter struct {
	started chan struct{}
	release chan struct{}
}

func (a *slowAdapter) Name() string { return "api" }

func (a *slowAdapter) Send(ctx context.Context, out channels.Outbound) (string, error) {
	close(a.started)
	select {
	case <-a.release:
		return "ok", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// TestSenderFinishesInFlightSendsOnShutdown: stopping the sender while a
// send is in flight waits for that send and records it as sent, so a
// graceful stop never leaves a delivered message marked pending.
func TestSenderFinishesInFlightSendsOnShutdown(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	_, m := postAgentReply(t, svc, "S")
	ad := &slowAdapter{started: make(chan struct{}), release: make(chan struct{})}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.NewSender(db.(desk.OutboxStore), ad).Run(runCtx); close(done) }()
	select {
	case <-ad.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the send never started")
	}
	stop()
	select {
	case <-done:
		t.Fatal("the sender returned with a send still in flight")
	case <-time.After(200 * time.Millisecond):
	}
	close(ad.release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the sender did not return after the send finished")
	}
	got, err := db.Message(ctx, m.ID)
	if err != nil || got.Delivery != desk.DeliverySent {
		t.Fatalf("delivery = %q, %v; want sent", got.Delivery, err)
	}
}

// postAgentReply has a new admin called name answer a new API ticket with
// "on my way"; the reply is then waiting in the outbox.
func postAgentReply(t *testing.T, svc *desk.Service, name string) (desk.Agent, desk.Message) {
	t.Helper()
	ctx := context.Background()
	rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "x1", ThreadKey: "t",
		From: channels.Party{Kind: desk.IdentityAPI, Value: "c1"}, Text: "hello"})
	agent, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "s@example.com", Name: name, Role: desk.RoleAdmin, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "on my way"})
	if err != nil {
		t.Fatal(err)
	}
	return agent, m
}
