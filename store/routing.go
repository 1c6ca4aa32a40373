package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

const ruleCols = `id, position, name, enabled, conditions, team_id, set_category, set_priority, created_at, updated_at`

func scanRule(s scanner) (desk.RoutingRule, error) {
	var r desk.RoutingRule
	var enabled, created, updated int64
	var cond, prio string
	err := s.Scan(&r.ID, &r.Position, &r.Name, &enabled, &cond, &r.TeamID, &r.SetCategory, &prio, &created, &updated)
	if err != nil {
		return r, err
	}
	r.Enabled, r.SetPriority, r.CreatedAt, r.UpdatedAt = enabled != 0, desk.Priority(prio), fromMs(created), fromMs(updated)
	if jerr := json.Unmarshal([]byte(cond), &r.Conditions); jerr != nil {
		// A rule whose conditions cannot be read must not match everything.
		r.Enabled = false
	}
	return r, nil
}

func (r reader) RoutingRules(ctx context.Context) ([]desk.RoutingRule, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+ruleCols+` FROM routing_rules ORDER BY position, id`)
	if err != nil {
		return nil, wrap(err, "routing rules")
	}
	defer rows.Close()
	out := []desk.RoutingRule{}
	for rows.Next() {
		rule, err := scanRule(rows)
		if err != nil {
			return nil, wrap(err, "routing rules")
		}
		out = append(out, rule)
	}
	return out, wrap(rows.Err(), "routing rules")
}

func (r reader) RoutingRule(ctx context.Context, id string) (desk.RoutingRule, error) {
	rule, err := scanRule(r.q.QueryRowContext(ctx, `SELECT `+ruleCols+` FROM routing_rules WHERE id = $1`, id))
	return rule, wrap(err, "routing rule %s", id)
}

func (t *txn) InsertRoutingRule(ctx context.Context, r desk.RoutingRule) error {
	cond, _ := json.Marshal(r.Conditions)
	_, err := t.q.ExecContext(ctx, `INSERT INTO routing_rules (`+ruleCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.ID, r.Position, r.Name, boolInt(r.Enabled), string(cond), r.TeamID, r.SetCategory, string(r.SetPriority), ms(r.CreatedAt), ms(r.UpdatedAt))
	return wrap(err, "insert routing rule %s", r.ID)
}

func (t *txn) UpdateRoutingRule(ctx context.Context, r desk.RoutingRule) error {
	cond, _ := json.Marshal(r.Conditions)
	res, err := t.q.ExecContext(ctx, `UPDATE routing_rules SET position = $2, name = $3, enabled = $4, conditions = $5,
		team_id = $6, set_category = $7, set_priority = $8, updated_at = $9 WHERE id = $1`,
		r.ID, r.Position, r.Name, boolInt(r.Enabled), string(cond), r.TeamID, r.SetCategory, string(r.SetPriority), ms(r.UpdatedAt))
	return affected(res, err, "update routing rule %s", r.ID)
}

func (t *txn) DeleteRoutingRule(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM routing_rules WHERE id = $1`, id)
	return affected(res, err, "delete routing rule %s", id)
}

func (t *txn) SetRulePosition(ctx context.Context, id string, position int) error {
	res, err := t.q.ExecContext(ctx, `UPDATE routing_rules SET position = $2 WHERE id = $1`, id, position)
	return affected(res, err, "move routing rule %s", id)
}

func (r reader) TeamRoutings(ctx context.Context) ([]desk.TeamRouting, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT team_id, mode, reassign_after_ms, is_default FROM team_routing ORDER BY team_id`)
	if err != nil {
		return nil, wrap(err, "team routing")
	}
	defer rows.Close()
	out := []desk.TeamRouting{}
	for rows.Next() {
		var tr desk.TeamRouting
		var after, def int64
		if err := rows.Scan(&tr.TeamID, &tr.Mode, &after, &def); err != nil {
			return nil, wrap(err, "team routing")
		}
		tr.ReassignAfter, tr.Default = time.Duration(after)*time.Millisecond, def != 0
		out = append(out, tr)
	}
	return out, wrap(rows.Err(), "team routing")
}

