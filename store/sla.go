package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"huiliu/desk"
)

const slaCalendarCols = `id, name, timezone, hours, base, schedule, always_open, created_at, updated_at`

func scanSLACalendar(s scanner) (desk.SLACalendar, error) {
	var c desk.SLACalendar
	var hours string
	var open, created, updated int64
	if err := s.Scan(&c.ID, &c.Name, &c.Timezone, &hours, &c.Base, &c.Schedule, &open, &created, &updated); err != nil {
		return c, err
	}
	c.AlwaysOpen, c.CreatedAt, c.UpdatedAt = open != 0, fromMs(created), fromMs(updated)
	if err := json.Unmarshal([]byte(hours), &c.Hours); err != nil {
		return c, fmt.Errorf("hours of calendar %s: %w", c.ID, err)
	}
	return c, nil
}

func (r reader) SLACalendars(ctx context.Context) ([]desk.SLACalendar, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+slaCalendarCols+` FROM sla_calendars ORDER BY name`)
	if err != nil {
		return nil, wrap(err, "sla calendars")
	}
	defer rows.Close()
	out := []desk.SLACalendar{}
	for rows.Next() {
		c, err := scanSLACalendar(rows)
		if err != nil {
			return nil, wrap(err, "sla calendars")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "sla calendars")
}

func (r reader) SLACalendar(ctx context.Context, id string) (desk.SLACalendar, error) {
	c, err := scanSLACalendar(r.q.QueryRowContext(ctx, `SELECT `+slaCalendarCols+` FROM sla_calendars WHERE id = $1`, id))
	return c, wrap(err, "sla calendar %s", id)
}

func (r reader) SLACalendarByName(ctx context.Context, name string) (desk.SLACalendar, error) {
	c, err := scanSLACalendar(r.q.QueryRowContext(ctx, `SELECT `+slaCalendarCols+` FROM sla_calendars WHERE name = $1`, name))
	return c, wrap(err, "sla calendar %q", name)
}

