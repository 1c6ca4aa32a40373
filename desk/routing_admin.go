package desk

import (
	"context"
	"fmt"
	"slices"
)

// RoutingRules lists the rules in evaluation order.
func (s *Service) RoutingRules(ctx context.Context, actor Actor) ([]RoutingRule, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	rules, err := s.store.RoutingRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: routing rules: %w", err)
	}
	return rules, nil
}

// CreateRoutingRule adds a rule at the end of the order.
func (s *Service) CreateRoutingRule(ctx context.Context, actor Actor, r RoutingRule) (RoutingRule, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return RoutingRule{}, err
	}
	if err := r.normalize(); err != nil {
		return RoutingRule{}, err
	}
	now := s.now().UTC()
	r.ID, r.CreatedAt, r.UpdatedAt = NewID(), now, now
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := checkTeam(ctx, tx, r.TeamID); err != nil {
			return err
		}
		rules, err := tx.RoutingRules(ctx)
		if err != nil {
			return err
		}
		if len(rules) >= maxRules {
			return Errorf(CodeInvalid, "at most %d routing rules", maxRules)
		}
		r.Position = 1
		if len(rules) > 0 {
			r.Position = rules[len(rules)-1].Position + 1
		}
		if err := tx.InsertRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "routing_rule.create", r.ID, r.Name)
	})
	if err != nil {
		return RoutingRule{}, fmt.Errorf("desk: create routing rule: %w", err)
	}
	s.rulesChanged()
	return r, nil
}

// UpdateRoutingRule replaces a rule's name, conditions and action; its
// position stays (ReorderRoutingRules moves it).
func (s *Service) UpdateRoutingRule(ctx context.Context, actor Actor, r RoutingRule) (RoutingRule, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return RoutingRule{}, err
	}
	if err := r.normalize(); err != nil {
		return RoutingRule{}, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.RoutingRule(ctx, r.ID)
		if err != nil {
			return notFoundAs(err, "routing rule %s not found", r.ID)
		}
		if err := checkTeam(ctx, tx, r.TeamID); err != nil {
			return err
		}
		r.Position, r.CreatedAt, r.UpdatedAt = cur.Position, cur.CreatedAt, s.now().UTC()
		if err := tx.UpdateRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "routing_rule.update", r.ID, r.Name)
	})
	if err != nil {
		return RoutingRule{}, fmt.Errorf("desk: update routing rule %s: %w", r.ID, err)
	}
	s.rulesChanged()
	return r, nil
}

// DeleteRoutingRule removes a rule.
func (s *Service) DeleteRoutingRule(ctx context.Context, actor Actor, id string) error {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.DeleteRoutingRule(ctx, id); err != nil {
			return notFoundAs(err, "routing rule %s not found", id)
		}
		return s.audit(ctx, tx, actor, "routing_rule.delete", id, "")
	})
	if err != nil {
		return fmt.Errorf("desk: delete routing rule %s: %w", id, err)
	}
	s.rulesChanged()
	return nil
}

// ReorderRoutingRules sets the evaluation order: ids must name every rule
// once.
func (s *Service) ReorderRoutingRules(ctx context.Context, actor Actor, ids []string) ([]RoutingRule, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	var out []RoutingRule
	err := s.store.Tx(ctx, func(tx Tx) error {
		rules, err := tx.RoutingRules(ctx)
		if err != nil {
			return err
		}
		have := make([]string, len(rules))
		for i, r := range rules {
			have[i] = r.ID
		}
		want := slices.Clone(ids)
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			return Errorf(CodeInvalid, "ids must list each of the %d routing rules exactly once", len(rules))
		}
		for i, id := range ids {
			if err := tx.SetRulePosition(ctx, id, i+1); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, tx, actor, "routing_rule.reorder", "", fmt.Sprint(ids)); err != nil {
			return err
		}
		out, err = tx.RoutingRules(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("desk: reorder routing rules: %w", err)
	}
	s.rulesChanged()
	return out, nil
}

// TeamRoutings lists every team's settings, defaults for teams without.
func (s *Service) TeamRoutings(ctx context.Context, actor Actor) ([]TeamRouting, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return nil, err
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: team routing: %w", err)
	}
	set, err := s.store.TeamRoutings(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: team routing: %w", err)
	}
	out := make([]TeamRouting, 0, len(teams))
	for _, t := range teams {
		tr := TeamRouting{TeamID: t.ID, Mode: ModePull}
		if i := slices.IndexFunc(set, func(x TeamRouting) bool { return x.TeamID == t.ID }); i >= 0 {
			tr = set[i]
		}
		out = append(out, tr)
	}
	return out, nil
}