func (t *txn) PutTeamRouting(ctx context.Context, tr desk.TeamRouting) error {
	if tr.Default {
		if _, err := t.q.ExecContext(ctx, `UPDATE team_routing SET is_default = 0 WHERE team_id <> $1`, tr.TeamID); err != nil {
			return wrap(err, "clear default team")
		}
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO team_routing (team_id, mode, reassign_after_ms, is_default) VALUES ($1, $2, $3, $4)
		ON CONFLICT (team_id) DO UPDATE SET mode = $2, reassign_after_ms = $3, is_default = $4`,
		tr.TeamID, tr.Mode, tr.ReassignAfter.Milliseconds(), boolInt(tr.Default))
	return wrap(err, "team routing of %s", tr.TeamID)
}

func (r reader) AgentRoutings(ctx context.Context) ([]desk.AgentRouting, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT agent_id, capacity, languages, channels, categories, last_assigned_at, auto_assign
		FROM agent_routing ORDER BY agent_id`)
	if err != nil {
		return nil, wrap(err, "agent routing")
	}
	defer rows.Close()
	out := []desk.AgentRouting{}
	for rows.Next() {
		var a desk.AgentRouting
		var langs, chans, cats string
		var last int64
		var auto int
		if err := rows.Scan(&a.AgentID, &a.Capacity, &langs, &chans, &cats, &last, &auto); err != nil {
			return nil, wrap(err, "agent routing")
		}
		a.AutoAssign = auto != 0
		a.Languages, a.Channels, a.Categories, a.LastAssignedAt = splitTags(langs), splitTags(chans), splitTags(cats), fromMs(last)
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "agent routing")
}

// PutAgentRouting keeps last_assigned_at: only assignments move it.
func (t *txn) PutAgentRouting(ctx context.Context, a desk.AgentRouting) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO agent_routing (agent_id, capacity, languages, channels, categories, auto_assign)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (agent_id) DO UPDATE SET capacity = $2, languages = $3, channels = $4, categories = $5, auto_assign = $6`,
		a.AgentID, a.Capacity, joinTags(a.Languages), joinTags(a.Channels), joinTags(a.Categories), boolInt(a.AutoAssign))
	return wrap(err, "agent routing of %s", a.AgentID)
}

func (r reader) SegmentsOf(ctx context.Context, ids []desk.Identity) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var or []string
	args := make([]any, 0, 2*len(ids))
	for _, id := range ids {
		args = append(args, id.Kind, id.Value)
		or = append(or, "(kind = $"+strconv.Itoa(len(args)-1)+" AND value = $"+strconv.Itoa(len(args))+")")
	}
	rows, err := r.q.QueryContext(ctx, `SELECT DISTINCT segment FROM customer_segments WHERE `+strings.Join(or, " OR ")+` ORDER BY segment`, args...)
	if err != nil {
		return nil, wrap(err, "segments")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, wrap(err, "segments")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "segments")
}

func (t *txn) PutSegments(ctx context.Context, segs []desk.Segment, at time.Time) (int, error) {
	n := 0
	for _, s := range segs {
		res, err := t.q.ExecContext(ctx, `INSERT INTO customer_segments (kind, value, segment, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind, value, segment) DO NOTHING`, s.Kind, s.Value, s.Segment, ms(at))
		if err != nil {
			return n, wrap(err, "segment %s %s", s.Kind, s.Value)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}

func (r reader) AgentLoads(ctx context.Context) (map[string]int, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT assignee_id, COUNT(*) FROM tickets
		WHERE assignee_id <> '' AND status IN ('open', 'pending') GROUP BY assignee_id`)
	if err != nil {
		return nil, wrap(err, "agent loads")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap(err, "agent loads")
		}
		out[id] = n
	}
	return out, wrap(rows.Err(), "agent loads")
}

// urgency orders a queue: most urgent first.
const urgency = `CASE t.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END`

