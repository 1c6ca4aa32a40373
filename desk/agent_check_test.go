package desk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
)

// agentCheckFixture has a current and a former agent and answers their
// employee numbers.
func agentCheckFixture(t *testing.T, o desk.Options) (svc *desk.Service, current, former desk.Agent) {
	t.Helper()
	svc, _ = newServiceWith(t, o)
	ctx := context.Background()
	admin, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "a@example.com", Name: "Admin", Role: desk.RoleAdmin, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	former, err = svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "f@example.com", Name: "Former", Role: desk.RoleAgent, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	if former, err = svc.ChangeAgent(ctx, desk.AgentActor(admin), former.ID, desk.AgentChange{Active: &off}); err != nil {
		t.Fatal(err)
	}
	return svc, admin, former
}

// TestCheckEmployeeNo: only a current agent's number is genuine; a former
// agent's number answers exactly like one never issued.
func TestCheckEmployeeNo(t *testing.T) {
	svc, current, former := agentCheckFixture(t, desk.Options{})
	ctx := context.Background()
	for _, tc := range []struct {
		name, no string
		want     bool
	}{
		{"current", current.EmployeeNo, true},
		{"current typed loosely", " " + string([]rune(current.EmployeeNo)[:1]) + " " + current.EmployeeNo[1:], true},
		{"former", former.EmployeeNo, false},
		{"unknown", "HL000000", false},
	} {
		got, err := svc.CheckEmployeeNo(ctx, tc.no, "192.0.2.1")
		if err != nil || got != tc.want {
			t.Errorf("%s (%q): got %v, %v; want %v", tc.name, tc.no, got, err, tc.want)
		}
	}
	var de *desk.Error
	if _, err := svc.CheckEmployeeNo(ctx, "  ", "192.0.2.1"); !errors.As(err, &de) || de.Code != desk.CodeInvalid {
		t.Errorf("blank number: err = %v, want invalid", err)
	}
}

// TestCheckEmployeeNoRateLimited: checks are counted per address, with the
// wait given back, and another address is not affected.
func TestCheckEmployeeNoRateLimited(t *testing.T) {
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	svc, current, _ := agentCheckFixture(t, desk.Options{Limiter: q.Limiter()})
	ctx := context.Background()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = svc.CheckEmployeeNo(ctx, "HL000000", "192.0.2.1")
	}
	var de *desk.Error
	if !errors.As(err, &de) || de.Code != desk.CodeRateLimited || de.RetryAfter <= 0 {
		t.Fatalf("after many checks: err = %v, want rate limited with a retry time", err)
	}
	if ok, err := svc.CheckEmployeeNo(ctx, current.EmployeeNo, "192.0.2.2"); err != nil || !ok {
		t.Errorf("another address: %v, %v", ok, err)
	}
}

// recordingAdapter hands every envelope to got.
type recordingAdapter struct{ got chan channels.Outbound }

func (a *recordingAdapter) Name() string { return "api" }

func (a *recordingAdapter) Send(ctx context.Context, out channels.Outbound) (string, error) {
	a.got <- out
	return "ok", nil
}

// TestOutboundCarriesAgentSignature: the envelope of an agent's reply names
// the agent and their employee number, so every channel can sign it.
func TestOutboundCarriesAgentSignature(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	agent, _ := postAgentReply(t, svc, "Wang")
	ad := &recordingAdapter{got: make(chan channels.Outbound, 1)}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.NewSender(db.(desk.OutboxStore), ad).Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	select {
	case out := <-ad.got:
		if out.AgentName != "Wang" || out.AgentEmployeeNo != agent.EmployeeNo || agent.EmployeeNo == "" {
			t.Errorf("envelope signed %q %q, want Wang %q", out.AgentName, out.AgentEmployeeNo, agent.EmployeeNo)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reply was never sent")
	}
}
