package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
)

func qaAllScores(card desk.QAScorecard, score int) []desk.QAScore {
	out := make([]desk.QAScore, len(card.Criteria))
	for i, c := range card.Criteria {
		out[i] = desk.QAScore{Key: c.Key, Score: score}
	}
	return out
}

// sampleOne closes one ticket of alice's and samples it for sup1.
func (f *qaFixture) sampleOne(t *testing.T) desk.QAReview {
	t.Helper()
	f.closed(t, "api", f.alice, nil)
	f.clock.Store(qaWeekStart.Add(8 * 24 * time.Hour).UnixMilli())
	p := f.plan(t, 1, nil, f.sup1)
	res, err := f.svc.RunQAPlan(context.Background(), f.admin, p.ID, "")
	if err != nil || len(res.Reviews) != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	return res.Reviews[0]
}

// The reviewer scores on the card, the agent sees the result and disputes
// it, and a supervisor who took no part settles it; every step is audited.
func TestQAReviewDisputeFlow(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	rv := f.sampleOne(t)
	// Before it is scored the agent does not see it; a stranger never does.
	for _, a := range []desk.Agent{f.alice, f.bob} {
		if _, err := f.svc.QAReviewScreen(ctx, a, rv.ID); !isCode(err, desk.CodeNotFound) {
			t.Fatalf("%s saw an unscored review: %v", a.Name, err)
		}
	}
	view, err := f.svc.QAReviewScreen(ctx, f.sup1, rv.ID)
	if err != nil || !view.May.Score || len(view.Messages) < 2 || len(view.Scorecard.Criteria) != 7 {
		t.Fatalf("%v may %+v, %d messages", err, view.May, len(view.Messages))
	}
	card := view.Scorecard
	// Per-message comments: on a message of this ticket only.
	if _, err := f.svc.CommentQAMessage(ctx, f.sup1, rv.ID, view.Messages[1].ID, "未自报工号"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CommentQAMessage(ctx, f.sup1, rv.ID, "nope", "x"); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("comment on a stranger message: %v", err)
	}
	if _, err := f.svc.CommentQAMessage(ctx, f.sup2, rv.ID, view.Messages[1].ID, "x"); err == nil {
		t.Fatal("another supervisor commented")
	}
	// Scores must cover the card exactly, 0..5.
	bad := [][]desk.QAScore{qaAllScores(card, 6), qaAllScores(card, 5)[1:], append(qaAllScores(card, 5), desk.QAScore{Key: "extra", Score: 1})}
	for i, sc := range bad {
		if _, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, sc, ""); !isCode(err, desk.CodeInvalid) {
			t.Fatalf("bad scores %d: %v", i, err)
		}
	}
	if _, err := f.svc.SubmitQAReview(ctx, f.sup2, rv.ID, qaAllScores(card, 5), ""); err == nil {
		t.Fatal("someone else scored sup1's review")
	}
	scores := qaAllScores(card, 5)
	scores[1].Score = 0 // identity (weight 20): 80
	scores[0].Score = 4 // greeting (weight 10): -2
	got, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, scores, "身份核实缺失")
	if err != nil || got.Total != 78 || got.Status != desk.QASubmitted {
		t.Fatalf("submit: %v total %d status %s", err, got.Total, got.Status)
	}
	if _, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, scores, ""); !isCode(err, desk.CodeConflict) {
		t.Fatalf("second submit: %v", err)
	}
	// Now alice sees it among her results, with the comment.
	mine, err := f.svc.MyQAResults(ctx, f.alice)
	if err != nil || len(mine) != 1 || mine[0].ID != rv.ID {
		t.Fatalf("alice's results: %v %+v", err, mine)
	}
	av, err := f.svc.QAReviewScreen(ctx, f.alice, rv.ID)
	if err != nil || !av.May.Dispute || av.May.Settle || len(av.Comments) != 1 {
		t.Fatalf("alice's view: %v %+v", err, av.May)
	}
	if _, err := f.svc.DisputeQAReview(ctx, f.alice, rv.ID, "  "); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("dispute without a reason: %v", err)
	}
	if _, err := f.svc.DisputeQAReview(ctx, f.bob, rv.ID, "不是我的"); err == nil {
		t.Fatal("bob disputed alice's result")
	}
	d, err := f.svc.DisputeQAReview(ctx, f.alice, rv.ID, "客户是老客户,已在上一通电话 13800138000 中核实身份")
	if err != nil || d.Status != desk.QADisputed || strings.Contains(d.DisputeReason, "13800138000") || !strings.Contains(d.DisputeReason, "核实身份") {
		t.Fatalf("dispute (personal data masked on the way out): %v %+v", err, d)
	}
	if _, err := f.svc.AcknowledgeQAReview(ctx, f.alice, rv.ID); !isCode(err, desk.CodeConflict) {
		t.Fatalf("acknowledge after dispute: %v", err)
	}
	_, disputes, err := f.svc.QAReviewQueue(ctx, f.sup2)
	if err != nil || len(disputes) != 1 {
		t.Fatalf("sup2's disputes: %v %d", err, len(disputes))
	}
	// The reviewer cannot settle their own review; an agent cannot settle.
	if _, err := f.svc.SettleQAReview(ctx, f.sup1, rv.ID, desk.QAUpheld, nil, "维持"); !isCode(err, desk.CodeForbidden) {
		t.Fatalf("the reviewer settled: %v", err)
	}
	if _, err := f.svc.SettleQAReview(ctx, f.bob, rv.ID, desk.QAUpheld, nil, "维持"); !isCode(err, desk.CodeForbidden) {
		t.Fatalf("an agent settled: %v", err)
	}
	if _, err := f.svc.SettleQAReview(ctx, f.sup2, rv.ID, desk.QAAmended, qaAllScores(card, 5), ""); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("settled without a note: %v", err)
	}
	s, err := f.svc.SettleQAReview(ctx, f.sup2, rv.ID, desk.QAAmended, qaAllScores(card, 5), "录音证实已核实身份")
	if err != nil || s.Status != desk.QASettled || s.Total != 100 || s.OriginalTotal != 78 || s.SettledBy != f.sup2.ID {
		t.Fatalf("settle: %v %+v", err, s)
	}
	if _, err := f.svc.SettleQAReview(ctx, f.sup3, rv.ID, desk.QAUpheld, nil, "again"); !isCode(err, desk.CodeConflict) {
		t.Fatalf("settled twice: %v", err)
	}
	log, err := f.db.AuditLog(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if strings.HasPrefix(e.Action, "qa.review.") && e.Target == rv.ID {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, " ") != "qa.review.settle qa.review.dispute qa.review.submit" {
		t.Fatalf("audit: %v", actions)
	}
}

