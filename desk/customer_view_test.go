package desk_test

import (
	"context"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

func customerAsks(visitor, text string) channels.Inbound {
	return channels.Inbound{Channel: "webchat", ExternalID: visitor + ":" + text, ThreadKey: "site",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: text}
}

// The customer sees their messages and the replies, never notes or system
// entries, even when whole pages of the timeline hold only those.
func TestCustomerTimelineHidesNotesAndSystemEntries(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	a := mkAgent(t, svc, "li@example.com", "李娜", desk.RoleAgent)
	rc := ingest(t, svc, customerAsks("v1", "你好"))
	for range 5 {
		if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindNote, Text: "internal"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.ChangeTicket(ctx, a, rc.TicketID, desk.TicketChange{AddTags: []string{"vip"}}); err != nil {
		t.Fatal(err)
	}
	reply, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好，请讲"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.CustomerTimeline(ctx, rc.TicketID, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].From != desk.AuthorContact || got[0].ExternalID != "v1:你好" ||
		got[1].ID != reply.ID || got[1].From != desk.AuthorAgent || got[1].AuthorName != "李娜" || got[1].EmployeeNo != a.EmployeeNo {
		t.Fatalf("customer view: %+v", got)
	}
	for _, m := range got {
		if m.Text == "internal" {
			t.Fatalf("a note reached the customer: %+v", m)
		}
	}
	if rest, err := svc.CustomerTimeline(ctx, rc.TicketID, got[1].Seq, 2); err != nil || len(rest) != 0 {
		t.Fatalf("after the reply: %+v %v", rest, err)
	}
	if id, err := svc.ConversationTicket(ctx, desk.IdentityWebchat, "v1", "webchat", "site"); err != nil || id != rc.TicketID {
		t.Fatalf("conversation ticket %q %v", id, err)
	}
	if id, err := svc.ConversationTicket(ctx, desk.IdentityWebchat, "stranger", "webchat", "site"); err != nil || id != "" {
		t.Fatalf("unknown visitor's ticket %q %v", id, err)
	}
}

// Only files sent to the customer on their own ticket are theirs to
// download: not another ticket's, not a note's; their own upload is theirs.
func TestCustomerFileRefusesOtherFiles(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	a := mkAgent(t, svc, "li@example.com", "李娜", desk.RoleAgent)
	upload := customerAsks("v1", "截图")
	upload.Attachments = []channels.Attachment{{Name: "shot.png", MIME: "image/png", Data: []byte("png")}}
	mine := ingest(t, svc, upload).TicketID
	other := ingest(t, svc, customerAsks("v2", "hi")).TicketID
	pdf := []channels.Attachment{{Name: "合同.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.7")}}
	reply, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: mine, Kind: desk.KindReply, Text: "见附件", Attachments: pdf})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Post(ctx, desk.AgentActor(a), desk.PostRequest{TicketID: mine, Kind: desk.KindNote, Text: "内部", Attachments: pdf}); err != nil {
		t.Fatal(err)
	}
	files, err := db.Attachments(ctx, mine)
	if err != nil || len(files) != 3 {
		t.Fatalf("files %+v %v", files, err)
	}
	for _, f := range files {
		got, err := svc.CustomerFile(ctx, mine, f.ID)
		if f.Name == "shot.png" {
			if err != nil || string(got.Data) != "png" {
				t.Errorf("the customer's own upload: %+v %v", got, err)
			}
			continue
		}
		if f.MessageID == reply.ID {
			if err != nil || string(got.Data) != "%PDF-1.7" {
				t.Errorf("the reply's file: %+v %v", got, err)
			}
			if _, err := svc.CustomerFile(ctx, other, f.ID); desk.CodeOf(err) != desk.CodeNotFound {
				t.Errorf("another ticket's file: %v", err)
			}
			continue
		}
		if desk.CodeOf(err) != desk.CodeNotFound {
			t.Errorf("%s (message %s) reached the customer: %v", f.Name, f.MessageID, err)
		}
	}
	if _, err := svc.CustomerFile(ctx, mine, "missing"); desk.CodeOf(err) != desk.CodeNotFound {
		t.Errorf("missing file: %v", err)
	}
	tl, err := svc.CustomerTimeline(ctx, mine, 0, 50)
	if err != nil || len(tl) != 2 || len(tl[0].Files) != 1 || len(tl[1].Files) != 1 || tl[1].Files[0].Name != "合同.pdf" {
		t.Fatalf("timeline files: %+v %v", tl, err)
	}
}
