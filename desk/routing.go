package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"huiliu/desk/sla"
)

// RoutingRule puts a new ticket that meets all its conditions into a team.
// Rules are evaluated by Position; the first match wins, and the default
// team catches tickets no rule matches.
type RoutingRule struct {
	ID         string         `json:"id"`
	Position   int            `json:"position"`
	Name       string         `json:"name"`
	Enabled    bool           `json:"enabled"`
	Conditions RuleConditions `json:"conditions"`
	TeamID     string         `json:"team_id"`
	// SetCategory and SetPriority, when not empty, are written on the
	// ticket with the team.
	SetCategory string    `json:"set_category,omitempty"`
	SetPriority Priority  `json:"set_priority,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// RuleConditions must all hold for a rule to match; an empty list matches
// anything.
type RuleConditions struct {
	Channels   []string `json:"channels,omitempty"`
	Languages  []string `json:"languages,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// Keywords match when any is in the message, ignoring case.
	Keywords []string   `json:"keywords,omitempty"`
	Segments []string   `json:"segments,omitempty"`
	Hours    *RuleHours `json:"hours,omitempty"`
}

// RuleHours matches inside (or, with Outside, outside) a weekly schedule.
type RuleHours struct {
	Timezone string `json:"timezone"`
	// Days are weekdays, 0 Sunday to 6 Saturday.
	Days []int `json:"days"`
	// Hours is a day's schedule such as "09:00-12:00,13:00-18:00".
	Hours   string `json:"hours"`
	Outside bool   `json:"outside,omitempty"`

	cal *sla.Calendar
}

// RouteInput is what rules look at: the new ticket's first message and its
// customer.
type RouteInput struct {
	Channel  string
	Language string
	Category string
	Text     string
	Segments []string
	At       time.Time
}

// RouteResult is where a ticket goes; TeamID empty leaves it unrouted.
type RouteResult struct {
	TeamID   string
	Category string
	Priority Priority
	RuleID   string
}

// Limits of routing rules.
const (
	maxRules         = 200
	maxRuleValues    = 50
	maxRuleNameRunes = 100
	maxKeywordRunes  = 64
)

// EvaluateRules returns where the first matching enabled rule of rules
// (sorted by Position) sends in, or the default team.
func EvaluateRules(rules []RoutingRule, defaultTeam string, in RouteInput) RouteResult {
	text := strings.ToLower(in.Text)
	for _, r := range rules {
		if r.Enabled && r.Conditions.match(in, text) {
			return RouteResult{TeamID: r.TeamID, Category: r.SetCategory, Priority: r.SetPriority, RuleID: r.ID}
		}
	}
	return RouteResult{TeamID: defaultTeam}
}

func (c RuleConditions) match(in RouteInput, lowerText string) bool {
	anyOf := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	if !anyOf(c.Channels, in.Channel) || !anyOf(c.Languages, in.Language) || !anyOf(c.Categories, in.Category) {
		return false
	}
	if len(c.Segments) > 0 && !slices.ContainsFunc(c.Segments, func(s string) bool { return slices.Contains(in.Segments, s) }) {
		return false
	}
	if len(c.Keywords) > 0 && !slices.ContainsFunc(c.Keywords, func(k string) bool { return strings.Contains(lowerText, k) }) {
		return false
	}
	if c.Hours != nil && c.Hours.cal != nil && c.Hours.cal.IsOpen(in.At) == c.Hours.Outside {
		return false
	}
	return true
}

// DetectLanguage guesses the language of a customer's text: any Han
// character means Chinese, else Latin letters mean English; "" when
// neither (digits, emoji).
func DetectLanguage(text string) string {
	latin := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			return "zh"
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			latin = true
		}
	}
	if latin {
		return "en"
	}
	return ""
}

// SameRouting reports whether two rules route alike (name, switch,
// conditions, action), in their normalised forms: how a configuration file
// tells an unchanged rule from a changed one.
func SameRouting(a, b RoutingRule) bool {
	if a.normalize() != nil || b.normalize() != nil {
		return false
	}
	key := func(r RoutingRule) string {
		data, _ := json.Marshal(struct {
			N  string
			E  bool
			C  RuleConditions
			T  string
			SC string
			SP Priority
		}{r.Name, r.Enabled, r.Conditions, r.TeamID, r.SetCategory, r.SetPriority})
		return string(data)
	}
	return key(a) == key(b)
}