// The agent acknowledges a result; it is then final.
func TestQAAcknowledge(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	rv := f.sampleOne(t)
	card, err := f.svc.QAScorecard(ctx, f.admin, "default", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, qaAllScores(card, 3), ""); err != nil {
		t.Fatal(err)
	}
	a, err := f.svc.AcknowledgeQAReview(ctx, f.alice, rv.ID)
	if err != nil || a.Status != desk.QAAcknowledged || a.Total != 60 {
		t.Fatalf("%v %+v", err, a)
	}
	if _, err := f.svc.DisputeQAReview(ctx, f.alice, rv.ID, "晚了"); !isCode(err, desk.CodeConflict) {
		t.Fatalf("disputed an acknowledged result: %v", err)
	}
}

// A new card version leaves reviews on the old one as they were.
func TestQAScorecardVersions(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	def, err := f.svc.QAScorecard(ctx, f.admin, "default", 0)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, c := range def.Criteria {
		sum += c.Weight
		if c.Name["zh-CN"] == "" || c.Name["zh-TW"] == "" || c.Name["en"] == "" || c.Description["en"] == "" {
			t.Errorf("criterion %s lacks a language: %+v", c.Key, c)
		}
	}
	if sum != 100 || len(def.Criteria) != 7 || def.Version != 1 {
		t.Fatalf("default card: %d criteria, weights %d, version %d", len(def.Criteria), sum, def.Version)
	}
	rv := f.sampleOne(t)
	if _, err := f.svc.SaveQAScorecard(ctx, desk.AgentActor(f.bob), "default", "x", def.Criteria); !isCode(err, desk.CodeForbidden) {
		t.Fatalf("an agent edited the card: %v", err)
	}
	if _, err := f.svc.SaveQAScorecard(ctx, f.admin, "default", "x", append(def.Criteria, def.Criteria[0])); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("a duplicate key: %v", err)
	}
	two := []desk.QACriterion{{Key: "polite", Weight: 1, Name: map[string]string{"en": "Polite"}}, {Key: "right", Weight: 3, Name: map[string]string{"zh-CN": "准确"}}}
	v2, err := f.svc.SaveQAScorecard(ctx, f.admin, "default", "简化版", two)
	if err != nil || v2.Version != 2 {
		t.Fatalf("%v %+v", err, v2)
	}
	// The sampled review is still scored on version 1's seven criteria.
	if _, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, []desk.QAScore{{Key: "polite", Score: 5}, {Key: "right", Score: 5}}, ""); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("scored an old review on the new card: %v", err)
	}
	got, err := f.svc.SubmitQAReview(ctx, f.sup1, rv.ID, qaAllScores(def, 5), "")
	if err != nil || got.ScorecardVersion != 1 || got.Total != 100 {
		t.Fatalf("%v %+v", err, got)
	}
	if cur, err := f.svc.QAScorecard(ctx, f.admin, "default", 0); err != nil || cur.Version != 2 || len(cur.Criteria) != 2 {
		t.Fatalf("current: %v %+v", err, cur)
	}
	if old, err := f.svc.QAScorecard(ctx, f.admin, "default", 1); err != nil || len(old.Criteria) != 7 {
		t.Fatalf("version 1: %v %+v", err, old)
	}
}