func (t *txn) PutSLACalendar(ctx context.Context, c desk.SLACalendar) error {
	hours, err := json.Marshal(c.Hours)
	if err != nil {
		return fmt.Errorf("store: put sla calendar %s: %w", c.ID, err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO sla_calendars (`+slaCalendarCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone, hours = excluded.hours,
		base = excluded.base, schedule = excluded.schedule, always_open = excluded.always_open, updated_at = excluded.updated_at`,
		c.ID, c.Name, c.Timezone, string(hours), c.Base, c.Schedule, boolInt(c.AlwaysOpen), ms(c.CreatedAt), ms(c.UpdatedAt))
	return wrap(err, "put sla calendar %s", c.ID)
}

const slaPolicyCols = `id, name, position, team_id, priority, category, channel, calendar_id,
	first_response_ms, next_response_ms, resolution_ms, ladder, created_at, updated_at`

func scanSLAPolicy(s scanner) (desk.SLAPolicy, error) {
	var p desk.SLAPolicy
	var fr, nr, res, created, updated int64
	var ladder string
	if err := s.Scan(&p.ID, &p.Name, &p.Position, &p.TeamID, &p.Priority, &p.Category, &p.Channel, &p.CalendarID,
		&fr, &nr, &res, &ladder, &created, &updated); err != nil {
		return p, err
	}
	p.FirstResponse = desk.SLADuration(time.Duration(fr) * time.Millisecond)
	p.NextResponse = desk.SLADuration(time.Duration(nr) * time.Millisecond)
	p.Resolution = desk.SLADuration(time.Duration(res) * time.Millisecond)
	p.CreatedAt, p.UpdatedAt = fromMs(created), fromMs(updated)
	l, err := desk.DecodeLadder(ladder)
	if err != nil {
		return p, fmt.Errorf("ladder of policy %s: %w", p.ID, err)
	}
	p.Ladder = l
	return p, nil
}

func (r reader) SLAPolicies(ctx context.Context) ([]desk.SLAPolicy, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+slaPolicyCols+` FROM sla_policies ORDER BY position, name`)
	if err != nil {
		return nil, wrap(err, "sla policies")
	}
	defer rows.Close()
	out := []desk.SLAPolicy{}
	for rows.Next() {
		p, err := scanSLAPolicy(rows)
		if err != nil {
			return nil, wrap(err, "sla policies")
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "sla policies")
}

func (r reader) SLAPolicy(ctx context.Context, id string) (desk.SLAPolicy, error) {
	p, err := scanSLAPolicy(r.q.QueryRowContext(ctx, `SELECT `+slaPolicyCols+` FROM sla_policies WHERE id = $1`, id))
	return p, wrap(err, "sla policy %s", id)
}

func durMs(d desk.SLADuration) int64 { return time.Duration(d).Milliseconds() }

func (t *txn) PutSLAPolicy(ctx context.Context, p desk.SLAPolicy) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO sla_policies (`+slaPolicyCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position, team_id = excluded.team_id,
		priority = excluded.priority, category = excluded.category, channel = excluded.channel,
		calendar_id = excluded.calendar_id, first_response_ms = excluded.first_response_ms,
		next_response_ms = excluded.next_response_ms, resolution_ms = excluded.resolution_ms,
		ladder = excluded.ladder, updated_at = excluded.updated_at`,
		p.ID, p.Name, p.Position, p.TeamID, p.Priority, p.Category, p.Channel, p.CalendarID,
		durMs(p.FirstResponse), durMs(p.NextResponse), durMs(p.Resolution), desk.EncodeLadder(p.Ladder),
		ms(p.CreatedAt), ms(p.UpdatedAt))
	return wrap(err, "put sla policy %s", p.ID)
}

func (t *txn) DeleteSLAPolicy(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM sla_policies WHERE id = $1`, id)
	if err != nil {
		return wrap(err, "delete sla policy %s", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: sla policy %s: %w", id, desk.ErrNotFound)
	}
	return nil
}

func (r reader) TicketSLA(ctx context.Context, ticketID string) (desk.TicketSLA, error) {
	var ts desk.TicketSLA
	var clocks string
	var next, tu, computed int64
	err := r.q.QueryRowContext(ctx, `SELECT ticket_id, policy_id, calendar_id, clocks, next_at, ticket_updated_at, computed_at
		FROM ticket_sla WHERE ticket_id = $1`, ticketID).Scan(&ts.TicketID, &ts.PolicyID, &ts.CalendarID, &clocks, &next, &tu, &computed)
	if err != nil {
		return ts, wrap(err, "sla of ticket %s", ticketID)
	}
	ts.NextAt, ts.ComputedAt = fromMs(next), fromMs(computed)
	if tu > 0 {
		ts.TicketUpdatedAt = fromMs(tu)
	}
	if err := json.Unmarshal([]byte(clocks), &ts.Clocks); err != nil {
		return ts, fmt.Errorf("store: sla of ticket %s: clocks: %w", ticketID, err)
	}
	return ts, nil
}

func (t *txn) PutTicketSLA(ctx context.Context, ts desk.TicketSLA) error {
	if ts.Clocks == nil {
		ts.Clocks = []desk.SLAClock{}
	}
	clocks, err := json.Marshal(ts.Clocks)
	if err != nil {
		return fmt.Errorf("store: put sla of ticket %s: %w", ts.TicketID, err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO ticket_sla (ticket_id, policy_id, calendar_id, clocks, next_at, ticket_updated_at, computed_at, due_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (ticket_id) DO UPDATE SET policy_id = excluded.policy_id, calendar_id = excluded.calendar_id,
		clocks = excluded.clocks, next_at = excluded.next_at, ticket_updated_at = excluded.ticket_updated_at,
		computed_at = excluded.computed_at, due_at = excluded.due_at`,
		ts.TicketID, ts.PolicyID, ts.CalendarID, string(clocks), ms(ts.NextAt), ms(ts.TicketUpdatedAt), ms(ts.ComputedAt),
		ms(ts.NextDue()))
	return wrap(err, "put sla of ticket %s", ts.TicketID)
}

func (t *txn) InvalidateTicketSLA(ctx context.Context) error {
	_, err := t.q.ExecContext(ctx, `UPDATE ticket_sla SET ticket_updated_at = -1`)
	return wrap(err, "invalidate ticket sla")
}

func (r reader) StaleSLATickets(ctx context.Context, limit int) ([]string, error) {
	return r.ids(ctx, "stale sla tickets", `SELECT t.id FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id
		WHERE t.status <> 'closed' AND (s.ticket_id IS NULL OR s.ticket_updated_at < t.updated_at)
		ORDER BY t.id LIMIT $1`, limit)
}