// SetTeamRouting stores a team's mode, reassignment delay and whether it
// is the default team.
func (s *Service) SetTeamRouting(ctx context.Context, actor Actor, tr TeamRouting) (TeamRouting, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return TeamRouting{}, err
	}
	if err := tr.validate(); err != nil {
		return TeamRouting{}, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := checkTeam(ctx, tx, tr.TeamID); err != nil {
			return err
		}
		if err := tx.PutTeamRouting(ctx, tr); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "team.routing", tr.TeamID, fmt.Sprintf("mode=%s reassign_after=%s default=%t", tr.Mode, tr.ReassignAfter, tr.Default))
	})
	if err != nil {
		return TeamRouting{}, fmt.Errorf("desk: team routing of %s: %w", tr.TeamID, err)
	}
	s.rulesChanged()
	s.NudgeRouting()
	return tr, nil
}

// AgentRouting returns an agent's settings, the defaults when none are set.
func (s *Service) AgentRouting(ctx context.Context, actor Actor, agentID string) (AgentRouting, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return AgentRouting{}, err
	}
	if _, err := s.store.Agent(ctx, agentID); err != nil {
		return AgentRouting{}, notFoundAs(err, "agent %s not found", agentID)
	}
	m, err := s.agentRoutingMap(ctx)
	if err != nil {
		return AgentRouting{}, fmt.Errorf("desk: agent routing of %s: %w", agentID, err)
	}
	return routingOf(m, agentID), nil
}

// SetAgentRouting stores an agent's capacity and skills.
func (s *Service) SetAgentRouting(ctx context.Context, actor Actor, ar AgentRouting) (AgentRouting, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return AgentRouting{}, err
	}
	if err := ar.validate(); err != nil {
		return AgentRouting{}, err
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if _, err := tx.Agent(ctx, ar.AgentID); err != nil {
			return notFoundAs(err, "agent %s not found", ar.AgentID)
		}
		if err := tx.PutAgentRouting(ctx, ar); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "agent.routing", ar.AgentID, fmt.Sprintf("capacity=%d auto_assign=%t", ar.Capacity, ar.AutoAssign))
	})
	if err != nil {
		return AgentRouting{}, fmt.Errorf("desk: agent routing of %s: %w", ar.AgentID, err)
	}
	s.NudgeRouting()
	return s.AgentRouting(ctx, actor, ar.AgentID)
}

// ImportSegments adds customer segment entries; it reports how many were
// new. Entries are checked all before any is stored.
func (s *Service) ImportSegments(ctx context.Context, actor Actor, segs []Segment) (int, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return 0, err
	}
	if len(segs) == 0 {
		return 0, Errorf(CodeInvalid, "no segment entries given")
	}
	if len(segs) > MaxSegmentImport {
		return 0, Errorf(CodeTooLarge, "at most %d segment entries per import", MaxSegmentImport)
	}
	for i := range segs {
		if err := segs[i].validate(i); err != nil {
			return 0, err
		}
	}
	var n int
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if n, err = tx.PutSegments(ctx, segs, s.now().UTC()); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "segments.import", "", fmt.Sprintf("%d entries, %d new", len(segs), n))
	})
	if err != nil {
		return 0, fmt.Errorf("desk: import segments: %w", err)
	}
	return n, nil
}

func checkTeam(ctx context.Context, tx Tx, id string) error {
	if id == "" {
		return Errorf(CodeInvalid, "team_id is required")
	}
	if _, err := tx.Team(ctx, id); err != nil {
		return notFoundAs(err, "team %s not found", id)
	}
	return nil
}

// rulesChanged drops this node's copy of the rules; other nodes see the
// change within rulesTTL.
func (s *Service) rulesChanged() {
	if s.router != nil {
		s.router.rules.invalidate()
	}
}
