package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

var _ desk.KPIStore = (*DB)(nil)
var _ desk.KPITx = (*txn)(nil)

// kpiUpsert adds a delta to one kpi_daily row: an insert, or increments of
// every column of the existing row, in one statement on both databases.
var kpiUpsert = func() string {
	cols := strings.Join(desk.KPIColumns, ", ")
	ph := make([]string, len(desk.KPIColumns))
	sets := make([]string, len(desk.KPIColumns))
	for i, c := range desk.KPIColumns {
		ph[i] = "$" + strconv.Itoa(i+6)
		sets[i] = c + " = kpi_daily." + c + " + excluded." + c
	}
	return `INSERT INTO kpi_daily (day, agent_id, team_id, channel, category, ` + cols + `)
		VALUES ($1, $2, $3, $4, $5, ` + strings.Join(ph, ", ") + `)
		ON CONFLICT (day, agent_id, team_id, channel, category) DO UPDATE SET ` + strings.Join(sets, ", ")
}()

// kpiSums is the SUM of every column, in Counts order.
var kpiSums = func() string {
	s := make([]string, len(desk.KPIColumns))
	for i, c := range desk.KPIColumns {
		s[i] = "COALESCE(SUM(" + c + "), 0)"
	}
	return strings.Join(s, ", ")
}()

// KPITx runs fn in one transaction.
func (db *DB) KPITx(ctx context.Context, fn func(tx desk.KPITx) error) error {
	return db.Tx(ctx, func(tx desk.Tx) error { return fn(tx.(*txn)) })
}

