package desk_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/store"
	"huiliu/store/storetest"
)

// qaFixture is a desk with a week of closed tickets to sample.
type qaFixture struct {
	svc              *desk.Service
	db               desk.Store
	clock            *atomic.Int64
	admin            desk.Actor
	adminAgent       desk.Agent
	sup1, sup2, sup3 desk.Agent
	alice, bob       desk.Agent // reviewed agents; bob may also review
	seq              int
	csat             csatStore
}

// qaWeek is 2026-W48: Monday 23 November to Monday 30 November, China time.
var qaWeekStart = time.Date(2026, 11, 23, 0, 0, 0, 0, desk.QAZone)

func newQAFixture(t *testing.T) *qaFixture {
	t.Helper()
	f := &qaFixture{clock: &atomic.Int64{}}
	f.clock.Store(qaWeekStart.Add(10 * time.Hour).UnixMilli())
	f.csat = csatStore{DB: storetest.New(t), low: map[string]bool{}}
	f.db = f.csat
	f.svc = desk.NewService(desk.Options{Store: f.csat, Now: func() time.Time { return time.UnixMilli(f.clock.Load()) }})
	ctx := context.Background()
	mk := func(name string, role desk.Role) desk.Agent {
		a, err := f.svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: name + "@example.com", Name: name, Role: role, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	f.adminAgent = mk("admin", desk.RoleAdmin)
	f.admin = desk.AgentActor(f.adminAgent)
	f.sup1, f.sup2, f.sup3 = mk("sup1", desk.RoleSupervisor), mk("sup2", desk.RoleSupervisor), mk("sup3", desk.RoleSupervisor)
	f.alice, f.bob = mk("alice", desk.RoleAgent), mk("bob", desk.RoleAgent)
	perms := []string{desk.PermQAReview}
	var err error
	if f.bob, err = f.svc.ChangeAgent(ctx, desk.Actor{}, f.bob.ID, desk.AgentChange{Permissions: &perms}); err != nil {
		t.Fatal(err)
	}
	return f
}

// closed makes a ticket on channel that agent answered and an admin
// closed, after prep (which may change it) ran.
func (f *qaFixture) closed(t *testing.T, channel string, agent desk.Agent, prep func(id string)) string {
	t.Helper()
	ctx := context.Background()
	f.seq++
	rc := ingest(t, f.svc, channels.Inbound{Channel: channel, ExternalID: fmt.Sprintf("q%d", f.seq), ThreadKey: fmt.Sprintf("k%d", f.seq),
		From: channels.Party{Kind: desk.IdentityAPI, Value: fmt.Sprintf("c%d", f.seq)}, Text: "请问还款日是哪天?"})
	if _, _, err := f.svc.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好,每月 5 日。"}); err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(rc.TicketID)
	}
	closed := desk.StatusClosed
	if _, err := f.svc.ChangeTicket(ctx, f.adminAgent, rc.TicketID, desk.TicketChange{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	return rc.TicketID
}

func (f *qaFixture) plan(t *testing.T, perAgent int, rules []string, reviewers ...desk.Agent) desk.QAPlan {
	t.Helper()
	ids := make([]string, len(reviewers))
	for i, r := range reviewers {
		ids[i] = r.ID
	}
	p, err := f.svc.SaveQAPlan(context.Background(), f.admin, desk.QAPlan{Name: "每周抽检", ScorecardID: "default", PerAgent: perAgent, Rules: rules, Reviewers: ids, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func countBy[T any](list []T, key func(T) string) map[string]int {
	m := map[string]int{}
	for _, v := range list {
		m[key(v)]++
	}
	return m
}

// A week's run samples PerAgent random tickets per agent spread over the
// channels, every ticket an always-sample rule matches, never gives a
// ticket to the reviewed agent or anyone who wrote on it, and runs once.
func TestQASamplingCountsRulesAndNeverSelfReview(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	// alice: 5 tickets on api (one with a CSAT of 1), 2 on telegram, a
	// complaint and one handed to bob (a transfer).
	var aliceAPI, aliceTG []string
	for range 5 {
		aliceAPI = append(aliceAPI, f.closed(t, "api", f.alice, nil))
	}
	for range 2 {
		aliceTG = append(aliceTG, f.closed(t, "telegram", f.alice, nil))
	}
	complaint := f.closed(t, "api", f.alice, func(id string) {
		cat := "complaint"
		if _, err := f.svc.ChangeTicket(ctx, f.adminAgent, id, desk.TicketChange{Category: &cat}); err != nil {
			t.Fatal(err)
		}
	})
	transfer := f.closed(t, "api", f.alice, func(id string) {
		to := f.bob.ID
		if _, err := f.svc.ChangeTicket(ctx, f.adminAgent, id, desk.TicketChange{AssigneeID: &to}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ConfirmOutcome(ctx, f.alice, id, "已告知客户", ""); err != nil {
			t.Fatal(err)
		}
	})
	// sup1 wrote a note on this one: sup1 must not review it.
	noted := f.closed(t, "api", f.bob, func(id string) {
		if _, _, err := f.svc.Post(ctx, desk.AgentActor(f.sup1), desk.PostRequest{TicketID: id, Kind: desk.KindNote, Text: "注意核实身份"}); err != nil {
			t.Fatal(err)
		}
	})
	// bob: 1 ticket on api only; asks for 3, gets 1 (plus noted).
	bobTicket := f.closed(t, "api", f.bob, nil)
	// An open ticket and one closed the week after are not candidates.
	ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "open", ThreadKey: "open", From: channels.Party{Kind: desk.IdentityAPI, Value: "o"}, Text: "还没处理"})
	lowCSAT := aliceAPI[0]
	f.csat.low[lowCSAT] = true

	f.clock.Store(qaWeekStart.Add(8 * 24 * time.Hour).UnixMilli())
	f.closed(t, "api", f.alice, nil) // next week's

	p := f.plan(t, 3, desk.QARules, f.sup1, f.bob)
	if _, err := f.svc.RunQAPlan(ctx, desk.AgentActor(f.alice), p.ID, ""); err == nil {
		t.Fatal("an agent ran a plan")
	}
	res, err := f.svc.RunQAPlan(ctx, f.admin, p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Already || res.Run.Week != "2026-W48" || res.Skipped != 0 {
		t.Fatalf("run: %+v", res.Run)
	}
	byTicket := map[string]desk.QAReview{}
	for _, rv := range res.Reviews {
		if _, dup := byTicket[rv.TicketID]; dup {
			t.Fatalf("ticket %s sampled twice", rv.TicketID)
		}
		byTicket[rv.TicketID] = rv
	}
	for id, want := range map[string]string{complaint: desk.QAReasonComplaint, transfer: desk.QAReasonTransfer, lowCSAT: desk.QAReasonCSAT} {
		if byTicket[id].Reason != want {
			t.Errorf("ticket %s: reason %q, want %q", id, byTicket[id].Reason, want)
		}
	}
	// The transfer's reviewed agent is bob (its assignee); bob wrote
	// nothing on it but is the reviewed agent, so sup1 reviews it.
	if rv := byTicket[transfer]; rv.AgentID != f.bob.ID || rv.ReviewerID != f.sup1.ID {
		t.Errorf("transfer: agent %s reviewer %s", rv.AgentID, rv.ReviewerID)
	}
	random := map[string][]desk.QAReview{}
	for _, rv := range res.Reviews {
		if rv.Reason == desk.QAReasonRandom {
			random[rv.AgentID] = append(random[rv.AgentID], rv)
		}
		if rv.ReviewerID == rv.AgentID {
			t.Errorf("%s reviews their own ticket %s", rv.ReviewerID, rv.TicketID)
		}
		if rv.Status != desk.QAAssigned || rv.ScorecardVersion != 1 {
			t.Errorf("review %+v", rv)
		}
	}
	// alice's 6 remaining (4 api after the low CSAT, 2 telegram): 3 picked, 2 api + 1 telegram.
	if got := countBy(random[f.alice.ID], func(r desk.QAReview) string { return r.Channel }); got["api"] != 2 || got["telegram"] != 1 || len(got) != 2 {
		t.Errorf("alice's random samples by channel: %v", got)
	}
	for _, rv := range random[f.alice.ID] {
		if !slices.Contains(aliceAPI[1:], rv.TicketID) && !slices.Contains(aliceTG, rv.TicketID) {
			t.Errorf("alice's random sample %s is not one of her plain closed tickets", rv.TicketID)
		}
	}
	// bob's own: noted and bobTicket, both api, fewer than 3: both.
	if len(random[f.bob.ID]) != 2 {
		t.Errorf("bob's random samples: %d, want 2", len(random[f.bob.ID]))
	}
	for _, id := range []string{noted, bobTicket} {
		if rv, ok := byTicket[id]; !ok || rv.ReviewerID == f.bob.ID {
			t.Errorf("bob's ticket %s: %+v", id, rv)
		}
	}
	// sup1 wrote on noted; bob is its agent: neither plan reviewer may
	// take it, so a supervisor outside the plan does.
	if rv := byTicket[noted]; rv.ReviewerID == f.sup1.ID || rv.ReviewerID == f.bob.ID || rv.ReviewerID == "" {
		t.Errorf("noted went to %s", rv.ReviewerID)
	}
	if want := 3 + 3 + 2; len(res.Reviews) != want {
		t.Errorf("%d samples, want %d: %v", len(res.Reviews), want, res.ByReason)
	}
	// Round robin: alice's tickets alternate between sup1 and bob.
	per := countBy(res.Reviews, func(r desk.QAReview) string { return r.ReviewerID })
	if per[f.sup1.ID] < 3 || per[f.bob.ID] < 3 {
		t.Errorf("reviewers' shares: %v", per)
	}

	// Again: nothing new, on any count.
	again, err := f.svc.RunQAPlan(ctx, f.admin, p.ID, "2026-W48")
	if err != nil || !again.Already || len(again.Reviews) != 0 || again.Run.Samples != len(res.Reviews) {
		t.Fatalf("second run: %v %+v", err, again)
	}
	todo, _, err := f.svc.QAReviewQueue(ctx, f.sup1)
	if err != nil || len(todo) != per[f.sup1.ID] {
		t.Fatalf("sup1's queue: %v %d, want %d", err, len(todo), per[f.sup1.ID])
	}
	if _, _, err := f.svc.QAReviewQueue(ctx, f.alice); err == nil {
		t.Fatal("alice has a review queue")
	}
	// A week that has not started, and a malformed one.
	for _, w := range []string{"2026-W50", "2026-49", "2026-W54"} {
		if _, err := f.svc.RunQAPlan(ctx, f.admin, p.ID, w); !isCode(err, desk.CodeInvalid) {
			t.Errorf("week %s: %v", w, err)
		}
	}
}

// Rules that are off do not sample, and a plan with no random samples
// samples only what its rules match.
func TestQARulesOff(t *testing.T) {
	ctx := context.Background()
	f := newQAFixture(t)
	plain := f.closed(t, "api", f.alice, nil)
	f.closed(t, "api", f.alice, func(id string) {
		cat := "complaint"
		if _, err := f.svc.ChangeTicket(ctx, f.adminAgent, id, desk.TicketChange{Category: &cat}); err != nil {
			t.Fatal(err)
		}
	})
	f.csat.low[plain] = true
	f.clock.Store(qaWeekStart.Add(8 * 24 * time.Hour).UnixMilli())
	p := f.plan(t, 0, []string{desk.QAReasonComplaint}, f.sup1)
	res, err := f.svc.RunQAPlan(ctx, f.admin, p.ID, "")
	if err != nil || len(res.Reviews) != 1 || res.Reviews[0].Reason != desk.QAReasonComplaint {
		t.Fatalf("%v %+v", err, res)
	}
}

func isCode(err error, code desk.Code) bool {
	var de *desk.Error
	return errors.As(err, &de) && de.Code == code
}

// csatStore answers the CSAT question from the test; the SQL behind it
// reads the surveys' table (store/qa_test.go).
type csatStore struct {
	*store.DB
	low map[string]bool
}

func (c csatStore) QALowCSAT(_ context.Context, ids []string, maxScore int) (map[string]bool, error) {
	out := map[string]bool{}
	for _, id := range ids {
		if c.low[id] && maxScore == desk.CSATLowScore {
			out[id] = true
		}
	}
	return out, nil
}
