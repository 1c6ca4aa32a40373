package desk

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// QARunResult is what a plan's weekly run did. Already: the week was
// sampled before and nothing changed. Skipped counts samples no eligible
// reviewer was left for (every reviewer worked the ticket).
type QARunResult struct {
	Run      QARun          `json:"run"`
	Already  bool           `json:"already"`
	Reviews  []QAReview     `json:"reviews"`
	Skipped  int            `json:"skipped"`
	ByReason map[string]int `json:"by_reason"`
}

// RunQAPlan samples week (2026-W49; "" the week before this one) for a
// plan, once: a second run of the same plan and week changes nothing and
// says so, on any node. It samples every ticket an enabled rule matches
// and PerAgent more at random per agent, spread over the channels, and
// assigns each to the plan's reviewers in turn, never to the reviewed
// agent or anyone who wrote on the ticket. Supervisors, admins and the
// weekly job only; audited.
func (s *Service) RunQAPlan(ctx context.Context, actor Actor, planID, week string) (QARunResult, error) {
	if err := requireRole(actor, RoleSupervisor); err != nil {
		return QARunResult{}, err
	}
	r, err := s.qaReader()
	if err != nil {
		return QARunResult{}, err
	}
	now := s.now().UTC()
	if week == "" {
		week = QAWeekOf(now.AddDate(0, 0, -7))
	}
	from, to, err := QAWeekRange(week)
	if err != nil {
		return QARunResult{}, err
	}
	if from.After(now) {
		return QARunResult{}, Errorf(CodeInvalid, "week %s has not started", week)
	}
	plan, err := found(r.QAPlan(ctx, planID))("plan", planID)
	if err != nil {
		return QARunResult{}, err
	}
	if run, err := r.QARun(ctx, planID, week); err == nil {
		return QARunResult{Run: run, Already: true, Reviews: []QAReview{}}, nil
	} else if !errors.Is(err, ErrNotFound) {
		return QARunResult{}, fmt.Errorf("desk: qa run %s %s: %w", planID, week, err)
	}
	card, err := found(r.QAScorecard(ctx, plan.ScorecardID, 0))("scorecard", plan.ScorecardID)
	if err != nil {
		return QARunResult{}, err
	}
	cands, err := r.QACandidates(ctx, from, to, plan.TeamID, qaMaxCandidates)
	if err != nil {
		return QARunResult{}, fmt.Errorf("desk: qa candidates %s: %w", week, err)
	}
	if len(cands) == qaMaxCandidates {
		s.log.Warn("desk: qa sampling read the most candidates it reads", "plan", planID, "week", week, "limit", qaMaxCandidates)
	}
	low := map[string]bool{}
	if slices.Contains(plan.Rules, QAReasonCSAT) && len(cands) > 0 {
		ids := make([]string, len(cands))
		for i, c := range cands {
			ids[i] = c.TicketID
		}
		if low, err = r.QALowCSAT(ctx, ids, CSATLowScore); err != nil {
			return QARunResult{}, fmt.Errorf("desk: qa csat %s: %w", week, err)
		}
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return QARunResult{}, fmt.Errorf("desk: qa agents: %w", err)
	}
	samples := qaSample(plan, cands, low, qaRand(planID, week))
	res := QARunResult{Reviews: []QAReview{}, ByReason: map[string]int{}}
	pick := newQAPicker(plan, agents)
	for _, sm := range samples {
		c := sm.c
		agent := cmp.Or(c.AssigneeID, c.OwnerID)
		workers := append([]string{agent, c.OwnerID, c.AssigneeID}, c.Workers...)
		reviewer, ok := pick.next(workers)
		if !ok {
			res.Skipped++
			continue
		}
		res.Reviews = append(res.Reviews, QAReview{
			ID: NewID(), TicketID: c.TicketID, TicketNumber: c.Number, AgentID: agent, ReviewerID: reviewer,
			ScorecardID: card.ID, ScorecardVersion: card.Current, PlanID: plan.ID, Week: week,
			Reason: sm.reason, Channel: c.Channel, Scores: []QAScore{}, Status: QAAssigned, CreatedAt: now,
		})
		res.ByReason[sm.reason]++
	}
	_, by := actor.kindID()
	res.Run = QARun{PlanID: plan.ID, Week: week, Samples: len(res.Reviews), StartedBy: by, CreatedAt: now}
	err = s.qaTx(ctx, func(tx QATx) error {
		if err := tx.InsertQARun(ctx, res.Run); err != nil {
			return err
		}
		for _, rv := range res.Reviews {
			if err := tx.InsertQAReview(ctx, rv); err != nil {
				return err
			}
		}
		if err := tx.SetQAPlanCursor(ctx, plan.ID, pick.rr); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "qa.plan.run", plan.ID, fmt.Sprintf("%s: %d samples %v, %d without a reviewer", week, len(res.Reviews), res.ByReason, res.Skipped))
	})
	if errors.Is(err, ErrConflict) {
		// Another node (or a click) ran the same week first.
		run, rerr := r.QARun(ctx, planID, week)
		if rerr != nil {
			return QARunResult{}, fmt.Errorf("desk: qa run %s %s: %w", planID, week, rerr)
		}
		return QARunResult{Run: run, Already: true, Reviews: []QAReview{}}, nil
	}
	if err != nil {
		return QARunResult{}, fmt.Errorf("desk: qa run %s %s: %w", planID, week, err)
	}
	return res, nil
}

