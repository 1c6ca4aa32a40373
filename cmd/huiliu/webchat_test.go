package main

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"huiliu/channels"
	"huiliu/channels/webchat"
	"huiliu/desk"
	"huiliu/store/storetest"
)

// The widget sees the customer's messages and the replies, never notes or
// system entries, even when a page of the timeline holds only those.
func TestChatHistoryShowsOnlyWhatTheCustomerMaySee(t *testing.T) {
	db := storetest.New(t)
	svc := desk.NewService(desk.Options{Store: db})
	ctx := context.Background()
	agent, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "li@example.com", Name: "李娜", Role: desk.RoleAgent, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := svc.Ingest(ctx, channels.Inbound{Channel: "webchat", ExternalID: "v1:m1", ThreadKey: "s_key",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: "v1"}, Text: "你好"})
	if err != nil {
		t.Fatal(err)
	}
	for range 7 {
		if _, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindNote, Text: "internal"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.ChangeTicket(ctx, agent, rc.TicketID, desk.TicketChange{AddTags: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好，请讲"}); err != nil {
		t.Fatal(err)
	}
	h := chatHistory{svc: svc}
	if id, err := h.ActiveTicket(ctx, "s_key", "v1"); err != nil || id != rc.TicketID {
		t.Fatalf("active ticket %q, %v", id, err)
	}
	if id, err := h.ActiveTicket(ctx, "s_other", "v1"); err != nil || id != "" {
		t.Fatalf("other site: %q, %v", id, err)
	}
	if id, err := h.ActiveTicket(ctx, "s_key", "stranger"); err != nil || id != "" {
		t.Fatalf("unknown visitor: %q, %v", id, err)
	}
	// A limit of 3 makes whole pages of notes: the reply must still come.
	got, err := h.Messages(ctx, rc.TicketID, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].From != "customer" || got[0].ClientMsgID != "m1" || got[1].From != "agent" ||
		got[1].AgentName != "李娜" || got[1].EmployeeNo != agent.EmployeeNo || got[1].Seq != 10 {
		t.Fatalf("visible messages %+v", got)
	}
	if rest, err := h.Messages(ctx, rc.TicketID, got[1].Seq, 3); err != nil || len(rest) != 0 {
		t.Fatalf("after the reply: %+v %v", rest, err)
	}
}

// A desk event becomes a notice naming its message, so the sender can skip
// reading it back; events that add nothing the customer sees are dropped.
func TestEventNotice(t *testing.T) {
	ev := desk.Event{Type: desk.EventMessageCreated, TicketID: "t1", MessageID: "m1", MessageSeq: 7,
		Data: []byte(`{"ticket":{"id":"t1"},"message":{"id":"m1","text":"很长的正文"}}`)}
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := eventNotice(data); !ok || n != (webchat.Notice{TicketID: "t1", MessageID: "m1", Seq: 7}) {
		t.Fatalf("message event: %+v, %v", n, ok)
	}
	// Without a seq the id is no use: connections pull.
	data, _ = json.Marshal(desk.Event{Type: desk.EventTicketUpdated, TicketID: "t1", MessageID: "m1"})
	if n, ok := eventNotice(data); !ok || n != (webchat.Notice{TicketID: "t1"}) {
		t.Fatalf("ticket event: %+v, %v", n, ok)
	}
	data, _ = json.Marshal(desk.Event{Type: desk.EventMessageUpdated, TicketID: "t1", MessageID: "m1"})
	if n, ok := eventNotice(data); ok {
		t.Fatalf("delivery state change made a notice: %+v", n)
	}
	for _, bad := range []string{`{"type":"message.created"}`, `not json`, `[]`} {
		if n, ok := eventNotice([]byte(bad)); ok {
			t.Fatalf("%s made a notice: %+v", bad, n)
		}
	}
}

// A reply's files are listed for the widget and served only for their own
// ticket; a note's files never are.
func TestChatFilesOfReplies(t *testing.T) {
	db := storetest.New(t)
	svc := desk.NewService(desk.Options{Store: db})
	ctx := context.Background()
	agent, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "li@example.com", Name: "李娜", Role: desk.RoleAgent, Password: "long enough pw"})
	if err != nil {
		t.Fatal(err)
	}
	open := func(visitor string) string {
		rc, err := svc.Ingest(ctx, channels.Inbound{Channel: "webchat", ExternalID: visitor + ":m1", ThreadKey: "s_key",
			From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: "合同呢？"})
		if err != nil {
			t.Fatal(err)
		}
		return rc.TicketID
	}
	tk, other := open("v1"), open("v2")
	pdf := channels.Attachment{Name: "合同.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.7")}
	reply, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: tk, Kind: desk.KindReply, Text: "见附件", Attachments: []channels.Attachment{pdf}})
	if err != nil {
		t.Fatal(err)
	}
	note, _, err := svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: tk, Kind: desk.KindNote, Text: "内部", Attachments: []channels.Attachment{pdf}})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := (chatHistory{svc: svc}).Messages(ctx, tk, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[1].ID != reply.ID || len(msgs[1].Files) != 1 || msgs[1].Files[0].Name != "合同.pdf" {
		t.Fatalf("visible messages %+v", msgs)
	}
	f := chatFiles{svc: svc}
	got, data, err := f.File(ctx, tk, msgs[1].Files[0].ID)
	if err != nil || string(data) != "%PDF-1.7" || got.MIME != "application/pdf" {
		t.Fatalf("file: %+v %q %v", got, data, err)
	}
	if _, _, err := f.File(ctx, other, msgs[1].Files[0].ID); !errors.Is(err, webchat.ErrNoFile) {
		t.Fatalf("another ticket's file: %v", err)
	}
	atts, err := db.Attachments(ctx, tk)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range atts {
		if a.MessageID == note.ID {
			if _, _, err := f.File(ctx, tk, a.ID); !errors.Is(err, webchat.ErrNoFile) {
				t.Fatalf("a note's file reached the widget: %v", err)
			}
		}
	}
	if _, _, err := f.File(ctx, tk, "missing"); !errors.Is(err, webchat.ErrNoFile) {
		t.Fatalf("missing file: %v", err)
	}
}
