package web

import (
	"maps"
	"slices"
	"strings"

	"huiliu/desk"
	"huiliu/i18n"
)

// ticketTags are the ticket's tags, sorted for a stable display.
func ticketTags(t desk.Ticket) []string {
	tags := slices.Clone(t.Tags)
	slices.Sort(tags)
	return tags
}

// autoBy is the "by" of entries the router wrote (desk assignByAuto).
const autoBy = "auto"

// argValuePrefixes names the catalog keys of system entry arguments whose
// values are enumerations (desk.js sysText has the same table).
var argValuePrefixes = map[string]string{
	"status": "status.", "priority": "priority.", "kind": "identity.", "method": "method.",
	"target": "sla.target.", "level": "sla.level.",
}

// systemText is a system entry in the reader's language, from its action
// and arguments; an action this desk does not know shows the stored
// (English) text. desk.js sysText applies the same rules to live entries.
func systemText(lang string, m desk.Message) string {
	e := m.Event
	if e == nil {
		return m.Text
	}
	key := "sys." + e.Action
	if e.Action == "transfer" && e.Args["team"] == "" {
		key = "sys.unroute"
	}
	if e.Action == "outcome_confirmed" && e.Args["reason"] != "" {
		key = "sys.outcome_confirmed_for" // a supervisor for the owner
	}
	if e.Action == "assign" && e.Args["by"] == autoBy {
		key = "sys.assign_auto" // the router, not a person
	}
	if !i18n.Has(lang, key) {
		return m.Text
	}
	args := e.Args
	if e.Action == "sla_escalation" {
		args = maps.Clone(args)
		args["actions"] = escalationActions(lang, args)
	}
	var pairs []string
	for k, v := range args {
		if prefix, ok := argValuePrefixes[k]; ok {
			v = translateValue(lang, prefix, v)
		} else if k == "by" && v == autoBy {
			v = i18n.T(lang, "sys.by_auto")
		}
		pairs = append(pairs, k, v)
	}
	return i18n.T(lang, key, pairs...)
}

// escalationActions says what an SLA escalation step did in the reader's
// language, from the parts the step records (desk.js sysText does the
// same); an entry recorded before those parts existed keeps its English.
func escalationActions(lang string, args map[string]string) string {
	var parts []string
	if v := args["raised_to"]; v != "" {
		parts = append(parts, i18n.T(lang, "sla.act.raised", "priority", translateValue(lang, "priority.", v)))
	}
	if v := args["moved_to"]; v != "" {
		parts = append(parts, i18n.T(lang, "sla.act.moved", "team", v))
	}
	if v := args["tagged"]; v != "" {
		parts = append(parts, i18n.T(lang, "sla.act.tagged", "tag", v))
	}
	if v := args["notified"]; v != "" {
		var who []string
		for _, w := range strings.Split(v, "+") {
			who = append(who, translateValue(lang, "sla.who.", w))
		}
		parts = append(parts, i18n.T(lang, "sla.act.notified", "who", strings.Join(who, i18n.T(lang, "sla.act.and"))))
	}
	if len(parts) == 0 {
		return args["actions"]
	}
	return strings.Join(parts, i18n.T(lang, "sla.act.sep"))
}

// contactName is what agents call a customer: the name they gave, else
// for an anonymous website visitor "Visitor" and the start of their id
// (the whole id is noise), else "" for the page's "no name" label.
func contactName(lang string, c desk.Contact) string {
	if c.Name != "" {
		return c.Name
	}
	for _, id := range c.Identities {
		if id.Kind == desk.IdentityWebchat {
			short := id.Value
			if len(short) > 6 {
				short = short[:6]
			}
			return i18n.T(lang, "contact.visitor", "id", short)
		}
	}
	return ""
}

// translateValue translates an enumerated value, keeping unknown ones.
func translateValue(lang, prefix, v string) string {
	if i18n.Has(lang, prefix+v) {
		return i18n.T(lang, prefix+v)
	}
	return v
}

func sortAgents(as []desk.Agent) {
	slices.SortFunc(as, func(a, b desk.Agent) int { return strings.Compare(a.Name, b.Name) })
}
