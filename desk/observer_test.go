package desk_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// seen records the changes an observer heard, each with whether its
// message or ticket change was already committed when it heard it.
type seen struct {
	db  desk.Store
	got []string
}

func (o *seen) AfterCommit(ctx context.Context, c desk.Change) error {
	committed := false
	if c.Message != nil {
		_, err := o.db.Message(ctx, c.Message.ID)
		committed = err == nil
	} else {
		t, err := o.db.Ticket(ctx, c.Ticket.ID)
		committed = err == nil && t.UpdatedAt.Equal(c.Ticket.UpdatedAt)
	}
	o.got = append(o.got, fmt.Sprintf("%s new=%v reopened=%v committed=%v", c.Kind, c.NewTicket, c.Reopened, committed))
	return nil
}

func TestObserversHearEachCommitOnceAfterIt(t *testing.T) {
	rec := &seen{}
	failing := desk.ObserverFunc(func(context.Context, desk.Change) error { return errors.New("step failed") })
	panicking := desk.ObserverFunc(func(context.Context, desk.Change) error { panic("step panicked") })
	svc, db := newServiceWith(t, desk.Options{Observers: []desk.Observer{failing, panicking, rec}})
	rec.db = db
	ctx := context.Background()
	a := mkAgent(t, svc, "li@example.com", "李娜", desk.RoleAgent)

	in := channels.Inbound{Channel: "api", ExternalID: "e1", ThreadKey: "t", From: channels.Party{Kind: "api", Value: "c1"}, Text: "你好"}
	rc := ingest(t, svc, in)
	ingest(t, svc, in) // a replay stores nothing, so nobody hears of it
	if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ChangeTicket(ctx, a, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	in.ExternalID, in.Text = "e2", "还在吗"
	ingest(t, svc, in) // reopens the resolved ticket
	if _, err := svc.ChangeTicket(ctx, a, rc.TicketID, desk.TicketChange{Status: ptr(desk.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	// Refused (rolled back): a closed ticket takes no reply.
	if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "late"}); desk.CodeOf(err) != desk.CodeConflict {
		t.Fatalf("reply to a closed ticket: %v", err)
	}
	want := []string{
		"ingested new=true reopened=false committed=true",
		"posted new=false reopened=false committed=true",
		"changed new=false reopened=false committed=true",
		"ingested new=false reopened=true committed=true",
		"changed new=false reopened=false committed=true",
	}
	if fmt.Sprint(rec.got) != fmt.Sprint(want) {
		t.Fatalf("observer heard\n%q\nwant\n%q", rec.got, want)
	}
}
