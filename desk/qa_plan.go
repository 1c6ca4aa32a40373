package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// QAPlans lists the sampling plans (reviewers and supervisors).
func (s *Service) QAPlans(ctx context.Context, actor Actor) ([]QAPlan, error) {
	if err := requireQAReviewer(actor); err != nil {
		return nil, err
	}
	r, err := s.qaReader()
	if err != nil {
		return nil, err
	}
	list, err := r.QAPlans(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: qa plans: %w", err)
	}
	return list, nil
}

// SaveQAPlan creates a plan (p.ID "") or replaces one's settings.
// Supervisors and admins only; audited. Every reviewer must be an active
// agent who may review.
func (s *Service) SaveQAPlan(ctx context.Context, actor Actor, p QAPlan) (QAPlan, error) {
	if err := requireRole(actor, RoleSupervisor); err != nil {
		return QAPlan{}, err
	}
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "" || utf8.RuneCountInString(p.Name) > qaMaxNameRunes || !ValidText(p.Name) || strings.ContainsAny(p.Name, "\r\n"):
		return QAPlan{}, Errorf(CodeInvalid, "a plan needs a name of one line, at most %d characters", qaMaxNameRunes)
	case p.PerAgent < 0 || p.PerAgent > QAMaxPerAgent:
		return QAPlan{}, Errorf(CodeInvalid, "samples per agent are 0 to %d", QAMaxPerAgent)
	case len(p.Reviewers) == 0 || len(p.Reviewers) > QAMaxReviewers:
		return QAPlan{}, Errorf(CodeInvalid, "a plan has 1 to %d reviewers", QAMaxReviewers)
	}
	rules := []string{}
	for _, r := range QARules {
		if slices.Contains(p.Rules, r) {
			rules = append(rules, r)
		}
	}
	for _, r := range p.Rules {
		if !slices.Contains(QARules, r) {
			return QAPlan{}, Errorf(CodeInvalid, "rule %q is not one of %s", r, strings.Join(QARules, ", "))
		}
	}
	p.Rules = rules
	p.Reviewers = qaUniqueIDs(p.Reviewers)
	now := s.now().UTC()
	err := s.qaTx(ctx, func(tx QATx) error {
		if _, err := found(tx.QAScorecard(ctx, p.ScorecardID, 0))("scorecard", p.ScorecardID); err != nil {
			return Errorf(CodeInvalid, "no scorecard %q", p.ScorecardID)
		}
		if p.TeamID != "" {
			if _, err := tx.Team(ctx, p.TeamID); err != nil {
				return Errorf(CodeInvalid, "no team %q", p.TeamID)
			}
		}
		for _, id := range p.Reviewers {
			a, err := tx.Agent(ctx, id)
			if errors.Is(err, ErrNotFound) || err == nil && (!a.Active || !CanReviewQA(a)) {
				return Errorf(CodeInvalid, "reviewer %q is not an active supervisor or an agent with the %s grant", id, PermQAReview)
			}
			if err != nil {
				return err
			}
		}
		if p.ID == "" {
			p.ID, p.CreatedAt, p.UpdatedAt = NewID(), now, now
			if err := tx.InsertQAPlan(ctx, p); err != nil {
				return err
			}
		} else {
			cur, err := found(tx.QAPlan(ctx, p.ID))("plan", p.ID)
			if err != nil {
				return err
			}
			p.CreatedAt, p.UpdatedAt, p.RRNext = cur.CreatedAt, now, cur.RRNext
			if err := tx.UpdateQAPlan(ctx, p); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "qa.plan.save", p.ID, fmt.Sprintf("%s: %d per agent, rules %s, %d reviewers, active %t",
			p.Name, p.PerAgent, strings.Join(p.Rules, ","), len(p.Reviewers), p.Active))
	})
	if err != nil {
		return QAPlan{}, fmt.Errorf("desk: save qa plan: %w", err)
	}
	return p, nil
}

func qaUniqueIDs(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
