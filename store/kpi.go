package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

var _ desk.KPIStore = (*DB)(nil)
var _ desk.KPITx = (*txn)(nil)

// kpiUpsert adds a delta to one row of table keyed by keys: an insert, or
// increments of every column of the existing row, in one statement on
// both databases.
func kpiUpsert(table string, keys []string) string {
	cols := strings.Join(desk.KPIColumns, ", ")
	ph := make([]string, len(keys)+len(desk.KPIColumns))
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	sets := make([]string, len(desk.KPIColumns))
	for i, c := range desk.KPIColumns {
		sets[i] = c + " = " + table + "." + c + " + excluded." + c
	}
	k := strings.Join(keys, ", ")
	return `INSERT INTO ` + table + ` (` + k + `, ` + cols + `) VALUES (` + strings.Join(ph, ", ") + `)
		ON CONFLICT (` + k + `) DO UPDATE SET ` + strings.Join(sets, ", ")
}

var (
	kpiDailyUpsert = kpiUpsert("kpi_daily", []string{"day", "agent_id", "team_id", "channel", "category"})
	kpiTeamUpsert  = kpiUpsert("kpi_team_days", []string{"day", "team_id", "channel"})
)

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

// AddKPICounts adds d to the row of k in kpi_daily and to its day, team
// and channel in kpi_team_days.
func (t *txn) AddKPICounts(ctx context.Context, k desk.KPIKey, d *desk.Counts) error {
	args := make([]any, 0, 5+len(d))
	args = append(args, k.Day, k.AgentID, k.TeamID, k.Channel, k.Category)
	for _, v := range d {
		args = append(args, v)
	}
	if _, err := t.q.ExecContext(ctx, kpiDailyUpsert, args...); err != nil {
		return wrap(err, "add kpi counts of day %d", k.Day)
	}
	args = append(args[:3:3], args[5:]...)
	args[1], args[2] = k.TeamID, k.Channel
	_, err := t.q.ExecContext(ctx, kpiTeamUpsert, args...)
	return wrap(err, "add kpi team counts of day %d", k.Day)
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
	// Without an agent or category the few rows per day of kpi_team_days
	// hold the same sums.
	table := "kpi_daily"
	if f.AgentID == "" && f.Category == "" && group != "agent_id" && group != "category" {
		table = "kpi_team_days"
	}
	where, args := kpiWhere(f, []any{from, to})
	key := "''"
	tail := ""
	if group != "" {
		key = "CAST(" + group + " AS TEXT)"
		tail = " GROUP BY " + group + " ORDER BY " + group
	}
	rows, err := r.q.QueryContext(ctx, `SELECT `+key+`, `+kpiSums+` FROM `+table+`
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
