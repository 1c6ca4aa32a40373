package botadmin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
)

// The figures of a small data set, counted by hand:
//
//	T1 webchat closed   03-01 greet, answer              contained
//	T2 webchat resolved 03-01 clarify(not understood), handoff(human): handed off
//	T3 telegram open    03-02 answer, clarify(candidates) neither (still open)
//	T4 telegram closed  03-02 handoff(unknown), refuse(off_topic)
//	T5 webchat closed   03-02 handoff(unknown), refuse(abuse)
//	T6 webchat closed   03-05 answer                     outside the period
func TestAnalyticsFigures(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	status := func(id string, s desk.Status) {
		if _, err := f.svc.ChangeTicket(ctx, f.admin, id, desk.TicketChange{Status: &s}); err != nil {
			t.Fatal(err)
		}
	}
	var ids [7]string
	for i, st := range []desk.Status{"", desk.StatusClosed, desk.StatusResolved, desk.StatusOpen, desk.StatusClosed, desk.StatusClosed, desk.StatusClosed} {
		if i == 0 {
			continue
		}
		ids[i] = ingest(t, f.svc, "C"+string(rune('0'+i)), "问题")
		if st != desk.StatusOpen {
			status(ids[i], st)
		}
	}
	d1 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d2 := d1.Add(24 * time.Hour)
	dec := func(tk int, ch string, at time.Time, k bot.Kind, reason, text string) bot.Decision {
		return bot.Decision{ID: desk.NewID(), TicketID: ids[tk], Channel: ch, Kind: k, Detail: bot.Detail{Reason: reason}, Lang: "zh-CN", Text: text, CreatedAt: at}
	}
	ds := []bot.Decision{
		dec(1, "webchat", d1, bot.KindGreet, "", ""),
		dec(1, "webchat", d1.Add(time.Minute), bot.KindAnswer, "", "押金多久退"),
		// An email's suggested reply: counted as a kind, no bot ticket.
		dec(3, "email", d1.Add(2*time.Minute), bot.KindSuggest, "", "怎么还款"),
		dec(2, "webchat", d1.Add(time.Hour), bot.KindClarify, "not_understood", "押金怎么退 13812345678"),
		dec(2, "webchat", d1.Add(2*time.Hour), bot.KindHandoff, bot.ReasonHumanRequest, "转人工"),
		dec(3, "telegram", d2, bot.KindAnswer, "", "怎么还款"),
		// Which of two articles: not an unanswered question.
		dec(3, "telegram", d2.Add(time.Second), bot.KindClarify, "", "还款"),
		dec(4, "telegram", d2.Add(time.Minute), bot.KindHandoff, bot.ReasonUnknown, "ABC  xyz"),
		dec(4, "telegram", d2.Add(2*time.Minute), bot.KindRefuse, bot.RefuseOffTopic, "天气"),
		dec(5, "webchat", d2.Add(3*time.Minute), bot.KindHandoff, bot.ReasonUnknown, "abc xyz"),
		dec(5, "webchat", d2.Add(4*time.Minute), bot.KindRefuse, bot.RefuseAbuse, "骂人"),
		dec(6, "webchat", d1.Add(4*24*time.Hour), bot.KindAnswer, "", "x"),
	}
	if err := f.db.InsertBotDecisions(ctx, ds); err != nil {
		t.Fatal(err)
	}
	p := botadmin.Period{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	r, err := f.bot.Analytics(ctx, f.supervisor, p)
	if err != nil {
		t.Fatal(err)
	}
	want := botadmin.Containment{Tickets: 5, Contained: 1, HandedOff: 3, Decisions: 10}
	if r.Total != want || r.Total.Percent() != 20 {
		t.Fatalf("total %+v, want %+v", r.Total, want)
	}
	wantDays := []botadmin.Containment{
		{Day: "2026-03-01", Tickets: 2, Contained: 1, HandedOff: 1, Decisions: 4},
		{Day: "2026-03-02", Tickets: 3, Contained: 0, HandedOff: 2, Decisions: 6},
	}
	if len(r.Days) != 2 || r.Days[0] != wantDays[0] || r.Days[1] != wantDays[1] {
		t.Fatalf("days %+v", r.Days)
	}
	wantChannels := []botadmin.Containment{
		{Channel: "telegram", Tickets: 2, Contained: 0, HandedOff: 1, Decisions: 4},
		{Channel: "webchat", Tickets: 3, Contained: 1, HandedOff: 2, Decisions: 6},
	}
	if len(r.Channels) != 2 || r.Channels[0] != wantChannels[0] || r.Channels[1] != wantChannels[1] {
		t.Fatalf("channels %+v", r.Channels)
	}
	if len(r.Rows) != 3 || r.Rows[0] != (botadmin.Containment{Day: "2026-03-01", Channel: "webchat", Tickets: 2, Contained: 1, HandedOff: 1, Decisions: 4}) {
		t.Fatalf("rows %+v", r.Rows)
	}
	kinds := map[string]int{}
	for _, k := range r.Kinds {
		kinds[k.Key] = k.N
	}
	if len(r.Kinds) != len(bot.Kinds)+1 || kinds["suggest"] != 1 || kinds["greet"] != 1 || kinds["answer"] != 2 || kinds["clarify"] != 2 || kinds["handoff"] != 3 ||
		kinds["refuse"] != 2 || kinds["disclose"] != 0 {
		t.Fatalf("kinds %+v", r.Kinds)
	}
	if len(r.HandoffReasons) != 2 || r.HandoffReasons[0] != (botadmin.Count{Key: "unknown", N: 2}) || r.HandoffReasons[1] != (botadmin.Count{Key: "human_request", N: 1}) {
		t.Fatalf("reasons %+v", r.HandoffReasons)
	}
	if len(r.Refusals) != 2 || r.Refusals[0] != (botadmin.Count{Key: "abuse", N: 1}) || r.Refusals[1] != (botadmin.Count{Key: "off_topic", N: 1}) {
		t.Fatalf("refusals %+v", r.Refusals)
	}
	if len(r.Unanswered) != 2 || r.Unanswered[0].N != 2 || !strings.EqualFold(strings.Join(strings.Fields(r.Unanswered[0].Text), " "), "abc xyz") ||
		r.Unanswered[1].N != 1 || r.Unanswered[1].Kind != bot.KindClarify || strings.Contains(r.Unanswered[1].Text, "13812345678") {
		t.Fatalf("unanswered %+v", r.Unanswered)
	}

	p.Channel = "telegram"
	r, err = f.bot.Analytics(ctx, f.admin, p)
	if err != nil || r.Total != (botadmin.Containment{Tickets: 2, HandedOff: 1, Decisions: 4}) || len(r.Unanswered) != 1 {
		t.Fatalf("telegram only: %+v %v", r.Total, err)
	}
	// Days follow the zone asked for: 09:00 UTC on 03-01 is still 03-01
	// in Shanghai, and T3's 09:00 UTC on 03-02 too.
	p.Channel, p.Zone = "", time.FixedZone("CST", 8*3600)
	if r, err = f.bot.Analytics(ctx, f.admin, p); err != nil || len(r.Days) != 2 || r.Days[0].Day != "2026-03-01" {
		t.Fatalf("zoned days %+v %v", r.Days, err)
	}
	for _, bad := range []botadmin.Period{{From: p.To, To: p.From}, {From: p.From, To: p.From.AddDate(2, 0, 0)}} {
		_, err := f.bot.Analytics(ctx, f.admin, bad)
		codeIs(t, err, desk.CodeInvalid, "bad period")
	}
}
