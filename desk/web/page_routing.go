package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// routingPageTeam is one team row of the routing screen.
type routingPageTeam struct {
	ID, Name, Mode  string
	ReassignMinutes int64
	Default         bool
}

// routingPageRule is one rule row, its conditions already in words.
type routingPageRule struct {
	N                                  int // 1 is evaluated first
	ID, Name, Team, Conditions, Action string
	Enabled                            bool
}

// routingWeekday is one day box of the rule form: N as the API counts
// (0 Sunday … 6 Saturday), Key its label.
type routingWeekday struct {
	N   int
	Key string
}

// routingWeekdays lists the form's day boxes Monday first.
var routingWeekdays = []routingWeekday{{1, "slaadm.day.mon"}, {2, "slaadm.day.tue"}, {3, "slaadm.day.wed"},
	{4, "slaadm.day.thu"}, {5, "slaadm.day.fri"}, {6, "slaadm.day.sat"}, {0, "slaadm.day.sun"}}

// routingPageChoice is a team the rule form can send tickets to.
type routingPageChoice struct{ ID, Name string }

// routingPage shows the routing rules in order (move, delete, edit), a form
// to create and edit them, each team's mode, reassignment and default flag,
// and a segment import. Everything is written through the API
// (docs/api.md); the page is a thin form over it.
func (s *Server) routingPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	settings, err := s.svc.TeamRoutings(ctx, s.actor(c))
	if err != nil {
		return err
	}
	rules, err := s.svc.RoutingRules(ctx, s.actor(c))
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	var data struct {
		Teams      []routingPageTeam
		Rules      []routingPageRule
		TeamChoice []routingPageChoice
		Channels   []string
		Priorities []string
		Weekdays   []routingWeekday
	}
	data.Channels, data.Weekdays = s.runningChannels(), routingWeekdays
	data.Priorities = []string{string(desk.PriorityLow), string(desk.PriorityNormal), string(desk.PriorityHigh), string(desk.PriorityUrgent)}
	for _, t := range teams {
		data.TeamChoice = append(data.TeamChoice, routingPageChoice{ID: t.ID, Name: t.Name})
	}
	for _, tr := range settings {
		data.Teams = append(data.Teams, routingPageTeam{ID: tr.TeamID, Name: names[tr.TeamID], Mode: tr.Mode,
			ReassignMinutes: int64(tr.ReassignAfter / time.Minute), Default: tr.Default})
	}
	for i, r := range rules {
		action := names[r.TeamID]
		if r.SetCategory != "" {
			action += " · " + r.SetCategory
		}
		if r.SetPriority != "" {
			action += " · " + i18n.T(lang, "priority."+string(r.SetPriority))
		}
		data.Rules = append(data.Rules, routingPageRule{N: i + 1, ID: r.ID, Name: r.Name, Team: names[r.TeamID],
			Conditions: conditionWords(lang, r.Conditions), Action: action, Enabled: r.Enabled})
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "routing.title"), Page: "routing", Scripts: []string{"routing_admin.js"}, Data: data}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_routing.html", d)
}

// runningChannels are the channels rules and policies may name: those this
// desk runs, in the inbox's order.
func (s *Server) runningChannels() []string {
	if s.opts.Channels == nil {
		return channelChoices
	}
	var out []string
	for _, ch := range channelChoices {
		if slices.Contains(s.opts.Channels, ch) {
			out = append(out, ch)
		}
	}
	return out
}

// conditionWords says a rule's conditions in the page's language.
func conditionWords(lang string, c desk.RuleConditions) string {
	var parts []string
	add := func(key string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, i18n.T(lang, key)+": "+strings.Join(vals, ", "))
		}
	}
	chans := make([]string, len(c.Channels))
	for i, ch := range c.Channels {
		chans[i] = translateValue(lang, "channel.", ch)
	}
	add("routing.cond.channels", chans)
	add("routing.cond.languages", c.Languages)
	add("routing.cond.categories", c.Categories)
	add("routing.cond.keywords", c.Keywords)
	add("routing.cond.segments", c.Segments)
	if h := c.Hours; h != nil {
		key := "routing.cond.inside"
		if h.Outside {
			key = "routing.cond.outside"
		}
		parts = append(parts, fmt.Sprintf("%s: %s %v %s", i18n.T(lang, key), h.Timezone, h.Days, h.Hours))
	}
	if len(parts) == 0 {
		return i18n.T(lang, "routing.cond.any")
	}
	return strings.Join(parts, "; ")
}
