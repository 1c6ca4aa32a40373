package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/store/storetest"
)

func newService(t *testing.T) (*desk.Service, desk.Store) {
	t.Helper()
	return newServiceWith(t, desk.Options{})
}

// newServiceWith is newService with options (its Store is filled in).
func newServiceWith(t *testing.T, o desk.Options) (*desk.Service, desk.Store) {
	t.Helper()
	db := storetest.New(t)
	o.Store = db
	return desk.NewService(o), db
}

func ingest(t *testing.T, svc *desk.Service, in channels.Inbound) channels.Receipt {
	t.Helper()
	rc, err := svc.Ingest(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func contactOf(t *testing.T, db desk.Store, ticketID string) desk.Contact {
	t.Helper()
	ctx := context.Background()
	tk, err := db.Ticket(ctx, ticketID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Contact(ctx, tk.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func timeline(t *testing.T, db desk.Store, ticketID string) string {
	t.Helper()
	ms, err := db.Messages(context.Background(), ticketID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(string(m.Direction) + ":" + m.Text + "\n")
	}
	return b.String()
}

func TestVerifiedLinkMergesIntoTheCustomersContact(t *testing.T) {
	svc, db := newService(t)
	ctx := context.Background()
	// The customer is known from the website: their customer number was
	// vouched for there (a signed identity), so it is verified.
	web := ingest(t, svc, channels.Inbound{Channel: "webchat", ExternalID: "w1", ThreadKey: "v1",
		From:  channels.Party{Kind: desk.IdentityWebchat, Value: "visitor-1", Name: "王芳"},
		Text:  "我想延期还款",
		Links: []channels.Party{{Kind: desk.IdentityCustomerNo, Value: "C-1001", Verified: true, Method: "signed_identity"}}})
	customer := contactOf(t, db, web.TicketID)

	// A Telegram user writes: a separate contact until proven.
	tg := ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:1", ThreadKey: "main:555",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "555", Name: "Fang"}, Text: "hello"})
	stranger := contactOf(t, db, tg.TicketID)
	if stranger.ID == customer.ID {
		t.Fatal("an unproven Telegram user joined the customer's contact")
	}

	// The deep link proves the same customer number: one person now.
	ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:2", ThreadKey: "main:555",
		From:  channels.Party{Kind: desk.IdentityTelegram, Value: "555"},
		Text:  "/start",
		Links: []channels.Party{{Kind: desk.IdentityCustomerNo, Value: "C-1001", Verified: true, Method: "telegram_deeplink"}}})
	merged := contactOf(t, db, tg.TicketID)
	if merged.ID != customer.ID {
		t.Fatalf("telegram ticket's contact = %s, want the customer's %s", merged.ID, customer.ID)
	}
	kinds := map[string]bool{}
	for _, id := range merged.Identities {
		kinds[id.Kind] = true
	}
	if !kinds[desk.IdentityTelegram] || !kinds[desk.IdentityWebchat] || !kinds[desk.IdentityCustomerNo] {
		t.Fatalf("merged identities = %+v", merged.Identities)
	}
	if old, _ := db.Contact(ctx, stranger.ID); old.MergedInto != customer.ID {
		t.Fatalf("old contact merged_into = %q", old.MergedInto)
	}
	if tl := timeline(t, db, tg.TicketID); !strings.Contains(tl, "system:contacts merged: customer_no C-1001") {
		t.Fatalf("timeline lacks the merge:\n%s", tl)
	}
	// The next Telegram message still threads into the same conversation.
	next := ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:3", ThreadKey: "main:555",
		From: channels.Party{Kind: desk.IdentityTelegram, Value: "555"}, Text: "谢谢"})
	if next.TicketID != tg.TicketID {
		t.Fatalf("after the merge a new ticket %s was opened, want %s", next.TicketID, tg.TicketID)
	}
}

func TestUnverifiedMatchesNeverMerge(t *testing.T) {
	svc, db := newService(t)
	// A phone number typed by someone, unverified.
	first := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "a1", ThreadKey: "t",
		From: channels.Party{Kind: desk.IdentityPhone, Value: "+8613800138000"}, Text: "hi"})
	// A Telegram user proves that phone: the unverified holder is not merged.
	tg := ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:9", ThreadKey: "main:777",
		From:  channels.Party{Kind: desk.IdentityTelegram, Value: "777"},
		Text:  "[shared own phone number]",
		Links: []channels.Party{{Kind: desk.IdentityPhone, Value: "+8613800138000", Verified: true, Method: "telegram_contact"}}})
	a, b := contactOf(t, db, first.TicketID), contactOf(t, db, tg.TicketID)
	if a.ID == b.ID {
		t.Fatal("merged on an unverified match")
	}
	if tl := timeline(t, db, tg.TicketID); !strings.Contains(tl, "not merged: phone +8613800138000") {
		t.Fatalf("timeline:\n%s", tl)
	}
	// A link without Verified is ignored entirely.
	ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:10", ThreadKey: "main:777",
		From:  channels.Party{Kind: desk.IdentityTelegram, Value: "777"},
		Text:  "x",
		Links: []channels.Party{{Kind: desk.IdentityCustomerNo, Value: "C-9", Verified: false}}})
	if _, err := db.IdentityByValue(context.Background(), desk.IdentityCustomerNo, "C-9"); err == nil {
		t.Fatal("an unverified link was recorded")
	}
	// A proof of a new identity is recorded verified on the sender.
	ingest(t, svc, channels.Inbound{Channel: "telegram", ExternalID: "main:11", ThreadKey: "main:777",
		From:       channels.Party{Kind: desk.IdentityTelegram, Value: "777"},
		Text:       "[shared own phone number]",
		ReceivedAt: time.Now(),
		Links:      []channels.Party{{Kind: desk.IdentityPhone, Value: "+8613900139000", Verified: true, Method: "telegram_contact"}}})
	id, err := db.IdentityByValue(context.Background(), desk.IdentityPhone, "+8613900139000")
	if err != nil || id.ContactID != b.ID || id.VerifiedAt == nil || id.Method != "telegram_contact" || id.Verifier != "telegram" {
		t.Fatalf("new verified identity = %+v, %v", id, err)
	}
}
