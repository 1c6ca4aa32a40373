package web

import (
	"slices"
	"strings"

	"huiliu/desk"
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
	if _, ok := catalogs[lang][key]; !ok {
		return m.Text
	}
	var pairs []string
	for k, v := range e.Args {
		if prefix, ok := argValuePrefixes[k]; ok {
			v = translateValue(lang, prefix, v)
		} else if k == "by" && v == autoBy {
			v = translate(lang, "sys.by_auto")
		}
		pairs = append(pairs, k, v)
	}
	return format(translate(lang, key), pairs...)
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
			return format(translate(lang, "contact.visitor"), "id", short)
		}
	}
	return ""
}

// translateValue translates an enumerated value, keeping unknown ones.
func translateValue(lang, prefix, v string) string {
	if s, ok := catalogs[lang][prefix+v]; ok {
		return s
	}
	return v
}

func sortAgents(as []desk.Agent) {
	slices.SortFunc(as, func(a, b desk.Agent) int { return strings.Compare(a.Name, b.Name) })
}