// RunQAPlans runs every active plan for the week before now; the weekly
// job calls it, and a week already sampled is skipped.
func (s *Service) RunQAPlans(ctx context.Context) (int, error) {
	r, err := s.qaReader()
	if err != nil {
		return 0, err
	}
	plans, err := r.QAPlans(ctx)
	if err != nil {
		return 0, fmt.Errorf("desk: qa plans: %w", err)
	}
	n := 0
	var errs []error
	for _, p := range plans {
		if !p.Active {
			continue
		}
		res, err := s.RunQAPlan(ctx, SystemActor("qa"), p.ID, "")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n += len(res.Reviews)
	}
	return n, errors.Join(errs...)
}

// qaRand is the run's random source, seeded by plan and week: a run is
// reproducible, and a rerun after a failed commit picks the same tickets.
func qaRand(planID, week string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(planID + "\x00" + week))
	return rand.New(rand.NewPCG(h.Sum64(), 0x5157))
}

type qaSampled struct {
	c      QACandidate
	reason string
}

// qaSample picks the plan's samples from the week's candidates: every
// ticket an enabled rule matches (under the first rule, in QARules order),
// then per agent PerAgent more at random from the rest, spread over the
// channels. Tickets without an agent are not sampled.
func qaSample(plan QAPlan, cands []QACandidate, lowCSAT map[string]bool, rng *rand.Rand) []qaSampled {
	var out []qaSampled
	rest := map[string][]QACandidate{}
	var agents []string
	for _, c := range cands {
		agent := cmp.Or(c.AssigneeID, c.OwnerID)
		if agent == "" {
			continue
		}
		if reason := qaRuleMatch(plan.Rules, c, lowCSAT); reason != "" {
			out = append(out, qaSampled{c, reason})
			continue
		}
		if _, ok := rest[agent]; !ok {
			agents = append(agents, agent)
		}
		rest[agent] = append(rest[agent], c)
	}
	slices.Sort(agents)
	for _, a := range agents {
		for _, c := range qaPickStratified(rest[a], plan.PerAgent, rng) {
			out = append(out, qaSampled{c, QAReasonRandom})
		}
	}
	return out
}