func (r reader) QueuedTickets(ctx context.Context, teamIDs []string, limit int) ([]desk.Ticket, error) {
	if len(teamIDs) == 0 {
		return nil, nil
	}
	args := []any{}
	ps := make([]string, len(teamIDs))
	for i, id := range teamIDs {
		args = append(args, id)
		ps[i] = "$" + strconv.Itoa(len(args))
	}
	args = append(args, limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+ticketCols+` FROM tickets t
		WHERE t.team_id IN (`+strings.Join(ps, ", ")+`) AND t.status = 'open' AND t.assignee_id = ''
		ORDER BY `+urgency+` DESC, t.created_at, t.id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, wrap(err, "queued tickets")
	}
	defer rows.Close()
	var out []desk.Ticket
	for rows.Next() {
		tk, err := scanTicket(rows)
		if err != nil {
			return nil, wrap(err, "queued tickets")
		}
		out = append(out, tk)
	}
	return out, wrap(rows.Err(), "queued tickets")
}

func (r reader) AssignedTickets(ctx context.Context, teamID string, limit int) ([]desk.AssignedTicket, error) {
	// The newest public message says who waits: the customer's means the
	// desk owes an answer since then.
	rows, err := r.q.QueryContext(ctx, `SELECT `+ticketCols+`, t.assigned_at,
		COALESCE((SELECT CASE WHEN m.direction = 'in' THEN m.created_at ELSE 0 END FROM messages m
			WHERE m.ticket_id = t.id AND m.direction IN ('in', 'out') ORDER BY m.seq DESC LIMIT 1), 0)
		FROM tickets t WHERE t.team_id = $1 AND t.assignee_id <> '' AND t.status IN ('open', 'pending')
		ORDER BY t.created_at, t.id LIMIT $2`, teamID, limit)
	if err != nil {
		return nil, wrap(err, "assigned tickets of team %s", teamID)
	}
	defer rows.Close()
	var out []desk.AssignedTicket
	for rows.Next() {
		var at desk.AssignedTicket
		var assigned, waiting int64
		tk, err := scanTicket(rowWith{rows, []any{&assigned, &waiting}})
		if err != nil {
			return nil, wrap(err, "assigned tickets of team %s", teamID)
		}
		at.Ticket, at.AssignedAt = tk, fromMs(assigned)
		if waiting > 0 {
			at.WaitingSince = fromMs(waiting)
		}
		out = append(out, at)
	}
	return out, wrap(rows.Err(), "assigned tickets of team %s", teamID)
}

// rowWith scans the ticket columns followed by extra ones.
type rowWith struct {
	s     scanner
	extra []any
}

func (r rowWith) Scan(dest ...any) error { return r.s.Scan(append(dest, r.extra...)...) }

// ClaimTicket first locks the agent's agent_routing row (creating it with
// the default capacity), so concurrent claims for one agent run one after
// the other on PostgreSQL too; the conditional UPDATE then counts the
// agent's load under that lock, in a statement that starts after the
// previous claimer committed. On SQLite the single writer serialises them.
func (t *txn) ClaimTicket(ctx context.Context, ticketID, agentID string, at time.Time) (desk.Ticket, error) {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO agent_routing (agent_id) VALUES ($1)
		ON CONFLICT (agent_id) DO UPDATE SET agent_id = excluded.agent_id`, agentID); err != nil {
		return desk.Ticket{}, wrap(err, "lock routing of %s", agentID)
	}
	tk, err := scanTicket(t.q.QueryRowContext(ctx, `UPDATE tickets SET assignee_id = $2, assigned_at = $3, updated_at = $3
		WHERE id = $1 AND assignee_id = '' AND status = 'open'
		AND (SELECT COUNT(*) FROM tickets w WHERE w.assignee_id = $2 AND w.status IN ('open', 'pending'))
			< (SELECT r.capacity FROM agent_routing r WHERE r.agent_id = $2)
		RETURNING `+ticketColsBare, ticketID, agentID, ms(at)))
	if isNoRows(err) {
		return desk.Ticket{}, t.whyNotClaimed(ctx, ticketID, agentID)
	}
	if err != nil {
		return desk.Ticket{}, wrap(err, "claim ticket %s", ticketID)
	}
	_, err = t.q.ExecContext(ctx, `UPDATE agent_routing SET last_assigned_at = $2 WHERE agent_id = $1`, agentID, ms(at))
	return tk, wrap(err, "last assignment of %s", agentID)
}

// whyNotClaimed tells a full agent (ErrAtCapacity: trying other tickets is
// pointless) from a ticket that was no longer free (ErrConflict).
func (t *txn) whyNotClaimed(ctx context.Context, ticketID, agentID string) error {
	var full bool
	err := t.q.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM tickets w WHERE w.assignee_id = $1 AND w.status IN ('open', 'pending'))
		>= (SELECT r.capacity FROM agent_routing r WHERE r.agent_id = $1)`, agentID).Scan(&full)
	switch {
	case err != nil:
		return wrap(err, "load of %s", agentID)
	case full:
		return fmt.Errorf("store: agent %s: %w", agentID, desk.ErrAtCapacity)
	default:
		return conflictf("ticket %s is no longer free", ticketID)
	}
}

func (t *txn) ReleaseTicket(ctx context.Context, ticketID, agentID string, at time.Time) (desk.Ticket, error) {
	tk, err := scanTicket(t.q.QueryRowContext(ctx, `UPDATE tickets SET assignee_id = '', assigned_at = 0, updated_at = $3
		WHERE id = $1 AND assignee_id = $2 AND status <> 'closed' RETURNING `+ticketColsBare, ticketID, agentID, ms(at)))
	if isNoRows(err) {
		return desk.Ticket{}, conflictf("ticket %s is no longer assigned to %s", ticketID, agentID)
	}
	return tk, wrap(err, "release ticket %s", ticketID)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func conflictf(format string, args ...any) error {
	return fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), desk.ErrConflict)
}
