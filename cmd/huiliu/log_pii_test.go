package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

// lockedBuffer is a log sink written by the sender's goroutine and read by
// the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type refusingAdapter struct{}

func (refusingAdapter) Name() string { return "api" }

func (refusingAdapter) Send(context.Context, channels.Outbound) (string, error) {
	return "", channels.Permanent(fmt.Errorf("peer refused: mailbox zhang.san@example.com full, call 13800138000, card 6222020200001234562"))
}

// The server's logger (both formats) masks personal data: a delivery
// failure whose reason carries an address, a phone and a card number is
// logged through the real desk sender, and the output is searched for them.
func TestServerLogsMaskPersonalData(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var out lockedBuffer
			log := Config{LogFormat: format, LogLevel: "info"}.logger(&out)
			q := memory.New()
			t.Cleanup(func() { q.Close() })
			db := storetest.New(t)
			svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Logger: log})
			ctx := context.Background()
			a, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "li@example.com", Name: "李娜", Role: desk.RoleAgent, Password: "correct horse battery"})
			if err != nil {
				t.Fatal(err)
			}
			rc, err := svc.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "1", ThreadKey: "t",
				From: channels.Party{Kind: desk.IdentityAPI, Value: "c1"}, Text: "我的手机 13800138000"})
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "收到"})
			if err != nil {
				t.Fatal(err)
			}
			run, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { svc.NewSender(db, refusingAdapter{}).Run(run); close(done) }()
			defer func() { cancel(); <-done }()
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(out.String(), "not delivered") {
				if time.Now().After(deadline) {
					t.Fatalf("no delivery failure logged: %s", out.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			got := out.String()
			for _, raw := range []string{"zhang.san", "13800138000", "6222020200001234562"} {
				if strings.Contains(got, raw) {
					t.Errorf("log carries %q: %s", raw, got)
				}
			}
			if !strings.Contains(got, "138****8000") || !strings.Contains(got, m.ID) {
				t.Errorf("log lost its content: %s", got)
			}
		})
	}
}
