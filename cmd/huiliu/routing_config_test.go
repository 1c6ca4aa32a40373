package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"huiliu/desk"
	"huiliu/store/storetest"
)

const routingTOML = `
[[team]]
name = "催收组"
mode = "pull"
reassign_after = "30m"

[[team]]
name = "客服组"
default = true

[[routing_rule]]
name = "逾期客户"
team = "催收组"
segments = ["overdue"]
set_priority = "high"

[[routing_rule]]
name = "complaints"
team = "客服组"
keywords = ["投诉", "Complaint"]
set_category = "complaint"
  [routing_rule.hours]
  timezone = "Asia/Shanghai"
  days = [1, 2, 3, 4, 5]
  hours = "09:00-18:00"
`

func TestRoutingConfigAppliedOnceAndKeptInStep(t *testing.T) {
	ctx := context.Background()
	sc := storetest.Config(t)
	cfg := Config{Data: sc.DataDir, DatabaseURL: sc.URL}
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	if _, err := toml.Decode(routingTOML, &cfg); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// A rule made in the desk before the file is applied stays, after the
	// file's rules.
	support, err := a.svc.CreateTeam(ctx, desk.Actor{}, "客服组")
	if err != nil {
		t.Fatal(err)
	}
	own, err := a.svc.CreateRoutingRule(ctx, desk.Actor{}, desk.RoutingRule{Name: "english", Enabled: true, TeamID: support.ID,
		Conditions: desk.RuleConditions{Languages: []string{"en"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.applyRoutingConfig(ctx); err != nil {
		t.Fatal(err)
	}
	rules, err := a.svc.RoutingRules(ctx, desk.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 3 || rules[0].Name != "逾期客户" || rules[1].Name != "complaints" || rules[2].ID != own.ID ||
		rules[0].SetPriority != desk.PriorityHigh || rules[1].Conditions.Hours == nil {
		t.Fatalf("rules after apply: %+v", rules)
	}
	teams, err := a.svc.TeamRoutings(ctx, desk.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	collections, err := a.db.TeamByName(ctx, "催收组")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, tr := range teams {
		if tr.TeamID == collections.ID {
			found = tr.Mode == "pull" && tr.ReassignAfter == 30*time.Minute
		}
		if tr.TeamID == support.ID && !tr.Default {
			t.Fatalf("客服组 is not the default team: %+v", tr)
		}
	}
	if !found {
		t.Fatalf("催收组 settings not applied: %+v", teams)
	}
	// Applying the same file again changes nothing.
	if err := a.applyRoutingConfig(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := a.svc.RoutingRules(ctx, desk.Actor{})
	for i := range again {
		if !again[i].UpdatedAt.Equal(rules[i].UpdatedAt) || again[i].Position != rules[i].Position {
			t.Fatalf("an unchanged file rewrote rule %q", again[i].Name)
		}
	}
	// A changed keyword is written; an unknown priority is refused.
	a.cfg.RoutingRules[1].Keywords = []string{"投诉", "差评"}
	if err := a.applyRoutingConfig(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.svc.RoutingRules(ctx, desk.Actor{}); len(got[1].Conditions.Keywords) != 2 || got[1].Conditions.Keywords[1] != "差评" {
		t.Fatalf("changed rule: %+v", got[1].Conditions)
	}
	a.cfg.RoutingRules[0].SetPriority = "asap"
	if err := a.applyRoutingConfig(ctx); err == nil {
		t.Fatal("a rule with an unknown priority was applied")
	}
}
