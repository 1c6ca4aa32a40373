package desk_test

import (
	"context"
	"math"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

// kpiDesk is a service with the KPI observer on a fake clock, a 24x7 SLA
// policy (first response 30 min, resolution 4 h) and days counted in
// Beijing time.
type kpiDesk struct {
	svc   *desk.Service
	db    *store.DB
	kpi   *desk.KPI
	clock *slaClock
	admin desk.Agent
	li    desk.Agent
}

func newKPIDesk(t *testing.T) *kpiDesk {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-09-22 10:00"))
	k := desk.NewKPI(db, cstZone)
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{k}})
	cal, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "24x7", Timezone: "UTC", AlwaysOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, desk.SLAPolicy{Name: "all", CalendarID: cal.ID,
		FirstResponse: desk.SLADuration(30 * time.Minute), Resolution: desk.SLADuration(4 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return &kpiDesk{svc: svc, db: db, kpi: k, clock: clock,
		admin: mkAgent(t, svc, "boss@example.com", "主管", desk.RoleAdmin, "Support"),
		li:    mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")}
}

// at moves the clock to a Beijing time.
func (d *kpiDesk) at(s string) { d.clock.Set(cstAt(s)) }

func (d *kpiDesk) customer(t *testing.T, at, who, text string) string {
	t.Helper()
	d.at(at)
	rc := ingest(t, d.svc, channels.Inbound{Channel: "api", ExternalID: who + at, ThreadKey: who,
		From: channels.Party{Kind: "api", Value: who}, Text: text})
	return rc.TicketID
}

func (d *kpiDesk) reply(t *testing.T, at string, a desk.Agent, id string) {
	t.Helper()
	d.at(at)
	if _, _, err := d.svc.Post(context.Background(), desk.AgentActor(a), desk.PostRequest{TicketID: id, Kind: desk.KindReply, Text: "好的"}); err != nil {
		t.Fatal(err)
	}
}

func (d *kpiDesk) change(t *testing.T, at, id string, c desk.TicketChange) {
	t.Helper()
	d.at(at)
	if _, err := d.svc.ChangeTicket(context.Background(), d.admin, id, c); err != nil {
		t.Fatal(err)
	}
}

func near(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-9 }

// TestKPIFiguresMatchAHandComputedWeek builds two weeks of tickets through
// the service (so the observer path keeps the roll-ups) and checks every
// figure against the numbers worked out by hand in the comments.
func TestKPIFiguresMatchAHandComputedWeek(t *testing.T) {
	ctx := context.Background()
	d := newKPIDesk(t)
	resolved := desk.StatusResolved

	// Previous week: P answered in 10 min, resolved in 1 h: all timely.
	p := d.customer(t, "2026-09-22 10:00", "p", "押金退款")
	d.reply(t, "2026-09-22 10:10", d.li, p)
	d.change(t, "2026-09-22 11:00", p, desk.TicketChange{Status: &resolved})

	// A (Tue): first response 20 min (met), resolved after 1 h (met): first-contact.
	a := d.customer(t, "2026-09-29 09:00", "a", "怎么还款")
	d.reply(t, "2026-09-29 09:20", d.li, a)
	d.change(t, "2026-09-29 10:00", a, desk.TicketChange{Status: &resolved})

	// B (Tue): first response 60 min (late), next response 30 min, a
	// transfer, resolved after 6 h (late).
	b := d.customer(t, "2026-09-29 14:00", "b", "扣款失败")
	d.reply(t, "2026-09-29 15:00", d.li, b)
	d.customer(t, "2026-09-29 15:10", "b", "还是失败")
	d.reply(t, "2026-09-29 15:40", d.li, b)
	coll := mkAgent(t, d.svc, "han@example.com", "韩梅梅", desk.RoleAgent, "Collections")
	collTeam, err := d.db.TeamByName(ctx, "Collections")
	if err != nil {
		t.Fatal(err)
	}
	d.change(t, "2026-09-29 15:45", b, desk.TicketChange{TeamID: &collTeam.ID, AssigneeID: &coll.ID})
	d.at("2026-09-29 19:59")
	if _, err := d.svc.ConfirmOutcome(ctx, d.li, b, "已告知客户", ""); err != nil {
		t.Fatal(err)
	}
	d.change(t, "2026-09-29 20:00", b, desk.TicketChange{Status: &resolved})

	// C (Wed): never answered; its 30 min runs out at 11:30.
	d.customer(t, "2026-09-30 11:00", "c", "人呢")

	// D (Wed, category repayment): answered in 5 min, resolved at 16:30,
	// reopened by the customer at 17:00, answered in 10 min, resolved
	// again at 17:30: resolution 1.5 h, one reopen, resolution clock 1 h.
	dd := d.customer(t, "2026-09-30 16:00", "d", "提前还款")
	repay := "repayment"
	d.change(t, "2026-09-30 16:01", dd, desk.TicketChange{Category: &repay})
	d.reply(t, "2026-09-30 16:05", d.li, dd)
	d.change(t, "2026-09-30 16:30", dd, desk.TicketChange{Status: &resolved})
	d.customer(t, "2026-09-30 17:00", "d", "还有一个问题")
	d.reply(t, "2026-09-30 17:10", d.li, dd)
	d.change(t, "2026-09-30 17:30", dd, desk.TicketChange{Status: &resolved})

	// C's breach shows once something looks at it after 11:30: the heal.
	d.at("2026-09-30 18:00")
	if _, err := d.kpi.Heal(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	// Healing again (as another node would) changes nothing.
	if _, err := d.kpi.Heal(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}

	r, err := d.kpi.Report(ctx, d.admin, desk.ReportQuery{Period: desk.PeriodWeek, At: cstAt("2026-10-01 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Current.From.Equal(cstAt("2026-09-28 00:00")) || !r.Previous.From.Equal(cstAt("2026-09-21 00:00")) {
		t.Fatalf("spans %+v / %+v", r.Current, r.Previous)
	}
	f := r.Cur
	if f.Created != 4 || f.Resolved != 3 || f.Transfers != 1 || f.Reopens != 1 {
		t.Fatalf("counts: created %d resolved %d transfers %d reopens %d; want 4 3 1 1", f.Created, f.Resolved, f.Transfers, f.Reopens)
	}
	// First response: A met, B late, D met, C breached (11:30) → 2/4.
	// Resolution: A met, B late, D met (1 h of clock), C breached (15:00)
	// → 2/4. Both: 4/8.
	if !near(f.FirstResponseTimely, 0.5) || !near(f.ResolutionTimely, 0.5) || !near(f.Timely, 0.5) || f.TimelyDecided != 8 {
		t.Fatalf("timeliness %v %v %v (%d decided)", *f.FirstResponseTimely, *f.ResolutionTimely, *f.Timely, f.TimelyDecided)
	}
	// First responses 20, 60 and 5 min: average 28⅓ min; the median's
	// bucket is 10–30 min (rank 2 of 3 is its only sample: its top), the
	// p90's is 30–60 min.
	if !near(f.FirstResponseAvg, 1700) || !near(f.FirstResponseMedian, 1800) || !near(f.FirstResponseP90, 3600) {
		t.Fatalf("first response avg %v median %v p90 %v", *f.FirstResponseAvg, *f.FirstResponseMedian, *f.FirstResponseP90)
	}
	// Resolutions 1 h, 6 h, 1.5 h: the median is in 1–2 h, the p90 in 4–8 h.
	if !near(f.ResolutionMedian, 7200) || !near(f.ResolutionP90, 8*3600) {
		t.Fatalf("resolution median %v p90 %v", *f.ResolutionMedian, *f.ResolutionP90)
	}
	// Next responses 30 min (B) and 10 min (D): the median is rank 1 of
	// 2, the top of 5–10 min; the p90 the top of 10–30 min.
	if !near(f.NextResponseMedian, 600) || !near(f.NextResponseP90, 1800) {
		t.Fatalf("next response median %v p90 %v", *f.NextResponseMedian, *f.NextResponseP90)
	}
	if !near(f.FirstContactResolution, 1.0/3) {
		t.Fatalf("first-contact resolution %v, want 1/3 (only A)", *f.FirstContactResolution)
	}
	if f.SatisfactionAvg != nil || f.Complaints != 0 || f.ComplaintsPer1000 == nil || *f.ComplaintsPer1000 != 0 {
		t.Fatalf("satisfaction without surveys %v, complaints %d per 1,000 %v", f.SatisfactionAvg, f.Complaints, f.ComplaintsPer1000)
	}

	pf := r.Prev
	if pf.Created != 1 || pf.Resolved != 1 || !near(pf.Timely, 1) {
		t.Fatalf("previous week: %+v", pf)
	}
	if len(r.Trend) != desk.TrendPeriods || r.Trend[desk.TrendPeriods-1].Created != 4 || r.Trend[desk.TrendPeriods-2].Created != 1 {
		t.Fatalf("trend %+v", r.Trend)
	}
	if len(r.Days) != 7 || r.Days[1].Created != 2 || r.Days[2].Created != 2 || r.Days[1].Resolved != 2 || r.Days[2].Resolved != 1 {
		t.Fatalf("days %+v", r.Days)
	}
	// Tuesday 9:00 and 14:00, Wednesday 11:00 and 16:00 (Beijing time).
	how := r.HourOfWeek
	if how[1][9] != 1 || how[1][14] != 1 || how[2][11] != 1 || how[2][16] != 1 || how[0][1] != 0 {
		t.Fatalf("hour of week: tue %v wed %v", how[1], how[2])
	}
	if r.Open != 1 || r.Pending != 0 {
		t.Fatalf("backlog open %d pending %d, want 1 0 (C)", r.Open, r.Pending)
	}
	byKey := func(rows []desk.GroupRow) map[string]desk.GroupRow {
		m := map[string]desk.GroupRow{}
		for _, g := range rows {
			m[g.Key] = g
		}
		return m
	}
	if g := byKey(r.ByAgent)[d.li.ID]; g.Created != 3 || g.Name != "李雷" || g.Resolved != 3 {
		t.Fatalf("by agent %+v", r.ByAgent)
	}
	// B counts for the team it went to; the rest have no team.
	if g := byKey(r.ByTeam)[collTeam.ID]; g.Created != 1 || g.Name != "Collections" || g.Transfers != 1 {
		t.Fatalf("by team %+v", r.ByTeam)
	}
	if g := byKey(r.ByCategory)["repayment"]; g.Created != 1 || !near(g.FirstContact, 0) {
		t.Fatalf("by category %+v", r.ByCategory)
	}
	if g := byKey(r.ByChannel)["api"]; g.Created != 4 {
		t.Fatalf("by channel %+v", r.ByChannel)
	}

	// An agent sees their own figures whatever they ask for.
	mine, err := d.kpi.Report(ctx, d.li, desk.ReportQuery{Period: desk.PeriodWeek, At: cstAt("2026-10-01 12:00"),
		Filter: desk.KPIFilter{AgentID: d.admin.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if mine.Filter.AgentID != d.li.ID || mine.Cur.Created != 3 {
		t.Fatalf("agent's own report: filter %+v created %d", mine.Filter, mine.Cur.Created)
	}
}

// TestKPIResyncIsIdempotentAndFollowsMoves: syncing a ticket again adds
// nothing, and a change of category moves its whole contribution.
func TestKPIResyncIsIdempotentAndFollowsMoves(t *testing.T) {
	ctx := context.Background()
	d := newKPIDesk(t)
	id := d.customer(t, "2026-09-29 09:00", "a", "你好")
	d.reply(t, "2026-09-29 09:05", d.li, id)
	for range 3 {
		if err := d.kpi.Sync(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	q := desk.ReportQuery{Period: desk.PeriodDay, At: cstAt("2026-09-29 12:00")}
	r, err := d.kpi.Report(ctx, d.admin, q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Cur.Created != 1 || !near(r.Cur.FirstResponseAvg, 300) {
		t.Fatalf("after re-syncs: created %d, first response %v", r.Cur.Created, r.Cur.FirstResponseAvg)
	}
	cat := "billing"
	d.change(t, "2026-09-29 10:00", id, desk.TicketChange{Category: &cat})
	q.Filter.Category = "billing"
	if r, err = d.kpi.Report(ctx, d.admin, q); err != nil || r.Cur.Created != 1 {
		t.Fatalf("billing: %d, %v", r.Cur.Created, err)
	}
	q.Filter.Category = ""
	r, err = d.kpi.Report(ctx, d.admin, q)
	if err != nil || r.Cur.Created != 1 || len(r.ByCategory) != 1 || r.ByCategory[0].Key != "billing" {
		t.Fatalf("all: %d, %+v, %v", r.Cur.Created, r.ByCategory, err)
	}
}

func TestKPIReportRefusesBadPeriods(t *testing.T) {
	d := newKPIDesk(t)
	ctx := context.Background()
	for _, q := range []desk.ReportQuery{
		{Period: "year"},
		{Period: desk.PeriodCustom},
		{Period: desk.PeriodCustom, From: cstAt("2026-09-30 00:00"), To: cstAt("2026-09-01 00:00")},
		{Period: desk.PeriodCustom, From: cstAt("2025-01-01 00:00"), To: cstAt("2026-09-01 00:00")},
	} {
		if _, err := d.kpi.Report(ctx, d.admin, q); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("%+v: %v, want invalid", q, err)
		}
	}
	r, err := d.kpi.Report(ctx, d.admin, desk.ReportQuery{Period: desk.PeriodMonth, At: cstAt("2026-03-15 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Current.From.Equal(cstAt("2026-03-01 00:00")) || !r.Previous.From.Equal(cstAt("2026-02-01 00:00")) || r.Previous.Days() != 28 {
		t.Fatalf("month spans %+v %+v", r.Current, r.Previous)
	}
}

// TestKPIConcurrentSyncsCountOnce: several nodes syncing the same ticket
// for the first time at once add its contribution once (the row lock on
// PostgreSQL; one writer on SQLite).
func TestKPIConcurrentSyncsCountOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-09-29 09:00"))
	plain := desk.NewService(desk.Options{Store: db, Now: clock.Now})
	rc, err := plain.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "x", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "c"}, Text: "你好"})
	if err != nil {
		t.Fatal(err)
	}
	var ks []*desk.KPI
	for range 4 {
		k := desk.NewKPI(db, cstZone)
		desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{k}})
		ks = append(ks, k)
	}
	errs := make(chan error, len(ks))
	for _, k := range ks {
		go func() { errs <- k.Sync(ctx, rc.TicketID) }()
	}
	for range ks {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	admin := desk.Agent{Role: desk.RoleAdmin}
	r, err := ks[0].Report(ctx, admin, desk.ReportQuery{Period: desk.PeriodDay, At: cstAt("2026-09-29 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cur.Created != 1 || r.Open != 1 {
		t.Fatalf("created %d open %d after concurrent syncs, want 1 1", r.Cur.Created, r.Open)
	}
}
