package store_test

import (
	"errors"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
)

func TestBotSettingsRoundTrip(t *testing.T) {
	db, ctx := open(t)
	if _, err := db.BotSettingsOf(ctx, "webchat", "s_1"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("absent settings: %v", err)
	}
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	b := botadmin.Settings{Channel: "webchat", SiteKey: "s_1", CalendarID: "cal", Timezone: "Asia/Shanghai",
		Hours: map[string]string{"mon": "09:00-18:00"}, UpdatedBy: "a1", UpdatedAt: at}
	b.Enabled, b.Mode, b.Name, b.Greeting = true, bot.ModeOffHours, "小汇", map[string]string{"zh-CN": "你好", "en": "Hi"}
	if err := db.PutBotSettings(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.Name, b.Enabled = "小汇2", false
	if err := db.PutBotSettings(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := db.PutBotSettings(ctx, botadmin.Settings{Channel: "telegram", UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	got, err := db.BotSettingsOf(ctx, "webchat", "s_1")
	if err != nil || got.Name != "小汇2" || got.Enabled || got.Mode != bot.ModeOffHours || got.Greeting["zh-CN"] != "你好" ||
		got.Hours["mon"] != "09:00-18:00" || got.CalendarID != "cal" || got.UpdatedBy != "a1" || !got.UpdatedAt.Equal(at) {
		t.Fatalf("%+v %v", got, err)
	}
	list, err := db.BotSettingsList(ctx)
	if err != nil || len(list) != 2 || list[0].Channel != "telegram" || list[1].SiteKey != "s_1" {
		t.Fatalf("list %+v %v", list, err)
	}
}

func TestBotFlowVersions(t *testing.T) {
	db, ctx := open(t)
	if v, err := db.LatestBotFlowVersion(ctx); err != nil || v != 0 {
		t.Fatalf("latest of none: %d %v", v, err)
	}
	at := time.UnixMilli(time.Now().UnixMilli()).UTC()
	v1, err := db.InsertBotFlowVersion(ctx, botadmin.FlowVersion{Source: "a", AuthorID: "x", Note: "first", CreatedAt: at}, 0)
	if err != nil || v1.Version != 1 {
		t.Fatalf("v1 %+v %v", v1, err)
	}
	// A save based on a version that is no longer the latest stores nothing.
	if _, err := db.InsertBotFlowVersion(ctx, botadmin.FlowVersion{Source: "b", CreatedAt: at}, 0); !errors.Is(err, desk.ErrConflict) {
		t.Fatalf("stale base: %v", err)
	}
	v2, err := db.InsertBotFlowVersion(ctx, botadmin.FlowVersion{Source: "a", AuthorID: "y", RestoredFrom: 1, CreatedAt: at}, 1)
	if err != nil || v2.Version != 2 {
		t.Fatalf("v2 %+v %v", v2, err)
	}
	list, err := db.BotFlowVersions(ctx, 10)
	if err != nil || len(list) != 2 || list[0].Version != 2 || list[0].RestoredFrom != 1 || list[0].Source != "" || list[1].Note != "first" {
		t.Fatalf("list %+v %v", list, err)
	}
	one, err := db.BotFlowVersion(ctx, 1)
	if err != nil || one.Source != "a" || one.AuthorID != "x" || !one.CreatedAt.Equal(at) {
		t.Fatalf("one %+v %v", one, err)
	}
	if _, err := db.BotFlowVersion(ctx, 9); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("absent version: %v", err)
	}
	if v, _ := db.LatestBotFlowVersion(ctx); v != 2 {
		t.Fatalf("latest %d", v)
	}
}

func TestBotDecisionReads(t *testing.T) {
	db, ctx := open(t)
	c := newContact(t, db)
	closed := ticketFor(c, "a")
	closed.Status = desk.StatusClosed
	closed = newTicket(t, db, closed)
	open := newTicket(t, db, ticketFor(c, "b"))
	day := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	ds := []bot.Decision{
		{ID: desk.NewID(), TicketID: closed.ID, Channel: "webchat", Kind: bot.KindAnswer, Detail: bot.Detail{ArticleID: "k1"}, Lang: "zh-CN", Text: "押金", CreatedAt: day},
		{ID: desk.NewID(), TicketID: open.ID, Channel: "telegram", Kind: bot.KindHandoff, Detail: bot.Detail{Reason: bot.ReasonUnknown}, Text: "x", CreatedAt: day.Add(time.Hour)},
		{ID: desk.NewID(), TicketID: open.ID, Channel: "telegram", Kind: bot.KindGreet, CreatedAt: day.Add(48 * time.Hour)},
	}
	if err := db.InsertBotDecisions(ctx, ds); err != nil {
		t.Fatal(err)
	}
	var got []botadmin.DecisionRow
	err := db.EachBotDecision(ctx, day, day.Add(24*time.Hour), "", func(d botadmin.DecisionRow) error {
		got = append(got, d)
		return nil
	})
	if err != nil || len(got) != 2 || got[0].Detail.ArticleID != "k1" || got[1].Detail.Reason != bot.ReasonUnknown ||
		got[0].Text != "押金" || !got[1].CreatedAt.Equal(day.Add(time.Hour)) {
		t.Fatalf("decisions %+v %v", got, err)
	}
	got = nil
	if err := db.EachBotDecision(ctx, day, day.Add(72*time.Hour), "telegram", func(d botadmin.DecisionRow) error {
		got = append(got, d)
		return nil
	}); err != nil || len(got) != 2 {
		t.Fatalf("telegram decisions %+v %v", got, err)
	}
	st, err := db.BotTicketStatuses(ctx, day, day.Add(24*time.Hour), "")
	if err != nil || len(st) != 2 || st[closed.ID] != "closed" || st[open.ID] != "open" {
		t.Fatalf("statuses %v %v", st, err)
	}
	if st, _ := db.BotTicketStatuses(ctx, day, day.Add(24*time.Hour), "webchat"); len(st) != 1 {
		t.Fatalf("webchat statuses %v", st)
	}
}
