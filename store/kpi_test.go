package store_test

import (
	"context"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store"
)

// TestKPIExtrasCountTheFeatureTables fills the satisfaction, complaint
// and quality tables (their migrations' shapes) and checks the per-span
// counts and filters on both databases.
func TestKPIExtrasCountTheFeatureTables(t *testing.T) {
	db, ctx := open(t)
	spans := []desk.Span{{From: t0, To: t0.Add(24 * time.Hour)}, {From: t0.Add(24 * time.Hour), To: t0.Add(48 * time.Hour)}}
	// Nothing yet: nothing to count, and no error.
	x, err := db.KPIExtras(ctx, desk.KPIFilter{}, spans)
	if err != nil || len(x) != 2 || x[0] != (desk.KPIExtra{}) || x[1] != (desk.KPIExtra{}) {
		t.Fatalf("empty tables: %+v %v", x, err)
	}
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	mkTicket(t, db, "tk1", "webchat", "team-a")
	mkTicket(t, db, "tk2", "email", "team-b")
	for _, r := range []struct {
		q    string
		args []any
	}{
		// Day one: three surveys on tk1 (answered 5 and 2, one unanswered), one on tk2 answered 4.
		{`INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, token_hash, created_at, expires_at, answered_at, score) VALUES ('s1', 'tk1', 1, 'c-tk1', 'ag1', 'team-a', 'webchat', 'h1', $1, $1, $2, 5)`, []any{ms(time.Hour), ms(2 * time.Hour)}},
		{`INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, token_hash, created_at, expires_at, answered_at, score) VALUES ('s2', 'tk1', 2, 'c-tk1', 'ag1', 'team-a', 'webchat', 'h2', $1, $1, $2, 2)`, []any{ms(3 * time.Hour), ms(4 * time.Hour)}},
		{`INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, token_hash, created_at, expires_at) VALUES ('s3', 'tk1', 3, 'c-tk1', 'ag1', 'team-a', 'webchat', 'h3', $1, $1)`, []any{ms(5 * time.Hour)}},
		{`INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, token_hash, created_at, expires_at, answered_at, score) VALUES ('s4', 'tk2', 1, 'c-tk2', 'ag2', 'team-b', 'email', 'h4', $1, $1, $2, 4)`, []any{ms(6 * time.Hour), ms(7 * time.Hour)}},
		// Day two: one on tk2 answered 1.
		{`INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, token_hash, created_at, expires_at, answered_at, score) VALUES ('s5', 'tk2', 2, 'c-tk2', 'ag2', 'team-b', 'email', 'h5', $1, $1, $2, 1)`, []any{ms(30 * time.Hour), ms(31 * time.Hour)}},
		// Complaints: one on day one, one withdrawn on day two.
		{`INSERT INTO complaints (ticket_id, source, severity, owner_id, team_id, status, created_at, updated_at) VALUES ('tk1', 'customer', 'normal', 'ag1', 'team-a', 'open', $1, $1)`, []any{ms(time.Hour)}},
		{`INSERT INTO complaints (ticket_id, source, severity, owner_id, team_id, status, created_at, updated_at) VALUES ('tk2', 'customer', 'normal', 'ag2', 'team-b', 'withdrawn', $1, $1)`, []any{ms(30 * time.Hour)}},
		// Reviews: 80 and 60 on day one, a calibration copy and an unscored one that do not count.
		{`INSERT INTO qa_reviews (id, ticket_id, agent_id, reviewer_id, scorecard_id, scorecard_version, reason, calibration_id, total, status, created_at, submitted_at) VALUES ('r1', 'tk1', 'ag1', 'rv', 'sc', 1, 'random', '', 80, 'submitted', $1, $1)`, []any{ms(2 * time.Hour)}},
		{`INSERT INTO qa_reviews (id, ticket_id, agent_id, reviewer_id, scorecard_id, scorecard_version, reason, calibration_id, total, status, created_at, submitted_at) VALUES ('r2', 'tk2', 'ag2', 'rv', 'sc', 1, 'random', '', 60, 'submitted', $1, $1)`, []any{ms(3 * time.Hour)}},
		{`INSERT INTO qa_reviews (id, ticket_id, agent_id, reviewer_id, scorecard_id, scorecard_version, reason, calibration_id, total, status, created_at, submitted_at) VALUES ('r3', 'tk2', 'ag2', 'rv', 'sc', 1, 'calibration', 'cal1', 10, 'submitted', $1, $1)`, []any{ms(3 * time.Hour)}},
		{`INSERT INTO qa_reviews (id, ticket_id, agent_id, reviewer_id, scorecard_id, scorecard_version, reason, status, created_at) VALUES ('r4', 'tk2', 'ag2', 'rv', 'sc', 1, 'random', 'assigned', 0)`, nil},
	} {
		if err := store.ExecForTest(ctx, db, r.q, r.args...); err != nil {
			t.Fatalf("%s: %v", r.q, err)
		}
	}
	x, err = db.KPIExtras(ctx, desk.KPIFilter{}, spans)
	if err != nil {
		t.Fatal(err)
	}
	want0 := desk.KPIExtra{SurveysSent: 4, SurveysAnswered: 3, ScoreSum: 11, Satisfied: 2, Complaints: 1, Reviews: 2, ReviewSum: 140}
	want1 := desk.KPIExtra{SurveysSent: 1, SurveysAnswered: 1, ScoreSum: 1}
	if x[0] != want0 || x[1] != want1 {
		t.Fatalf("extras\n got %+v\n     %+v\nwant %+v\n     %+v", x[0], x[1], want0, want1)
	}
	// Filters: team b (the review's team comes from its ticket), channel email.
	for _, f := range []desk.KPIFilter{{TeamID: "team-b"}, {Channel: "email"}, {AgentID: "ag2"}} {
		x, err = db.KPIExtras(ctx, f, spans)
		if err != nil {
			t.Fatal(err)
		}
		want := desk.KPIExtra{SurveysSent: 1, SurveysAnswered: 1, ScoreSum: 4, Satisfied: 1, Reviews: 1, ReviewSum: 60}
		if x[0] != want {
			t.Fatalf("%+v: %+v, want %+v", f, x[0], want)
		}
	}
}

func mkTicket(t *testing.T, db *store.DB, id, channel, team string) {
	t.Helper()
	ctx := context.Background()
	mustTx(t, db, func(tx desk.Tx) error {
		c := desk.Contact{ID: "c-" + id, Name: id, CreatedAt: t0}
		if err := tx.InsertContact(ctx, c); err != nil {
			return err
		}
		return tx.InsertTicket(ctx, &desk.Ticket{ID: id, ContactID: c.ID, Channel: channel, ThreadKey: id, Status: desk.StatusOpen,
			Priority: desk.PriorityNormal, TeamID: team, LastMessageAt: t0, CreatedAt: t0, UpdatedAt: t0})
	})
}
