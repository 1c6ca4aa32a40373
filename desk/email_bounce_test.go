package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

// bounceDir is a mailbox directory without mailboxes whose bouncing
// addresses are the store's (cmd's mailboxDirectory does the same).
type bounceDir struct{ db *store.DB }

func (bounceDir) Mailboxes(context.Context) ([]desk.MailboxInfo, error) { return nil, nil }
func (bounceDir) TestMailbox(context.Context, string) (desk.MailboxTest, error) {
	return desk.MailboxTest{}, nil
}
func (bounceDir) SaveMailbox(context.Context, desk.MailboxInput) error { return nil }
func (d bounceDir) EmailBounce(ctx context.Context, a string) (desk.EmailBounce, error) {
	return d.db.EmailBounce(ctx, a)
}
func (d bounceDir) EmailBounces(ctx context.Context) ([]desk.EmailBounce, error) {
	return d.db.EmailBounces(ctx)
}
func (d bounceDir) ClearEmailBounce(ctx context.Context, a string) error {
	return d.db.ClearEmailBounce(ctx, a)
}

// A bounce of the customer's address shows on their email ticket while it
// blocks (30 days), masked; an agent who sees the ticket clears it; admins
// list the addresses masked; strangers get nothing.
func TestTicketBounceShownAndCleared(t *testing.T) {
	db := storetest.New(t)
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	svc := desk.NewService(desk.Options{Store: db, Mailboxes: bounceDir{db}, Now: func() time.Time { return now }})
	ctx := context.Background()
	admin := mkAgent(t, svc, "admin@example.com", "管理员", desk.RoleAdmin)
	agent := mkAgent(t, svc, "agent@example.com", "李娜", desk.RoleAgent)
	rc := ingest(t, svc, mailIn("m1@x", "zhang.san@example.cn", "你好", channels.Email{Subject: "还款"}))

	if b, err := svc.TicketBounce(ctx, agent, rc.TicketID); err != nil || b != nil {
		t.Fatalf("bounce before any: %+v %v", b, err)
	}
	if err := db.RecordEmailBounce(ctx, desk.EmailBounce{Address: "Zhang.San@example.cn", Reason: "5.1.1 <zhang.san@example.cn>: user unknown", At: now.Add(-29 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	b, err := svc.TicketBounce(ctx, agent, rc.TicketID)
	if err != nil || b == nil || strings.Contains(b.Reason, "zhang.san@example.cn") || !strings.Contains(b.Reason, "user unknown") || b.Address != "" {
		t.Fatalf("bounce on the ticket: %+v %v", b, err)
	}
	list, err := svc.EmailBounces(ctx, admin)
	if err != nil || len(list) != 1 || list[0].Address == "zhang.san@example.cn" || !list[0].Blocking {
		t.Fatalf("admin list: %+v %v", list, err)
	}
	if _, err := svc.EmailBounces(ctx, agent); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("agent listed bounces: %v", err)
	}

	// Older than the block: the ticket no longer warns.
	now = now.Add(2 * 24 * time.Hour)
	if b, err := svc.TicketBounce(ctx, agent, rc.TicketID); err != nil || b != nil {
		t.Fatalf("a 31-day-old bounce still blocks: %+v %v", b, err)
	}
	now = now.Add(-2 * 24 * time.Hour)

	if err := svc.ClearTicketBounce(ctx, agent, rc.TicketID); err != nil {
		t.Fatal(err)
	}
	if b, err := svc.TicketBounce(ctx, agent, rc.TicketID); err != nil || b != nil {
		t.Fatalf("bounce after clearing: %+v %v", b, err)
	}
	if _, err := db.EmailBounce(ctx, "zhang.san@example.cn"); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("the mark is still stored: %v", err)
	}

	// Another channel's ticket has no mailbox to clear.
	other := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "a1", ThreadKey: "k", From: channels.Party{Kind: "api", Value: "c1"}, Text: "hi"})
	if err := svc.ClearTicketBounce(ctx, agent, other.TicketID); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("clear on an API ticket: %v", err)
	}
}