func qaRuleMatch(rules []string, c QACandidate, lowCSAT map[string]bool) string {
	for _, r := range QARules {
		if !slices.Contains(rules, r) {
			continue
		}
		var hit bool
		switch r {
		case QAReasonComplaint:
			hit = c.Category == "complaint"
		case QAReasonCSAT:
			hit = lowCSAT[c.TicketID]
		case QAReasonSLA:
			hit = qaSLABreached(c.SLAClocks, c.ClosedAt)
		case QAReasonTransfer:
			hit = c.Handoff
		}
		if hit {
			return r
		}
	}
	return ""
}

// qaSLABreached reads a ticket_sla row's clocks as the SLA worker last
// computed them: a target was missed when its clock used up the business
// time it allowed (every clock stops when the ticket is resolved or
// closed, banking what it used), or, still running, when its deadline
// came before the ticket closed. No calendar is needed for either.
func qaSLABreached(clocks string, closedAt time.Time) bool {
	if clocks == "" {
		return false
	}
	var cs []SLAClock
	if err := json.Unmarshal([]byte(clocks), &cs); err != nil {
		return false
	}
	for _, c := range cs {
		k := c.Clock
		if k.Target <= 0 {
			continue
		}
		if due, running := k.Deadline(); running {
			if !due.After(closedAt) {
				return true
			}
		} else if k.Spent >= k.Target {
			return true
		}
	}
	return false
}

// qaPickStratified picks n of cands at random, split over their channels
// as evenly as the channels allow: each channel in turn (busiest first)
// takes one more until n are taken, a channel with no tickets left drops
// out and leaves its share to the others.
func qaPickStratified(cands []QACandidate, n int, rng *rand.Rand) []QACandidate {
	if n <= 0 || len(cands) == 0 {
		return nil
	}
	by := map[string][]QACandidate{}
	for _, c := range cands {
		by[c.Channel] = append(by[c.Channel], c)
	}
	chans := make([]string, 0, len(by))
	for ch := range by {
		chans = append(chans, ch)
	}
	slices.SortFunc(chans, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(by[b]), len(by[a])), strings.Compare(a, b))
	})
	quota := map[string]int{}
	for left := min(n, len(cands)); left > 0; {
		for _, ch := range chans {
			if left > 0 && quota[ch] < len(by[ch]) {
				quota[ch]++
				left--
			}
		}
	}
	var out []QACandidate
	for _, ch := range chans {
		list := by[ch]
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		out = append(out, list[:quota[ch]]...)
	}
	return out
}

// qaPicker hands out reviewers: the plan's in turn (its cursor kept on the
// plan across weeks), then any active supervisor or admin when every plan
// reviewer worked the ticket.
type qaPicker struct {
	reviewers []string
	fallback  []string
	rr, fb    int
}

func newQAPicker(plan QAPlan, agents []Agent) *qaPicker {
	ok := map[string]bool{}
	p := &qaPicker{}
	for _, a := range agents {
		if a.Active && CanReviewQA(a) {
			ok[a.ID] = true
			if a.Role.AtLeast(RoleSupervisor) {
				p.fallback = append(p.fallback, a.ID)
			}
		}
	}
	for _, id := range plan.Reviewers {
		if ok[id] {
			p.reviewers = append(p.reviewers, id)
		}
	}
	if len(p.reviewers) > 0 {
		p.rr = plan.RRNext % len(p.reviewers)
	}
	return p
}

// next is the next reviewer who is none of exclude.
func (p *qaPicker) next(exclude []string) (string, bool) {
	if id, ok := qaTurn(p.reviewers, &p.rr, exclude); ok {
		return id, true
	}
	return qaTurn(p.fallback, &p.fb, exclude)
}

func qaTurn(ids []string, cur *int, exclude []string) (string, bool) {
	for i := range ids {
		k := (*cur + i) % len(ids)
		if !slices.Contains(exclude, ids[k]) {
			*cur = (k + 1) % len(ids)
			return ids[k], true
		}
	}
	return "", false
}
