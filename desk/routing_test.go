package desk

import (
	"testing"
	"time"
)

func mustRule(t *testing.T, r RoutingRule) RoutingRule {
	t.Helper()
	r.Enabled = true
	if r.Name == "" {
		r.Name = r.ID
	}
	if err := r.normalize(); err != nil {
		t.Fatalf("rule %s: %v", r.ID, err)
	}
	return r
}

func TestEvaluateRulesEachConditionAndOrder(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// Tuesday 2026-12-01 10:00 and 20:00 in Shanghai.
	workday := time.Date(2026, 12, 1, 10, 0, 0, 0, sh)
	evening := time.Date(2026, 12, 1, 20, 0, 0, 0, sh)
	rules := []RoutingRule{
		mustRule(t, RoutingRule{ID: "overdue", TeamID: "collections", Conditions: RuleConditions{Segments: []string{"overdue"}}, SetPriority: PriorityHigh}),
		mustRule(t, RoutingRule{ID: "complaint", TeamID: "complaints", Conditions: RuleConditions{Keywords: []string{"投诉", "Complaint"}}, SetCategory: "complaint"}),
		mustRule(t, RoutingRule{ID: "night", TeamID: "night", Conditions: RuleConditions{Hours: &RuleHours{Timezone: "Asia/Shanghai", Days: []int{1, 2, 3, 4, 5}, Hours: "09:00-18:00", Outside: true}}}),
		mustRule(t, RoutingRule{ID: "english", TeamID: "intl", Conditions: RuleConditions{Languages: []string{"EN"}}}),
		mustRule(t, RoutingRule{ID: "tg-repay", TeamID: "repay", Conditions: RuleConditions{Channels: []string{"telegram"}, Categories: []string{"repayment"}}}),
	}
	disabled := rules[0]
	disabled.Enabled = false
	for _, tc := range []struct {
		name  string
		rules []RoutingRule
		in    RouteInput
		want  RouteResult
	}{
		{"segment wins first, even over a keyword", rules, RouteInput{Text: "我要投诉", Segments: []string{"vip", "overdue"}, At: workday},
			RouteResult{TeamID: "collections", Priority: PriorityHigh, RuleID: "overdue"}},
		{"keyword in Chinese", rules, RouteInput{Text: "我要投诉你们", Language: "zh", At: workday},
			RouteResult{TeamID: "complaints", Category: "complaint", RuleID: "complaint"}},
		{"keyword ignores case", rules, RouteInput{Text: "A COMPLAINT about fees", Language: "en", At: workday},
			RouteResult{TeamID: "complaints", Category: "complaint", RuleID: "complaint"}},
		{"outside business hours", rules, RouteInput{Text: "hello", Language: "en", At: evening},
			RouteResult{TeamID: "night", RuleID: "night"}},
		{"inside hours falls to language", rules, RouteInput{Text: "hello", Language: "en", At: workday},
			RouteResult{TeamID: "intl", RuleID: "english"}},
		{"channel and category both needed", rules, RouteInput{Channel: "telegram", Category: "repayment", Language: "zh", At: workday},
			RouteResult{TeamID: "repay", RuleID: "tg-repay"}},
		{"channel alone is not enough", rules, RouteInput{Channel: "telegram", Category: "other", Language: "zh", At: workday},
			RouteResult{TeamID: "default"}},
		{"a disabled rule is skipped", append([]RoutingRule{disabled}, rules[1:]...), RouteInput{Segments: []string{"overdue"}, Language: "zh", At: workday},
			RouteResult{TeamID: "default"}},
		{"no rules: the default team", nil, RouteInput{Text: "hi"}, RouteResult{TeamID: "default"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := EvaluateRules(tc.rules, "default", tc.in); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestRuleValidation(t *testing.T) {
	for name, r := range map[string]RoutingRule{
		"no name":      {TeamID: "x"},
		"no team":      {Name: "n"},
		"bad priority": {Name: "n", TeamID: "x", SetPriority: "asap"},
		"bad zone":     {Name: "n", TeamID: "x", Conditions: RuleConditions{Hours: &RuleHours{Timezone: "Mars/Olympus", Days: []int{1}, Hours: "09:00-18:00"}}},
		"bad hours":    {Name: "n", TeamID: "x", Conditions: RuleConditions{Hours: &RuleHours{Timezone: "UTC", Days: []int{1}, Hours: "9-6"}}},
		"bad day":      {Name: "n", TeamID: "x", Conditions: RuleConditions{Hours: &RuleHours{Timezone: "UTC", Days: []int{7}, Hours: "09:00-18:00"}}},
		"no days":      {Name: "n", TeamID: "x", Conditions: RuleConditions{Hours: &RuleHours{Timezone: "UTC", Hours: "09:00-18:00"}}},
	} {
		if err := r.normalize(); CodeOf(err) != CodeInvalid {
			t.Errorf("%s: err = %v, want invalid", name, err)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"我想申请延期还款":            "zh",
		"hello, 我的订单":         "zh",
		"Where is my refund?": "en",
		"12345 ???":           "",
		"":                    "",
		"Привет":              "",
	} {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestPickAgentLeastLoadedRoundRobinSkillsCapacity(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	c := func(id string, load, capacity int, last time.Duration, langs ...string) Candidate {
		return Candidate{Agent: Agent{ID: id}, Load: load,
			Routing: AgentRouting{AgentID: id, Capacity: capacity, Languages: langs, LastAssignedAt: t0.Add(last)}}
	}
	zh := Ticket{Language: "zh", Channel: "webchat"}
	for _, tc := range []struct {
		name  string
		cands []Candidate
		t     Ticket
		want  string
	}{
		{"least loaded", []Candidate{c("a", 3, 8, 0), c("b", 1, 8, time.Hour), c("c", 2, 8, 0)}, zh, "b"},
		{"equals: assigned longest ago", []Candidate{c("a", 1, 8, 2*time.Minute), c("b", 1, 8, time.Minute), c("c", 1, 8, 3*time.Minute)}, zh, "b"},
		{"full agents are skipped", []Candidate{c("a", 8, 8, 0), c("b", 5, 5, 0), c("c", 6, 8, 0)}, zh, "c"},
		{"language skill needed", []Candidate{c("a", 0, 8, 0, "en"), c("b", 4, 8, 0, "zh", "en")}, zh, "b"},
		{"no language on the ticket needs no skill", []Candidate{c("a", 0, 8, 0, "en")}, Ticket{}, "a"},
		{"nobody can", []Candidate{c("a", 0, 8, 0, "en"), c("b", 2, 2, 0)}, zh, ""},
		{"capacity zero takes nothing", []Candidate{c("a", 0, 0, 0)}, zh, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if i := PickAgent(tc.cands, tc.t); i >= 0 {
				got = tc.cands[i].Agent.ID
			}
			if got != tc.want {
				t.Errorf("picked %q, want %q", got, tc.want)
			}
		})
	}
	// Channel and category skills.
	ch := Candidate{Agent: Agent{ID: "x"}, Routing: AgentRouting{Capacity: 8, Channels: []string{"telegram"}, Categories: []string{"repayment"}}}
	if PickAgent([]Candidate{ch}, Ticket{Channel: "webchat"}) >= 0 || PickAgent([]Candidate{ch}, Ticket{Channel: "telegram", Category: "complaint"}) >= 0 {
		t.Error("a channel or category skill did not restrict")
	}
	if PickAgent([]Candidate{ch}, Ticket{Channel: "telegram", Category: "repayment"}) != 0 {
		t.Error("a skilled agent was refused")
	}
}

func TestRequeueReason(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	team := TeamRouting{ReassignAfter: 10 * time.Minute}
	open := func(waiting, assigned time.Time) AssignedTicket {
		return AssignedTicket{Ticket: Ticket{Status: StatusOpen}, WaitingSince: waiting, AssignedAt: assigned}
	}
	for _, tc := range []struct {
		name    string
		at      AssignedTicket
		team    TeamRouting
		offline time.Duration
		now     time.Time
		want    string
	}{
		{"offline past the grace", open(time.Time{}, t0), TeamRouting{}, OfflineGrace, t0, RequeueOffline},
		{"offline within the grace", open(time.Time{}, t0), TeamRouting{}, OfflineGrace - time.Second, t0, ""},
		{"customer waits too long", open(t0, t0.Add(-time.Hour)), team, 0, t0.Add(10 * time.Minute), RequeueSilent},
		{"not yet", open(t0, t0.Add(-time.Hour)), team, 0, t0.Add(9 * time.Minute), ""},
		{"counted from a later assignment", open(t0, t0.Add(5*time.Minute)), team, 0, t0.Add(10 * time.Minute), ""},
		{"desk spoke last", open(time.Time{}, t0), team, 0, t0.Add(time.Hour), ""},
		{"pending waits on the customer", AssignedTicket{Ticket: Ticket{Status: StatusPending}, WaitingSince: t0}, team, 0, t0.Add(time.Hour), ""},
		{"team without reassign_after", open(t0, t0), TeamRouting{}, 0, t0.Add(time.Hour), ""},
	} {
		if got := requeueReason(tc.at, tc.team, tc.offline, tc.now); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPresenceFor(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	if PresenceFor(t0, t0.Add(AwayAfter-time.Second)) != PresenceOnline || PresenceFor(t0, t0.Add(AwayAfter)) != PresenceAway {
		t.Error("away is not AwayAfter without input")
	}
}