// LockKPITicket makes sure the ticket's row exists and then writes it
// unchanged: on PostgreSQL that takes the row lock, so a concurrent sync
// waits and then reads what this one stored (read committed takes a fresh
// snapshot per statement); SQLite runs one writer at a time anyway.
func (t *txn) LockKPITicket(ctx context.Context, id string) (string, error) {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO kpi_tickets (ticket_id) VALUES ($1)
		ON CONFLICT (ticket_id) DO NOTHING`, id); err != nil {
		return "", wrap(err, "kpi of ticket %s", id)
	}
	if _, err := t.q.ExecContext(ctx, `UPDATE kpi_tickets SET synced_at = synced_at WHERE ticket_id = $1`, id); err != nil {
		return "", wrap(err, "lock kpi of ticket %s", id)
	}
	var contrib string
	err := t.q.QueryRowContext(ctx, `SELECT contrib FROM kpi_tickets WHERE ticket_id = $1`, id).Scan(&contrib)
	return contrib, wrap(err, "kpi of ticket %s", id)
}

func (t *txn) PutKPITicket(ctx context.Context, id, contrib string, ticketUpdatedAt, at time.Time) error {
	_, err := t.q.ExecContext(ctx, `UPDATE kpi_tickets SET contrib = $2, ticket_updated_at = $3, synced_at = $4
		WHERE ticket_id = $1`, id, contrib, ms(ticketUpdatedAt), ms(at))
	return wrap(err, "put kpi of ticket %s", id)
}

func (t *txn) AddKPICounts(ctx context.Context, k desk.KPIKey, d *desk.Counts) error {
	args := make([]any, 0, 5+len(d))
	args = append(args, k.Day, k.AgentID, k.TeamID, k.Channel, k.Category)
	for _, v := range d {
		args = append(args, v)
	}
	_, err := t.q.ExecContext(ctx, kpiUpsert, args...)
	return wrap(err, "add kpi counts of day %d", k.Day)
}

// kpiGroups are the columns KPISums may group by.
var kpiGroups = map[string]bool{"": true, "day": true, "agent_id": true, "team_id": true, "channel": true, "category": true}

func kpiWhere(f desk.KPIFilter, args []any) (string, []any) {
	var where []string
	for _, c := range []struct{ col, v string }{
		{"agent_id", f.AgentID}, {"team_id", f.TeamID}, {"channel", f.Channel}, {"category", f.Category},
	} {
		if c.v != "" {
			args = append(args, c.v)
			where = append(where, c.col+" = $"+strconv.Itoa(len(args)))
		}
	}
	if len(where) == 0 {
		return "", args
	}
	return " AND " + strings.Join(where, " AND "), args
}

func (r reader) KPISums(ctx context.Context, f desk.KPIFilter, from, to int, group string) ([]desk.KPIGroup, error) {
	if !kpiGroups[group] {
		return nil, fmt.Errorf("store: kpi sums: unknown group %q", group)
	}
	where, args := kpiWhere(f, []any{from, to})
	key := "''"
	tail := ""
	if group != "" {
		key = "CAST(" + group + " AS TEXT)"
		tail = " GROUP BY " + group + " ORDER BY " + group
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+key+`, `+kpiSums+` FROM kpi_daily
		WHERE day >= $1 AND day < $2`+where+tail, args...)
	if err != nil {
		return nil, wrap(err, "kpi sums")
	}
	defer rows.Close()
	out := []desk.KPIGroup{}
	for rows.Next() {
		var g desk.KPIGroup
		dest := make([]any, 0, 1+len(g.Counts))
		dest = append(dest, &g.Key)
		for i := range g.Counts {
			dest = append(dest, &g.Counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, wrap(err, "kpi sums")
		}
		out = append(out, g)
	}
	return out, wrap(rows.Err(), "kpi sums")
}

func (r reader) KPIBacklog(ctx context.Context, f desk.KPIFilter) (open, pending int, err error) {
	args := []any{}
	var where []string
	for _, c := range []struct{ col, v string }{
		{"assignee_id", f.AgentID}, {"team_id", f.TeamID}, {"channel", f.Channel}, {"category", f.Category},
	} {
		if c.v != "" {
			args = append(args, c.v)
			where = append(where, c.col+" = $"+strconv.Itoa(len(args)))
		}
	}
	q := `SELECT COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0)
		FROM tickets WHERE status IN ('open', 'pending')`
	if len(where) > 0 {
		q += " AND " + strings.Join(where, " AND ")
	}
	err = r.q.QueryRowContext(ctx, q, args...).Scan(&open, &pending)
	return open, pending, wrap(err, "kpi backlog")
}

func (r reader) TicketsUpdatedSince(ctx context.Context, since time.Time, limit int) ([]string, time.Time, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, updated_at FROM tickets WHERE updated_at >= $1
		ORDER BY updated_at, id LIMIT $2`, ms(since), limit)
	if err != nil {
		return nil, time.Time{}, wrap(err, "tickets updated since")
	}
	defer rows.Close()
	var ids []string
	var last int64
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &last); err != nil {
			return nil, time.Time{}, wrap(err, "tickets updated since")
		}
		ids = append(ids, id)
	}
	return ids, fromMs(last), wrap(rows.Err(), "tickets updated since")
}

func (r reader) CountContacts(ctx context.Context) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM contacts WHERE merged_into = ''`).Scan(&n)
	return n, wrap(err, "count contacts")
}

func (db *DB) ClaimWeeklySummary(ctx context.Context, week string, at, stale time.Time) (bool, error) {
	var claimed bool
	err := db.Tx(ctx, func(tx desk.Tx) error {
		res, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kpi_weekly_mail (week, claimed_at) VALUES ($1, $2)
			ON CONFLICT (week) DO UPDATE SET claimed_at = excluded.claimed_at
			WHERE kpi_weekly_mail.sent_at = 0 AND kpi_weekly_mail.claimed_at < $3`, week, ms(at), ms(stale))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, wrap(err, "claim weekly summary %s", week)
}

func (db *DB) FinishWeeklySummary(ctx context.Context, week string, at time.Time) error {
	err := db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `UPDATE kpi_weekly_mail SET sent_at = $2 WHERE week = $1`, week, ms(at))
		return err
	})
	return wrap(err, "finish weekly summary %s", week)
}

// tableExists reports whether the named table exists, so the reports can
// count the satisfaction, complaint and quality tables where their
// features are installed.
func (r reader) tableExists(ctx context.Context, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1`
	if r.d.dialect == DialectPostgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1`
	}
	var n int
	if err := r.q.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, wrap(err, "table %s", name)
	}
	return n > 0, nil
}

// scanOptional scans one row of an aggregate, treating no rows as zeros.
func scanOptional(row *sql.Row, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}
