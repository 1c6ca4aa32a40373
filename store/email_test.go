package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

func TestMailboxPositionNeverMovesBackWithinAValidity(t *testing.T) {
	db, ctx := open(t)
	st, err := db.MailboxState(ctx, "support")
	if err != nil || st.Name != "support" || st.UIDValidity != 0 {
		t.Fatalf("fresh state %+v, %v", st, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.SetMailboxPosition(ctx, "support", 100, 5, t0))
	must(db.SetMailboxPosition(ctx, "support", 100, 3, t0)) // a stale poller
	st, _ = db.MailboxState(ctx, "support")
	if st.UIDValidity != 100 || st.LastUID != 5 || st.ValidityChangedAt != nil {
		t.Fatalf("state %+v, want validity 100 uid 5", st)
	}
	must(db.SetMailboxPosition(ctx, "support", 200, 0, time.Time{}))
	st, _ = db.MailboxState(ctx, "support")
	if st.UIDValidity != 200 || st.LastUID != 0 || st.ValidityChangedAt == nil {
		t.Fatalf("after the validity change %+v", st)
	}
	must(db.SetMailboxHealth(ctx, "support", desk.MailboxFailing, "login refused"))
	st, _ = db.MailboxState(ctx, "support")
	if st.State != desk.MailboxFailing || st.Error != "login refused" || st.ErrorAt == nil || st.UIDValidity != 200 {
		t.Fatalf("health %+v", st)
	}
	must(db.SetMailboxHealth(ctx, "support", desk.MailboxOK, ""))
	all, err := db.MailboxStates(ctx)
	if err != nil || len(all) != 1 || all[0].State != desk.MailboxOK || all[0].Error != "" {
		t.Fatalf("states %+v, %v", all, err)
	}
}

func TestEmailThreadTokenIsStableAndUnique(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "e1"))
	tk2 := newTicket(t, db, ticketFor(newContact(t, db), "e2"))
	var wg sync.WaitGroup
	toks := make([]string, 8)
	for i := range toks {
		wg.Go(func() {
			var err error
			if toks[i], err = db.EmailThreadToken(ctx, tk.ID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, tok := range toks {
		if tok != toks[0] || len(tok) != 26 {
			t.Fatalf("tokens %q: want one 26-character token", toks)
		}
	}
	other, err := db.EmailThreadToken(ctx, tk2.ID)
	if err != nil || other == toks[0] {
		t.Fatalf("second ticket's token %q, %v", other, err)
	}
	if id, err := db.TicketByEmailToken(ctx, toks[0]); err != nil || id != tk.ID {
		t.Fatalf("ticket by token %q, %v", id, err)
	}
	_, err = db.TicketByEmailToken(ctx, "aaaaaaaaaaaaaaaaaaaaaaaaaa")
	wantErr(t, err, desk.ErrNotFound)
	if id, err := db.TicketIDByNumber(ctx, tk2.Number); err != nil || id != tk2.ID {
		t.Fatalf("ticket by number %q, %v", id, err)
	}
}

func TestEmailParticipantsAndHeaderRoundTrip(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	mustTx(t, db, func(tx desk.Tx) error {
		return tx.InsertIdentity(ctx, desk.Identity{ID: desk.NewID(), ContactID: c.ID, Kind: desk.IdentityEmail, Value: "zhang@example.cn", CreatedAt: t0})
	})
	tk := newTicket(t, db, ticketFor(c, "p1"))
	h := &channels.Email{Mailbox: "support", MessageID: "m1@x", Subject: "还款", From: channels.Party{Kind: "email", Value: "zhang@example.cn"},
		Cc: []channels.Party{{Kind: "email", Value: "li@example.cn", Name: "李四"}}, QuoteAt: 12}
	m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirIn, AuthorKind: desk.AuthorContact, Channel: "email",
		Text: "text", Email: h, CreatedAt: t0}
	mustTx(t, db, func(tx desk.Tx) error {
		if err := tx.InsertMessage(context.Background(), m); err != nil {
			return err
		}
		return tx.InsertAttachment(ctx, desk.Attachment{ID: desk.NewID(), MessageID: m.ID, Name: "logo.png", MIME: "image/png", ContentID: "logo@x", Data: []byte{1}, CreatedAt: t0})
	})
	got, err := db.Message(ctx, m.ID)
	if err != nil || got.Email == nil || got.Email.Subject != "还款" || got.Email.Cc[0].Name != "李四" || got.Email.QuoteAt != 12 {
		t.Fatalf("header %+v, %v", got.Email, err)
	}
	files, err := db.Attachments(ctx, tk.ID)
	if err != nil || len(files) != 1 || files[0].ContentID != "logo@x" {
		t.Fatalf("attachments %+v, %v", files, err)
	}
	for addr, want := range map[string]bool{"zhang@example.cn": true, "li@example.cn": true, "stranger@evil.example": false} {
		if ok, err := db.EmailParticipant(ctx, tk.ID, addr); err != nil || ok != want {
			t.Errorf("participant %s = %v, %v; want %v", addr, ok, err, want)
		}
	}
}

func TestEmailBounces(t *testing.T) {
	db, ctx := open(t)
	_, err := db.EmailBounce(ctx, "nobody@example.cn")
	wantErr(t, err, desk.ErrNotFound)
	if err := db.RecordEmailBounce(ctx, desk.EmailBounce{Address: "Nobody@example.cn", Reason: "5.1.1", At: t0}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordEmailBounce(ctx, desk.EmailBounce{Address: "nobody@example.cn", Reason: "5.2.2 mailbox full", At: t0}); err != nil {
		t.Fatal(err)
	}
	b, err := db.EmailBounce(ctx, "NOBODY@example.cn")
	if err != nil || b.Reason != "5.2.2 mailbox full" {
		t.Fatalf("bounce %+v, %v", b, err)
	}
}
