package desk_test

import (
	"context"
	"slices"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// A report from a known chat joins the reporter's contact in a ticket of
// its own; a report without a sender gets a contact of its own.
func TestReportImpostorTicket(t *testing.T) {
	ctx := context.Background()
	svc, db := newService(t)
	from := channels.Party{Kind: desk.IdentityTelegram, Value: "1001"}
	chat := ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:1", ThreadKey: "main:1001", From: from, Text: "你好"})
	rep, err := svc.ReportImpostor(ctx, desk.ImpostorReport{What: "有人自称客服", Impostor: "17100000000", From: from, Key: "telegram:main:1001"})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := db.Ticket(ctx, chat.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ID == conv.ID || rep.ContactID != conv.ContactID || rep.Priority != desk.PriorityHigh || !slices.Contains(rep.Tags, desk.TagImpostorReport) || rep.Channel != desk.ChannelReport {
		t.Fatalf("report ticket %+v, conversation %+v", rep, conv)
	}
	anon, err := svc.ReportImpostor(ctx, desk.ImpostorReport{What: "可疑来电", Key: "ip:203.0.113.1"})
	if err != nil || anon.ContactID == conv.ContactID {
		t.Fatalf("anonymous report: %v %+v", err, anon)
	}
	if _, err := svc.ReportImpostor(ctx, desk.ImpostorReport{What: " ", Key: "ip:203.0.113.1"}); err == nil {
		t.Fatal("an empty report was taken")
	}
}