// Several reviewers score one ticket; each sees the others' scores only
// after submitting, and everyone sees the spread per criterion.
func TestQACalibrationSpread(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	tk := f.closed(t, "api", f.alice, nil)
	if _, _, err := f.svc.CreateQACalibration(ctx, f.bob, tk, "default", []string{f.sup1.ID, f.sup2.ID}); !isCode(err, desk.CodeForbidden) {
		t.Fatalf("an agent started a calibration: %v", err)
	}
	if _, _, err := f.svc.CreateQACalibration(ctx, f.sup3, tk, "default", []string{f.sup1.ID, f.alice.ID}); !isCode(err, desk.CodeInvalid) {
		t.Fatalf("alice calibrates her own ticket: %v", err)
	}
	cal, reviews, err := f.svc.CreateQACalibration(ctx, f.sup3, tk, "default", []string{f.sup1.ID, f.sup2.ID, f.bob.ID})
	if err != nil || len(reviews) != 3 {
		t.Fatalf("%v %d", err, len(reviews))
	}
	if _, err := f.svc.QACalibrationResult(ctx, f.bob, cal.ID); !isCode(err, desk.CodeConflict) {
		t.Fatalf("bob saw the others before scoring: %v", err)
	}
	if _, err := f.svc.QACalibrationResult(ctx, f.alice, cal.ID); !isCode(err, desk.CodeNotFound) {
		t.Fatalf("alice saw the calibration: %v", err)
	}
	card, _ := f.svc.QAScorecard(ctx, f.admin, "default", 0)
	by := map[string]int{f.sup1.ID: 5, f.sup2.ID: 3, f.bob.ID: 1}
	for _, rv := range reviews {
		reviewer := f.sup1
		switch rv.ReviewerID {
		case f.sup2.ID:
			reviewer = f.sup2
		case f.bob.ID:
			reviewer = f.bob
		}
		sc := qaAllScores(card, 4)
		sc[0].Score = by[rv.ReviewerID] // greeting differs; the rest agree
		if _, err := f.svc.SubmitQAReview(ctx, reviewer, rv.ID, sc, ""); err != nil {
			t.Fatal(err)
		}
	}
	res, err := f.svc.QACalibrationResult(ctx, f.bob, cal.ID)
	if err != nil {
		t.Fatal(err)
	}
	g, id := res.Criteria[0], res.Criteria[1]
	if g.Key != "greeting" || g.Min != 1 || g.Max != 5 || g.Spread != 4 || g.Mean != 3 || len(g.Scores) != 3 {
		t.Fatalf("greeting spread %+v", g)
	}
	if id.Spread != 0 || id.Mean != 4 {
		t.Fatalf("identity spread %+v", id)
	}
	// Totals: 72 for the agreed 90 weight at 4 of 5, plus 2 per greeting point: 82, 78, 74.
	if res.Total.Min != 74 || res.Total.Max != 82 || res.Total.Spread != 8 {
		t.Fatalf("total spread %+v", res.Total)
	}
	// A calibration is not alice's result.
	if mine, err := f.svc.MyQAResults(ctx, f.alice); err != nil || len(mine) != 0 {
		t.Fatalf("alice's results: %v %+v", err, mine)
	}
}
