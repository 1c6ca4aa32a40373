package desk_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

type countingPurger struct{ calls, dry atomic.Int32 }

func (p *countingPurger) PurgeContact(_ context.Context, _ string, ids []desk.Identity, dry bool) (int, error) {
	if dry {
		p.dry.Add(1)
	} else {
		p.calls.Add(1)
	}
	return len(ids), nil
}

// A purge takes the personal data of tickets closed longer ago than the
// retention and leaves everything else; a dry run counts the same and
// changes nothing.
func TestPurgeClosed(t *testing.T) {
	ctx := context.Background()
	var clock atomic.Int64
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	clock.Store(start.UnixMilli())
	purger := &countingPurger{}
	svc, db := newServiceWith(t, desk.Options{Now: func() time.Time { return time.UnixMilli(clock.Load()) }, Purgers: []desk.PersonalDataPurger{purger}})
	admin, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	from := func(v string) channels.Party { return channels.Party{Kind: desk.IdentityAPI, Value: v} }
	// old: one ticket, closed long ago, with a file and a linked phone.
	old := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "o1", ThreadKey: "t", From: from("old"), Text: "我的手机 13800138000",
		Attachments: []channels.Attachment{{Name: "id.png", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}},
		Links:       []channels.Party{{Kind: desk.IdentityPhone, Value: "13800138000", Verified: true, Method: "site_identity"}}})
	// mixed: one ticket closed long ago, another still open.
	mixedOld := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "m1", ThreadKey: "a", From: from("mixed"), Text: "旧问题"})
	mixedNew := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "m2", ThreadKey: "b", From: from("mixed"), Text: "新问题"})
	closed := desk.StatusClosed
	for _, id := range []string{old.TicketID, mixedOld.TicketID} {
		if _, err := svc.ChangeTicket(ctx, admin, id, desk.TicketChange{Status: &closed}); err != nil {
			t.Fatal(err)
		}
	}
	// recent: closed yesterday (relative to the purge), stays.
	clock.Store(start.Add(29 * 24 * time.Hour).UnixMilli())
	recent := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "r1", ThreadKey: "t", From: from("recent"), Text: "刚关闭"})
	if _, err := svc.ChangeTicket(ctx, admin, recent.TicketID, desk.TicketChange{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	clock.Store(start.Add(31 * 24 * time.Hour).UnixMilli())

	if _, err := svc.PurgeClosed(ctx, desk.AgentActor(desk.Agent{ID: "x", Role: desk.RoleSupervisor}), 30, true); err == nil {
		t.Fatal("a supervisor purged")
	}
	if _, err := svc.PurgeClosed(ctx, desk.Actor{}, 0, true); err == nil {
		t.Fatal("zero days purged")
	}
	// Messages: two customer messages and the identity entry of "old".
	want := desk.RetentionReport{DryRun: true, Tickets: 2, Messages: 3, Attachments: 1, Contacts: 1, Identities: 2, Other: 2}
	dry, err := svc.PurgeClosed(ctx, desk.Actor{}, 30, true)
	want.Before = dry.Before
	if err != nil || dry != want {
		t.Fatalf("dry run: %v\n got %+v\nwant %+v", err, dry, want)
	}
	if got := timeline(t, db, old.TicketID); !strings.Contains(got, "13800138000") {
		t.Fatalf("the dry run changed the timeline: %s", got)
	}
	if c := contactOf(t, db, old.TicketID); len(c.Identities) != 2 {
		t.Fatalf("the dry run unlinked identities: %+v", c)
	}

	rep, err := svc.PurgeClosed(ctx, desk.Actor{}, 30, false)
	want.DryRun, want.Before = false, rep.Before
	if err != nil || rep != want {
		t.Fatalf("purge: %v\n got %+v\nwant %+v", err, rep, want)
	}
	if purger.calls.Load() != 1 || purger.dry.Load() != 1 {
		t.Errorf("purger calls %d, dry %d", purger.calls.Load(), purger.dry.Load())
	}
	for _, id := range []string{old.TicketID, mixedOld.TicketID} {
		got := timeline(t, db, id)
		if !strings.Contains(got, "in:"+desk.PurgeMarker) || strings.Contains(got, "13800138000") || strings.Contains(got, "旧问题") {
			t.Errorf("ticket %s after the purge:\n%s", id, got)
		}
		if !strings.Contains(got, "system:") {
			t.Errorf("ticket %s lost its system entries (SLA history):\n%s", id, got)
		}
		tk, err := db.Ticket(ctx, id)
		if err != nil || tk.Number == 0 || tk.Preview != desk.PurgeMarker || tk.Status != desk.StatusClosed {
			t.Errorf("ticket row after the purge: %v %+v", err, tk)
		}
	}
	if files, err := db.Attachments(ctx, old.TicketID); err != nil || len(files) != 0 {
		t.Errorf("attachments left: %v %+v", err, files)
	}
	if c := contactOf(t, db, old.TicketID); len(c.Identities) != 0 || c.Name != desk.PurgeMarker {
		t.Errorf("old contact still linked: %+v", c)
	}
	if c := contactOf(t, db, mixedNew.TicketID); len(c.Identities) != 1 {
		t.Errorf("a contact with an open ticket lost its identities: %+v", c)
	}
	for _, id := range []string{mixedNew.TicketID, recent.TicketID} {
		if got := timeline(t, db, id); strings.Contains(got, desk.PurgeMarker) {
			t.Errorf("ticket %s was purged:\n%s", id, got)
		}
	}
	// The same customer writing again is a new contact.
	again := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "o2", ThreadKey: "t", From: from("old"), Text: "又是我"})
	if c := contactOf(t, db, again.TicketID); c.ID == contactOf(t, db, old.TicketID).ID {
		t.Error("a purged contact was linked again")
	}
	// A second purge finds nothing; the purge is audited.
	if rep, err := svc.PurgeClosed(ctx, desk.Actor{}, 30, false); err != nil || rep.Tickets != 0 {
		t.Errorf("second purge: %v %+v", err, rep)
	}
	log, err := svc.AuditLog(ctx, desk.Actor{}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "retention.purge" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d retention.purge audit entries, want 2", n)
	}
}
