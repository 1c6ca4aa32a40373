package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"huiliu/desk"
)

// TeamConfig is a [[team]] table: a team and how it is routed, kept in step
// with the file at every start, matched by name.
type TeamConfig struct {
	Name          string `toml:"name"`
	Mode          string `toml:"mode"`           // auto or pull
	ReassignAfter string `toml:"reassign_after"` // a Go duration; empty: never
	Default       bool   `toml:"default"`
}

// RoutingRuleConfig is a [[routing_rule]] table, matched by name; the
// file's rules come first, in the file's order. Team is a team name.
type RoutingRuleConfig struct {
	Name        string           `toml:"name"`
	Disabled    bool             `toml:"disabled"`
	Team        string           `toml:"team"`
	Channels    []string         `toml:"channels"`
	Languages   []string         `toml:"languages"`
	Categories  []string         `toml:"categories"`
	Keywords    []string         `toml:"keywords"`
	Segments    []string         `toml:"segments"`
	Hours       *RuleHoursConfig `toml:"hours"`
	SetCategory string           `toml:"set_category"`
	SetPriority string           `toml:"set_priority"`
}

// RuleHoursConfig is a rule's [routing_rule.hours] table.
type RuleHoursConfig struct {
	Timezone string `toml:"timezone"`
	Days     []int  `toml:"days"` // 0 Sunday … 6 Saturday
	Hours    string `toml:"hours"`
	Outside  bool   `toml:"outside"`
}

// applyRoutingConfig writes the file's teams, their routing and the
// routing rules where they differ from SQL, so a deployment's routing is
// reproducible; an unchanged file writes nothing.
func (a *app) applyRoutingConfig(ctx context.Context) error {
	if len(a.cfg.Teams) == 0 && len(a.cfg.RoutingRules) == 0 {
		return nil
	}
	sys := desk.Actor{}
	teamID := map[string]string{}
	team := func(name string) (string, error) {
		if id, ok := teamID[name]; ok {
			return id, nil
		}
		t, err := a.db.TeamByName(ctx, name)
		if errors.Is(err, desk.ErrNotFound) {
			t, err = a.svc.CreateTeam(ctx, sys, name)
		}
		if err != nil {
			return "", fmt.Errorf("team %q: %w", name, err)
		}
		teamID[name] = t.ID
		return t.ID, nil
	}
	current, err := a.svc.TeamRoutings(ctx, sys)
	if err != nil {
		return err
	}
	for _, tc := range a.cfg.Teams {
		id, err := team(tc.Name)
		if err != nil {
			return err
		}
		want := desk.TeamRouting{TeamID: id, Mode: tc.Mode, Default: tc.Default}
		if want.Mode == "" {
			want.Mode = "auto"
		}
		if tc.ReassignAfter != "" {
			if want.ReassignAfter, err = time.ParseDuration(tc.ReassignAfter); err != nil {
				return fmt.Errorf("team %q: reassign_after: %w", tc.Name, err)
			}
		}
		i := slices.IndexFunc(current, func(tr desk.TeamRouting) bool { return tr.TeamID == id })
		if i >= 0 && current[i] == want {
			continue
		}
		if _, err := a.svc.SetTeamRouting(ctx, sys, want); err != nil {
			return fmt.Errorf("team %q: %w", tc.Name, err)
		}
	}
	rules, err := a.svc.RoutingRules(ctx, sys)
	if err != nil {
		return err
	}
	var order []string
	for _, rc := range a.cfg.RoutingRules {
		id, err := team(rc.Team)
		if err != nil {
			return fmt.Errorf("routing_rule %q: %w", rc.Name, err)
		}
		want := desk.RoutingRule{Name: rc.Name, Enabled: !rc.Disabled, TeamID: id, SetCategory: rc.SetCategory,
			SetPriority: desk.Priority(rc.SetPriority), Conditions: desk.RuleConditions{Channels: rc.Channels,
				Languages: rc.Languages, Categories: rc.Categories, Keywords: rc.Keywords, Segments: rc.Segments}}
		if h := rc.Hours; h != nil {
			want.Conditions.Hours = &desk.RuleHours{Timezone: h.Timezone, Days: h.Days, Hours: h.Hours, Outside: h.Outside}
		}
		i := slices.IndexFunc(rules, func(r desk.RoutingRule) bool { return r.Name == rc.Name })
		switch {
		case i < 0:
			made, err := a.svc.CreateRoutingRule(ctx, sys, want)
			if err != nil {
				return fmt.Errorf("routing_rule %q: %w", rc.Name, err)
			}
			rules = append(rules, made)
			order = append(order, made.ID)
		case desk.SameRouting(rules[i], want):
			order = append(order, rules[i].ID)
		default:
			want.ID = rules[i].ID
			if _, err := a.svc.UpdateRoutingRule(ctx, sys, want); err != nil {
				return fmt.Errorf("routing_rule %q: %w", rc.Name, err)
			}
			order = append(order, want.ID)
		}
	}
	// The file's rules first, in its order; rules made in the desk follow.
	for _, r := range rules {
		if !slices.Contains(order, r.ID) {
			order = append(order, r.ID)
		}
	}
	if len(order) > 0 && !slices.Equal(order, ruleIDs(rules)) {
		if _, err := a.svc.ReorderRoutingRules(ctx, sys, order); err != nil {
			return err
		}
	}
	return nil
}

func ruleIDs(rules []desk.RoutingRule) []string {
	slices.SortFunc(rules, func(a, b desk.RoutingRule) int { return a.Position - b.Position })
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	return ids
}
