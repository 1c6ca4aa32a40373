package store

import (
	"context"
	"strings"

	"huiliu/desk"
)

const agentCols = `id, email, name, role, employee_no, active, password_hash, created_at, permissions, time_zone`

func scanAgent(s scanner) (desk.Agent, error) {
	var a desk.Agent
	var role string
	var active, created int64
	var perms string
	err := s.Scan(&a.ID, &a.Email, &a.Name, &role, &a.EmployeeNo, &active, &a.PasswordHash, &created, &perms, &a.TimeZone)
	a.Role, a.Active, a.CreatedAt = desk.Role(role), active != 0, fromMs(created)
	a.Permissions = splitTags(perms)
	return a, err
}

// normEmail is how emails are stored and looked up, so that the unique index
// is case-insensitive.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (r reader) agent(ctx context.Context, what, where string, arg string) (desk.Agent, error) {
	a, err := scanAgent(r.q.QueryRowContext(ctx, `SELECT `+agentCols+` FROM agents WHERE `+where, arg))
	if err != nil {
		return desk.Agent{}, wrap(err, "agent %s", what)
	}
	a.TeamIDs, err = r.agentTeams(ctx, a.ID)
	return a, err
}

func (r reader) agentTeams(ctx context.Context, agentID string) ([]string, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT team_id FROM agent_teams WHERE agent_id = $1 ORDER BY team_id`, agentID)
	if err != nil {
		return nil, wrap(err, "teams of agent %s", agentID)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "teams of agent %s", agentID)
		}
		ids = append(ids, id)
	}
	return ids, wrap(rows.Err(), "teams of agent %s", agentID)
}

func (r reader) Agent(ctx context.Context, id string) (desk.Agent, error) {
	return r.agent(ctx, id, "id = $1", id)
}

func (r reader) AgentByEmail(ctx context.Context, email string) (desk.Agent, error) {
	return r.agent(ctx, "by email", "email = $1", normEmail(email))
}

// Agents lists every agent, active or not, by name.
func (r reader) Agents(ctx context.Context) ([]desk.Agent, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+agentCols+` FROM agents ORDER BY name, id`)
	if err != nil {
		return nil, wrap(err, "agents")
	}
	out := []desk.Agent{}
	idx := map[string]int{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			rows.Close()
			return nil, wrap(err, "agents")
		}
		a.TeamIDs = []string{}
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "agents")
	}
	// One query for every membership rather than one per agent.
	rows, err = r.q.QueryContext(ctx, `SELECT agent_id, team_id FROM agent_teams ORDER BY agent_id, team_id`)
	if err != nil {
		return nil, wrap(err, "agent teams")
	}
	defer rows.Close()
	for rows.Next() {
		var aid, tid string
		if err := rows.Scan(&aid, &tid); err != nil {
			return nil, wrap(err, "agent teams")
		}
		if i, ok := idx[aid]; ok {
			out[i].TeamIDs = append(out[i].TeamIDs, tid)
		}
	}
	return out, wrap(rows.Err(), "agent teams")
}

func (t *txn) InsertAgent(ctx context.Context, a desk.Agent) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO agents (`+agentCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, normEmail(a.Email), a.Name, string(a.Role), a.EmployeeNo, boolInt(a.Active), a.PasswordHash, ms(a.CreatedAt), joinTags(a.Permissions), a.TimeZone)
	if err != nil {
		return wrap(err, "insert agent %s", a.ID)
	}
	return t.setAgentTeams(ctx, a.ID, a.TeamIDs)
}

func (t *txn) UpdateAgent(ctx context.Context, a desk.Agent) error {
	res, err := t.q.ExecContext(ctx, `UPDATE agents SET name = $2, role = $3, active = $4, password_hash = $5, permissions = $6,
		time_zone = $7 WHERE id = $1`, a.ID, a.Name, string(a.Role), boolInt(a.Active), a.PasswordHash, joinTags(a.Permissions), a.TimeZone)
	if err := affected(res, err, "update agent %s", a.ID); err != nil {
		return err
	}
	return t.setAgentTeams(ctx, a.ID, a.TeamIDs)
}

func (t *txn) setAgentTeams(ctx context.Context, agentID string, teamIDs []string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM agent_teams WHERE agent_id = $1`, agentID); err != nil {
		return wrap(err, "teams of agent %s", agentID)
	}
	seen := map[string]bool{}
	for _, id := range teamIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := t.q.ExecContext(ctx, `INSERT INTO agent_teams (agent_id, team_id) VALUES ($1, $2)`,
			agentID, id); err != nil {
			return wrap(err, "add agent %s to team %s", agentID, id)
		}
	}
	return nil
}

func scanTeam(s scanner) (desk.Team, error) {
	var tm desk.Team
	var created int64
	err := s.Scan(&tm.ID, &tm.Name, &created)
	tm.CreatedAt = fromMs(created)
	return tm, err
}

func (r reader) Team(ctx context.Context, id string) (desk.Team, error) {
	tm, err := scanTeam(r.q.QueryRowContext(ctx, `SELECT id, name, created_at FROM teams WHERE id = $1`, id))
	return tm, wrap(err, "team %s", id)
}

func (r reader) TeamByName(ctx context.Context, name string) (desk.Team, error) {
	tm, err := scanTeam(r.q.QueryRowContext(ctx, `SELECT id, name, created_at FROM teams WHERE name = $1`, name))
	return tm, wrap(err, "team %q", name)
}

func (r reader) Teams(ctx context.Context) ([]desk.Team, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, name, created_at FROM teams ORDER BY name, id`)
	if err != nil {
		return nil, wrap(err, "teams")
	}
	defer rows.Close()
	out := []desk.Team{}
	for rows.Next() {
		tm, err := scanTeam(rows)
		if err != nil {
			return nil, wrap(err, "teams")
		}
		out = append(out, tm)
	}
	return out, wrap(rows.Err(), "teams")
}

func (t *txn) InsertTeam(ctx context.Context, tm desk.Team) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)`,
		tm.ID, tm.Name, ms(tm.CreatedAt))
	return wrap(err, "insert team %s", tm.ID)
}
