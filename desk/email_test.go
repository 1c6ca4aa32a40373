package desk_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

func mailIn(id, from, text string, h channels.Email) channels.Inbound {
	h.MessageID = id
	h.From = channels.Party{Kind: desk.IdentityEmail, Value: from}
	return channels.Inbound{Channel: "email", ExternalID: id, ThreadKey: "support:" + id,
		From: channels.Party{Kind: desk.IdentityEmail, Value: from}, Text: text, Email: &h}
}

// TestIngestEmailThreadsByTicketID: a mail the channel matched to a ticket
// joins it even from another participant; the header is stored; a closed
// ticket is not reopened by it.
func TestIngestEmailThreadsByTicketID(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	first := ingest(t, svc, mailIn("a@x", "zhang@example.cn", "first", channels.Email{Subject: "还款日期", Cc: []channels.Party{{Kind: "email", Value: "li@example.cn"}}}))
	tk, err := db.Ticket(ctx, first.TicketID)
	if err != nil || tk.Subject != "还款日期" {
		t.Fatalf("subject %q, %v; want the mail's subject", tk.Subject, err)
	}
	in := mailIn("b@x", "li@example.cn", "from the colleague", channels.Email{Subject: "Re: 还款日期"})
	in.TicketID = first.TicketID
	second := ingest(t, svc, in)
	if second.TicketID != first.TicketID {
		t.Fatalf("the colleague's reply opened ticket %s", second.TicketID)
	}
	m, err := db.Message(ctx, second.MessageID)
	if err != nil || m.Email == nil || m.Email.Subject != "Re: 还款日期" || m.Email.MessageID != "b@x" {
		t.Fatalf("stored header %+v, %v", m.Email, err)
	}
	// Without the channel's match, the same sender's new mail is a new ticket.
	third := ingest(t, svc, mailIn("c@x", "li@example.cn", "new matter", channels.Email{Subject: "another"}))
	if third.TicketID == first.TicketID {
		t.Fatal("an unmatched mail joined the ticket")
	}
	// A ticket that is gone or closed: the mail opens a new one, nothing lost.
	in = mailIn("d@x", "li@example.cn", "stale", channels.Email{})
	in.TicketID = "no-such-ticket"
	if rc := ingest(t, svc, in); rc.TicketID == "" || rc.TicketID == first.TicketID {
		t.Fatalf("stale ticket id gave %+v", rc)
	}
}

// TestEmailReplyThreadingAndLoopGuard: the sender fills In-Reply-To,
// References, Cc and subject from the customer's mail, and refuses an
// automatic message to a customer whose mail was automatic.
func TestEmailReplyThreadingAndLoopGuard(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	rc := ingest(t, svc, mailIn("m2@x", "zhang@example.cn", "hello", channels.Email{Subject: "还款", References: []string{"m1@x"},
		Cc: []channels.Party{{Kind: "email", Value: "li@example.cn"}}}))
	agent, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "a@example.com", Name: "A", Role: desk.RoleAdmin, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "答复"}); err != nil {
		t.Fatal(err)
	}
	rec := &mailAdapter{}
	runSenderUntil(t, svc, db, rec, func() bool { return len(rec.got()) == 1 })
	out := rec.got()[0]
	if out.InReplyTo != "m2@x" || len(out.References) != 2 || out.References[0] != "m1@x" || out.References[1] != "m2@x" {
		t.Errorf("threading %q %q", out.InReplyTo, out.References)
	}
	if out.Subject != "Re: 还款" || len(out.Cc) != 1 || out.Cc[0].Value != "li@example.cn" || out.Automatic {
		t.Errorf("subject %q cc %+v automatic %v", out.Subject, out.Cc, out.Automatic)
	}

	// A reply whose Cc the agent cleared goes to the customer alone, even
	// after the header went through the database.
	if _, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "单独答复",
		Mail: &desk.MailReply{Subject: "Re: 还款", Cc: " "}}); err != nil {
		t.Fatal(err)
	}
	runSenderUntil(t, svc, db, rec, func() bool { return len(rec.got()) == 2 })
	if out := rec.got()[1]; len(out.Cc) != 0 || out.Text != "单独答复" {
		t.Errorf("a reply with its Cc cleared went to %+v", out.Cc)
	}

	// An out-of-office answer, then the bot answers it: refused.
	auto := mailIn("m3@x", "zhang@example.cn", "I am away", channels.Email{Subject: "自动回复: 还款", Automatic: "auto-submitted: auto-replied"})
	auto.TicketID = rc.TicketID
	ingest(t, svc, auto)
	m, _, err := svc.Post(ctx, desk.BotActor("bot"), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好，我是机器人"})
	if err != nil {
		t.Fatal(err)
	}
	runSenderUntil(t, svc, db, rec, func() bool {
		got, err := db.Message(ctx, m.ID)
		return err == nil && got.Delivery == desk.DeliveryFailed
	})
	if len(rec.got()) != 2 {
		t.Fatal("the automatic reply to an automatic mail was sent")
	}
}

// mailAdapter records what the sender hands the email channel.
type mailAdapter struct {
	mu  sync.Mutex
	out []channels.Outbound
}

func (a *mailAdapter) Name() string { return "email" }

func (a *mailAdapter) Send(_ context.Context, out channels.Outbound) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.out = append(a.out, out)
	return "", nil
}

func (a *mailAdapter) got() []channels.Outbound {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]channels.Outbound(nil), a.out...)
}

// runSenderUntil runs the outbox sender until done holds.
func runSenderUntil(t *testing.T, svc *desk.Service, db desk.Store, ad channels.Adapter, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { svc.NewSender(db.(desk.OutboxStore), ad).Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	deadline := time.Now().Add(15 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the sender")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMarkUndelivered(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	_, m := postAgentReply(t, svc, "S")
	if err := svc.MarkUndelivered(ctx, "other-ticket", m.ID, "550 user unknown"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("another ticket's bounce: %v, want not found", err)
	}
	if err := svc.MarkUndelivered(ctx, m.TicketID, m.ID, "550 5.1.1 user unknown"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Message(ctx, m.ID)
	if err != nil || got.Delivery != desk.DeliveryFailed || got.DeliveryError != "550 5.1.1 user unknown" {
		t.Fatalf("delivery %q %q, %v", got.Delivery, got.DeliveryError, err)
	}
}

func TestIngestDefaultTeam(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	team, err := svc.CreateTeam(ctx, desk.Actor{}, "账务组")
	if err != nil {
		t.Fatal(err)
	}
	in := mailIn("team@x", "zhang@example.cn", "hello", channels.Email{Subject: "s"})
	in.DefaultTeam = "账务组"
	rc := ingest(t, svc, in)
	tk, err := db.Ticket(ctx, rc.TicketID)
	if err != nil || tk.TeamID != team.ID {
		t.Fatalf("team %q, %v; want the mailbox's default team", tk.TeamID, err)
	}
}