func (r reader) DueSLATickets(ctx context.Context, at time.Time, limit int) ([]string, error) {
	return r.ids(ctx, "due sla tickets", `SELECT ticket_id FROM ticket_sla WHERE next_at > 0 AND next_at <= $1
		ORDER BY next_at LIMIT $2`, ms(at), limit)
}

func (r reader) ids(ctx context.Context, what, query string, args ...any) ([]string, error) {
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(err, "%s", what)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "%s", what)
		}
		out = append(out, id)
	}
	return out, wrap(rows.Err(), "%s", what)
}

func (r reader) SLATimers(ctx context.Context, after string, limit int) ([]desk.SLATimer, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT ticket_id, next_at FROM ticket_sla WHERE next_at > 0 AND ticket_id > $1
		ORDER BY ticket_id LIMIT $2`, after, limit)
	if err != nil {
		return nil, wrap(err, "sla timers")
	}
	defer rows.Close()
	var out []desk.SLATimer
	for rows.Next() {
		var st desk.SLATimer
		var at int64
		if err := rows.Scan(&st.TicketID, &at); err != nil {
			return nil, wrap(err, "sla timers")
		}
		st.At = fromMs(at)
		out = append(out, st)
	}
	return out, wrap(rows.Err(), "sla timers")
}

func (r reader) CountSLATimers(ctx context.Context) (int64, error) {
	var n int64
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM ticket_sla WHERE next_at > 0`).Scan(&n)
	return n, wrap(err, "count sla timers")
}

const followupCols = `id, ticket_id, due_at, note, created_by, created_at, done_at, done_by, kind`

func (r reader) Followups(ctx context.Context, ticketID string) ([]desk.Followup, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+followupCols+` FROM ticket_followups WHERE ticket_id = $1
		ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, wrap(err, "follow-ups of ticket %s", ticketID)
	}
	defer rows.Close()
	out := []desk.Followup{}
	for rows.Next() {
		var f desk.Followup
		var due, created, done int64
		if err := rows.Scan(&f.ID, &f.TicketID, &due, &f.Note, &f.CreatedBy, &created, &done, &f.DoneBy, &f.Kind); err != nil {
			return nil, wrap(err, "follow-ups of ticket %s", ticketID)
		}
		f.DueAt, f.CreatedAt, f.DoneAt = fromMs(due), fromMs(created), fromMs(done)
		out = append(out, f)
	}
	return out, wrap(rows.Err(), "follow-ups of ticket %s", ticketID)
}

func (t *txn) InsertFollowup(ctx context.Context, f desk.Followup) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO ticket_followups (`+followupCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		f.ID, f.TicketID, ms(f.DueAt), f.Note, f.CreatedBy, ms(f.CreatedAt), ms(f.DoneAt), f.DoneBy, f.Kind)
	return wrap(err, "insert follow-up %s", f.ID)
}

func (t *txn) FinishFollowup(ctx context.Context, id string, at time.Time, by string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE ticket_followups SET done_at = $1, done_by = $2 WHERE id = $3 AND done_at = 0`,
		ms(at), by, id)
	if err != nil {
		return wrap(err, "finish follow-up %s", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: open follow-up %s: %w", id, desk.ErrNotFound)
	}
	return nil
}

func (r reader) Escalations(ctx context.Context, ticketID string) ([]desk.EscalationKey, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT target, step, cycle FROM sla_escalations WHERE ticket_id = $1`, ticketID)
	if err != nil {
		return nil, wrap(err, "escalations of ticket %s", ticketID)
	}
	defer rows.Close()
	var out []desk.EscalationKey
	for rows.Next() {
		k := desk.EscalationKey{TicketID: ticketID}
		if err := rows.Scan(&k.Target, &k.Step, &k.Cycle); err != nil {
			return nil, wrap(err, "escalations of ticket %s", ticketID)
		}
		out = append(out, k)
	}
	return out, wrap(rows.Err(), "escalations of ticket %s", ticketID)
}

// ClaimEscalation inserts without failing on a twin so a PostgreSQL
// transaction is not aborted: a second node's insert waits for the first's
// commit and then affects no row.
func (t *txn) ClaimEscalation(ctx context.Context, k desk.EscalationKey, at time.Time) (bool, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO sla_escalations (ticket_id, target, step, cycle, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (ticket_id, target, step, cycle) DO NOTHING`, k.TicketID, k.Target, k.Step, k.Cycle, ms(at))
	if err != nil {
		return false, wrap(err, "claim escalation %v", k)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim escalation %v", k)
}
