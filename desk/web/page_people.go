package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// agentsPage lists the accounts and teams (admins): add an agent, change
// role, teams, access and permissions, set a new password, add a team.
// Capacity and skills are on the routing page.
func (s *Server) agentsPage(c echo.Context) error {
	ctx := c.Request().Context()
	agents, err := s.svc.Agents(ctx, s.actor(c))
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	type teamRow struct {
		desk.Team
		Members int
	}
	type agentRow struct {
		desk.Agent
		Teams  map[string]bool // by team name
		Reveal bool
	}
	names := map[string]string{}
	rows := make([]teamRow, 0, len(teams))
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	members := map[string]int{}
	list := make([]agentRow, 0, len(agents))
	for _, a := range agents {
		r := agentRow{Agent: a, Teams: map[string]bool{}, Reveal: slices.Contains(a.Permissions, desk.PermPIIReveal)}
		for _, id := range a.TeamIDs {
			r.Teams[names[id]] = true
			members[id]++
		}
		list = append(list, r)
	}
	for _, t := range teams {
		rows = append(rows, teamRow{Team: t, Members: members[t.ID]})
	}
	slices.SortFunc(list, func(a, b agentRow) int {
		if a.Active != b.Active { // active first
			if a.Active {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "people.agents_title"), Page: "agents", Scripts: []string{"people.js"},
		Data: struct {
			Agents []agentRow
			Teams  []teamRow
			Roles  []desk.Role
			Self   string
			// Zones are offered per agent, after the desk's own default.
			Zones    []string
			DeskZone string
		}{list, rows, []desk.Role{desk.RoleAgent, desk.RoleSupervisor, desk.RoleAdmin}, current(c).Agent.ID,
			zoneChoices, s.deskZone().String()}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_agents.html", d)
}

// tokensPage lists the API tokens (admins): create one (its secret shown
// once), revoke one, see when each was last used.
func (s *Server) tokensPage(c echo.Context) error {
	ctx := c.Request().Context()
	tokens, err := s.svc.Tokens(ctx, s.actor(c))
	if err != nil {
		return err
	}
	agents, err := s.svc.Agents(ctx, s.actor(c))
	if err != nil {
		return err
	}
	byID := map[string]desk.Agent{}
	for _, a := range agents {
		byID[a.ID] = a
	}
	type tokenRow struct {
		desk.Token
		Agent desk.Agent
	}
	rows := make([]tokenRow, 0, len(tokens))
	for _, t := range tokens {
		rows = append(rows, tokenRow{Token: t, Agent: byID[t.AgentID]})
	}
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "people.tokens_title"), Page: "tokens", Scripts: []string{"people.js"},
		Data: struct {
			Tokens []tokenRow
			Agents []desk.Agent
		}{rows, agents}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_tokens.html", d)
}

// auditPage shows the audit log with filters (a plain GET form, so a
// filtered view is a link) and an export of the same filter.
func (s *Server) auditPage(c echo.Context) error {
	ctx := c.Request().Context()
	q, err := auditQuery(c, s.zoneOf(current(c).Agent))
	if err != nil {
		return err
	}
	entries, err := s.svc.AuditSearch(ctx, s.actor(c), q)
	if err != nil {
		return err
	}
	agents, err := s.svc.Agents(ctx, s.actor(c))
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	next := ""
	if len(entries) == q.Limit {
		v := c.QueryParams()
		v.Set("before", entries[len(entries)-1].ID)
		next = "/admin/audit?" + v.Encode()
	}
	export := c.QueryParams()
	export.Del("before")
	export.Del("limit")
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "people.audit_title"), Page: "audit",
		Data: struct {
			Entries          []desk.AuditEntry
			Names            map[string]string
			Agents           []desk.Agent
			Actor, Action    string
			Target, From, To string
			Next, Export     string
		}{entries, names, agents, q.ActorID, q.Action, q.Target, c.QueryParam("from"), c.QueryParam("to"), next,
			"/api/v1/audit/export?" + export.Encode()}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_audit.html", d)
}
