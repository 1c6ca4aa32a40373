package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
)

// qaIDFixture makes what the quality routes' ids name, for the access
// walk: three of agentA's closed tickets sampled and scored (one for
// acknowledge, one for dispute, one already disputed for settle), the
// plan, and a calibration agentA (granted qa.review) took part in and
// scored.
func qaIDFixture(t *testing.T, h *harness, ids map[string]string) {
	t.Helper()
	ctx := context.Background()
	perms := []string{desk.PermQAReview}
	a, err := h.svc.ChangeAgent(ctx, desk.Actor{}, h.agentA.ID, desk.AgentChange{Permissions: &perms})
	if err != nil {
		t.Fatal(err)
	}
	h.agentA = a
	sup := h.createAgent("qa-sup@example.com", "质检一", desk.RoleSupervisor)
	sup2 := h.createAgent("qa-sup2@example.com", "质检二", desk.RoleSupervisor)
	admin, err := h.db.AgentByEmail(ctx, "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	closed := desk.StatusClosed
	for i := range 3 {
		tk := h.inbound(fmt.Sprintf("qa-%d", i), fmt.Sprintf("qa-cust-%d", i), "还款日是哪天?")
		h.moveToTeam(tk.ID, "A")
		if _, _, err := h.svc.Post(ctx, desk.AgentActor(h.agentA), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "每月 5 日"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.ChangeTicket(ctx, admin, tk.ID, desk.TicketChange{Status: &closed}); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := h.svc.SaveQAPlan(ctx, desk.Actor{}, desk.QAPlan{Name: "周抽检", ScorecardID: "default", PerAgent: 5, Reviewers: []string{sup.ID}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.svc.RunQAPlan(ctx, desk.Actor{}, plan.ID, desk.QAWeekOf(time.Now()))
	if err != nil || len(res.Reviews) != 3 {
		t.Fatalf("qa fixture run: %v %+v", err, res)
	}
	card, err := h.svc.QAScorecard(ctx, desk.Actor{}, "default", 0)
	if err != nil {
		t.Fatal(err)
	}
	scores := func(n int) []desk.QAScore {
		out := []desk.QAScore{}
		for _, c := range card.Criteria {
			out = append(out, desk.QAScore{Key: c.Key, Score: n})
		}
		return out
	}
	for _, rv := range res.Reviews {
		if _, err := h.svc.SubmitQAReview(ctx, sup, rv.ID, scores(4), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.svc.DisputeQAReview(ctx, h.agentA, res.Reviews[2].ID, "已核实身份"); err != nil {
		t.Fatal(err)
	}
	ids[":qa-scorecard"], ids[":qa-plan"], ids[":qa-sup"] = "default", plan.ID, sup.ID
	ids[":qa-review"], ids[":qa-review2"], ids[":qa-review3"] = res.Reviews[0].ID, res.Reviews[1].ID, res.Reviews[2].ID

	tk := h.inbound("qa-cal", "qa-cust-cal", "押金什么时候退?")
	if _, _, err := h.svc.Post(ctx, desk.AgentActor(sup), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "三个工作日内"}); err != nil {
		t.Fatal(err)
	}
	cal, reviews, err := h.svc.CreateQACalibration(ctx, admin, tk.ID, "default", []string{h.agentA.ID, sup2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.SubmitQAReview(ctx, h.agentA, reviews[0].ID, scores(3), ""); err != nil {
		t.Fatal(err)
	}
	ids[":qa-calibration"] = cal.ID
}

// qaAccessCases are the quality routes' rows of the access table.
func qaAccessCases(ids map[string]string) (map[string]idorCase, map[string]string) {
	table := map[string]idorCase{
		// Scorecards and plans are the reviewers' and supervisors'.
		"GET /api/v1/qa/scorecards/:id": {other: 403, own: 200},
		"PUT /api/v1/qa/scorecards/:id": {other: 403, own: 200, body: map[string]any{"name": "服务质检",
			"criteria": []map[string]any{{"key": "polite", "weight": 1, "name": map[string]string{"en": "Polite"}}}}},
		"PUT /api/v1/qa/plans/:id": {other: 403, own: 200, body: map[string]any{"name": "周抽检", "scorecard_id": "default", "per_agent": 3,
			"reviewers": []string{ids[":qa-sup"]}, "active": true}},
		"POST /api/v1/qa/plans/:id/run": {other: 403, own: 200},
		// A review is its reviewer's, the reviewed agent's once scored,
		// and supervisors'; to anyone else it does not exist.
		"GET /api/v1/qa/reviews/:id":              {other: 404, own: 200, hidden: true},
		"POST /api/v1/qa/reviews/:id/comments":    {other: 404, own: 403, hidden: true, body: map[string]any{"message_id": ids[":message"], "text": "x"}},
		"POST /api/v1/qa/reviews/:id/submit":      {other: 404, own: 403, hidden: true, body: map[string]any{"scores": []any{}}},
		"POST /api/v1/qa/reviews/:id/acknowledge": {other: 404, own: 200, hidden: true},
		"POST /api/v1/qa/reviews/:id/dispute":     {other: 404, own: 200, hidden: true, body: map[string]any{"reason": "录音可证"}},
		"POST /api/v1/qa/reviews/:id/settle":      {other: 403, own: 200, body: map[string]any{"outcome": "upheld", "note": "维持"}},
		"GET /api/v1/qa/calibrations/:id":         {other: 404, own: 200, hidden: true},
	}
	kinds := map[string]string{
		"/api/v1/qa/scorecards/:id": ":qa-scorecard", "/api/v1/qa/plans/:id": ":qa-plan", "/api/v1/qa/plans/:id/run": ":qa-plan",
		"/api/v1/qa/reviews/:id": ":qa-review", "/api/v1/qa/reviews/:id/comments": ":qa-review", "/api/v1/qa/reviews/:id/submit": ":qa-review",
		"/api/v1/qa/reviews/:id/acknowledge": ":qa-review", "/api/v1/qa/reviews/:id/dispute": ":qa-review2",
		"/api/v1/qa/reviews/:id/settle": ":qa-review3", "/api/v1/qa/calibrations/:id": ":qa-calibration",
	}
	return table, kinds
}

// qaPIIFixture puts the personal-data ticket into a calibration, so the
// walk reads its review screen and calibration (the admin sees both; the
// agent neither).
func qaPIIFixture(t *testing.T, h *harness, ticketID string) map[string]string {
	t.Helper()
	ctx := context.Background()
	sup := h.createAgent("qa-pii@example.com", "质检", desk.RoleSupervisor)
	sup2 := h.createAgent("qa-pii2@example.com", "质检二", desk.RoleSupervisor)
	cal, reviews, err := h.svc.CreateQACalibration(ctx, sup, ticketID, "default", []string{sup.ID, sup2.ID})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"/api/v1/qa/scorecards/:id": "default", "/api/v1/qa/reviews/:id": reviews[0].ID, "/qa/reviews/:id": reviews[0].ID,
		"/api/v1/qa/calibrations/:id": cal.ID, "/qa/calibrations/:id": cal.ID,
	}
}

// The review screen walks through: the reviewer opens it from the queue,
// the agent sees the result on /qa/mine.
func TestQAPages(t *testing.T) {
	h := newHarness(t)
	ids := map[string]string{":message": ""}
	qaIDFixture(t, h, ids)
	sup := h.signIn("qa-sup@example.com")
	resp, body := h.page(sup, "/qa")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="qa-plans"`) || !strings.Contains(body, "周抽检") {
		t.Fatalf("/qa for a supervisor: %d", resp.StatusCode)
	}
	resp, body = h.page(sup, "/qa/reviews/"+ids[":qa-review"])
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "每月 5 日") || strings.Count(body, `data-hl="qa-criterion"`) != 7 {
		t.Fatalf("review page: %d", resp.StatusCode)
	}
	li := h.signIn("li@example.com")
	resp, body = h.page(li, "/qa/mine")
	if resp.StatusCode != http.StatusOK || strings.Count(body, `data-hl="qa-result-row"`) != 3 {
		t.Fatalf("/qa/mine: %d %d rows", resp.StatusCode, strings.Count(body, `data-hl="qa-result-row"`))
	}
	resp, body = h.page(li, "/qa/reviews/"+ids[":qa-review"])
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="qa-dispute-form"`) {
		t.Fatalf("the agent's review page: %d", resp.StatusCode)
	}
	resp, _ = h.page(li, "/qa/scorecards")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent opened the scorecard editor: %d", resp.StatusCode)
	}
	stranger := h.createAgent("zhao@example.com", "赵六", desk.RoleAgent, "B")
	resp, _ = h.page(h.signIn(stranger.Email), "/qa/reviews/"+ids[":qa-review"])
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a stranger opened a review page: %d", resp.StatusCode)
	}
	resp, body = h.page(h.signIn("qa-sup2@example.com"), "/qa/calibrations/"+ids[":qa-calibration"])
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="qa-spread-row"`) {
		t.Fatalf("calibration page: %d", resp.StatusCode)
	}
}