// normalize checks a rule and puts its values in the form evaluation
// expects (lower-case keywords, a parsed schedule).
func (r *RoutingRule) normalize() error {
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || utf8.RuneCountInString(r.Name) > maxRuleNameRunes || !ValidText(r.Name) {
		return Errorf(CodeInvalid, "name is required, at most %d characters", maxRuleNameRunes)
	}
	if r.TeamID == "" {
		return Errorf(CodeInvalid, "team_id is required: the team the rule puts tickets into")
	}
	if r.SetPriority != "" && !r.SetPriority.Valid() {
		return Errorf(CodeInvalid, "set_priority must be low, normal, high or urgent")
	}
	r.SetCategory = strings.TrimSpace(r.SetCategory)
	if utf8.RuneCountInString(r.SetCategory) > maxTagRunes || !ValidText(r.SetCategory) {
		return Errorf(CodeInvalid, "set_category must be at most %d characters", maxTagRunes)
	}
	c := &r.Conditions
	for _, l := range []struct {
		name  string
		list  *[]string
		lower bool
	}{{"channels", &c.Channels, true}, {"languages", &c.Languages, true}, {"categories", &c.Categories, false},
		{"keywords", &c.Keywords, true}, {"segments", &c.Segments, false}} {
		out, err := cleanList(l.name, *l.list, l.lower)
		if err != nil {
			return err
		}
		*l.list = out
	}
	if c.Hours != nil {
		if err := c.Hours.compile(); err != nil {
			return err
		}
	}
	return nil
}

func cleanList(name string, in []string, lower bool) ([]string, error) {
	if len(in) > maxRuleValues {
		return nil, Errorf(CodeInvalid, "%s: at most %d values", name, maxRuleValues)
	}
	var out []string
	for _, v := range in {
		v = strings.TrimSpace(v)
		if lower {
			v = strings.ToLower(v)
		}
		if v == "" {
			continue
		}
		if utf8.RuneCountInString(v) > maxKeywordRunes || !ValidText(v) {
			return nil, Errorf(CodeInvalid, "%s: %q must be text of at most %d characters", name, v, maxKeywordRunes)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// compile builds the schedule's calendar on sla's business-time math.
func (h *RuleHours) compile() error {
	loc, err := time.LoadLocation(h.Timezone)
	if err != nil || h.Timezone == "" {
		return Errorf(CodeInvalid, "hours.timezone %q is not a known time zone (e.g. Asia/Shanghai)", h.Timezone)
	}
	ivs, err := sla.ParseHours(h.Hours)
	if err != nil || len(ivs) == 0 {
		return Errorf(CodeInvalid, "hours.hours %q must be like 09:00-12:00,13:00-18:00", h.Hours)
	}
	week := map[time.Weekday][]sla.Interval{}
	for _, d := range h.Days {
		if d < 0 || d > 6 {
			return Errorf(CodeInvalid, "hours.days: %d is not a weekday (0 Sunday to 6 Saturday)", d)
		}
		week[time.Weekday(d)] = ivs
	}
	if len(week) == 0 {
		return Errorf(CodeInvalid, "hours.days must list at least one weekday")
	}
	cal, err := sla.NewCalendar("routing", loc, week)
	if err != nil {
		return Errorf(CodeInvalid, "hours: %v", err)
	}
	h.cal = cal
	return nil
}

// rulesTTL is how long a node trusts its copy of the rules: a change made
// on another node takes effect here within this time.
const rulesTTL = 5 * time.Second

// ruleCache keeps the rules and the default team in memory so opening a
// ticket costs no extra queries most of the time.
type ruleCache struct {
	mu          sync.Mutex
	loaded      time.Time
	rules       []RoutingRule
	defaultTeam string
}

func (c *ruleCache) get(ctx context.Context, r Reader, now time.Time) ([]RoutingRule, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded.IsZero() && now.Sub(c.loaded) < rulesTTL && !now.Before(c.loaded) {
		return c.rules, c.defaultTeam, nil
	}
	rules, err := r.RoutingRules(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("load routing rules: %w", err)
	}
	teams, err := r.TeamRoutings(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("load team routing: %w", err)
	}
	for i := range rules {
		if h := rules[i].Conditions.Hours; h != nil {
			if err := h.compile(); err != nil {
				rules[i].Enabled = false // stored before a time zone went away
			}
		}
	}
	c.rules, c.defaultTeam, c.loaded = rules, "", now
	for _, t := range teams {
		if t.Default {
			c.defaultTeam = t.TeamID
		}
	}
	return c.rules, c.defaultTeam, nil
}

// invalidate makes the next get reload, after a change on this node.
func (c *ruleCache) invalidate() {
	c.mu.Lock()
	c.loaded = time.Time{}
	c.mu.Unlock()
}
