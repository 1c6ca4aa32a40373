package store_test

import (
	"context"
	"testing"
	"time"

	"huiliu/desk"
)

func csatTx(t *testing.T, db interface {
	Tx(context.Context, func(desk.Tx) error) error
}, fn func(tx desk.CSATTx) error) {
	t.Helper()
	if err := db.Tx(context.Background(), func(tx desk.Tx) error { return fn(tx.(desk.CSATTx)) }); err != nil {
		t.Fatalf("tx: %v", err)
	}
}

func TestSurveyOncePerCycleAnsweredOnce(t *testing.T) {
	db, ctx := open(t)
	tk := newTicket(t, db, ticketFor(newContact(t, db), "csat"))
	newMessage(t, db, tk, "hello")
	resolve := func() int64 {
		ev := &desk.SystemEvent{Action: "status", Args: map[string]string{"by": `a "status":"resolved"`, "from": "open", "status": "resolved"}}
		m := desk.Message{ID: desk.NewID(), TicketID: tk.ID, Direction: desk.DirSystem, AuthorKind: desk.AuthorAgent,
			Channel: tk.Channel, Text: "resolved", Event: ev, CreatedAt: t0}
		mustTx(t, db, func(tx desk.Tx) error { return tx.InsertMessage(ctx, m) })
		stored, err := db.Message(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		return stored.Seq
	}
	if seq, err := db.ResolutionSeq(ctx, tk.ID); err != nil || seq != 0 {
		t.Fatalf("resolution of an open ticket = %d, %v", seq, err)
	}
	first := resolve()
	if seq, err := db.ResolutionSeq(ctx, tk.ID); err != nil || seq != first {
		t.Fatalf("resolution = %d, %v; want %d", seq, err, first)
	}
	s := desk.Survey{ID: desk.NewID(), TicketID: tk.ID, Cycle: first, ContactID: tk.ContactID, Channel: "webchat",
		Lang: "zh-CN", TokenHash: "h1", CreatedAt: t0, ExpiresAt: t0.Add(desk.SurveyValidity)}
	for i, want := range []bool{true, false} {
		twin := s
		twin.ID, twin.TokenHash = desk.NewID(), s.TokenHash+string(rune('a'+i))
		csatTx(t, db, func(tx desk.CSATTx) error {
			ok, err := tx.InsertSurvey(ctx, twin)
			if err == nil && ok != want {
				t.Errorf("insert %d = %v, want %v", i+1, ok, want)
			}
			return err
		})
	}
	second := resolve()
	csatTx(t, db, func(tx desk.CSATTx) error {
		ok, err := tx.InsertSurvey(ctx, desk.Survey{ID: desk.NewID(), TicketID: tk.ID, Cycle: second, ContactID: tk.ContactID,
			Channel: "webchat", TokenHash: "h2", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
		if err == nil && !ok {
			t.Error("the second resolution's survey was refused")
		}
		return err
	})
	list, err := db.TicketSurveys(ctx, tk.ID)
	if err != nil || len(list) != 2 || list[0].Cycle != first || list[0].AnsweredAt != nil || list[0].Score != 0 {
		t.Fatalf("surveys = %+v, %v", list, err)
	}
	got, err := db.SurveyByTokenHash(ctx, list[0].TokenHash)
	if err != nil || got.ID != list[0].ID {
		t.Fatalf("by token = %+v, %v", got, err)
	}
	for i, want := range []bool{true, false} {
		csatTx(t, db, func(tx desk.CSATTx) error {
			ok, err := tx.AnswerSurvey(ctx, got.ID, 5-i*4, "好", t0.Add(time.Minute))
			if err == nil && ok != want {
				t.Errorf("answer %d = %v, want %v", i+1, ok, want)
			}
			return err
		})
	}
	got, _ = db.SurveyByTokenHash(ctx, got.TokenHash)
	if got.Score != 5 || got.Comment != "好" || got.AnsweredAt == nil || got.State(t0) != desk.SurveyAnswered {
		t.Fatalf("answered survey = %+v", got)
	}
	// The second survey expires after an hour: a late answer changes nothing.
	csatTx(t, db, func(tx desk.CSATTx) error {
		ok, err := tx.AnswerSurvey(ctx, list[1].ID, 1, "", t0.Add(time.Hour))
		if err == nil && ok {
			t.Error("an expired survey took an answer")
		}
		return err
	})
}

func TestCSATSettingsRoundTrip(t *testing.T) {
	db, ctx := open(t)
	if _, err := db.CSATSettings(ctx, ""); err == nil {
		t.Fatal("settings before any were saved")
	}
	c := desk.CSATSettings{Scope: "team1", Enabled: false, Threshold: 3, Reopen: true,
		Wording: map[string]string{"en": "How did we do?"}, UpdatedAt: t0}
	csatTx(t, db, func(tx desk.CSATTx) error { return tx.PutCSATSettings(ctx, c) })
	c.Threshold = 1
	csatTx(t, db, func(tx desk.CSATTx) error { return tx.PutCSATSettings(ctx, c) })
	got, err := db.CSATSettings(ctx, "team1")
	if err != nil || got.Enabled || got.Threshold != 1 || !got.Reopen || got.Notify || got.Wording["en"] != "How did we do?" {
		t.Fatalf("settings = %+v, %v", got, err)
	}
	csatTx(t, db, func(tx desk.CSATTx) error { return tx.DeleteCSATSettings(ctx, "team1") })
	if all, err := db.AllCSATSettings(ctx); err != nil || len(all) != 0 {
		t.Fatalf("after delete: %+v, %v", all, err)
	}
}
