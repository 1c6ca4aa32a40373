package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

func (r reader) Idempotency(ctx context.Context, scope, key string) (string, error) {
	var ref string
	err := r.q.QueryRowContext(ctx, `SELECT ref FROM idempotency WHERE scope = $1 AND idem_key = $2`, scope, key).Scan(&ref)
	return ref, wrap(err, "idempotency %s/%s", scope, key)
}

func (t *txn) PutIdempotency(ctx context.Context, scope, key, ref string, at time.Time) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO idempotency (scope, idem_key, ref, created_at) VALUES ($1, $2, $3, $4)`,
		scope, key, ref, ms(at))
	return wrap(err, "put idempotency %s/%s", scope, key)
}

// AuditLog pages by id, which orders entries by creation.
func (r reader) AuditLog(ctx context.Context, before string, limit int) ([]desk.AuditEntry, error) {
	return r.AuditSearch(ctx, desk.AuditQuery{Before: before, Limit: limit})
}

// AuditSearch pages by id, newest first, with the query's filters.
func (r reader) AuditSearch(ctx context.Context, q desk.AuditQuery) ([]desk.AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = desk.DefaultPageSize
	}
	limit = min(limit, desk.MaxAuditPage)
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.Before != "" {
		add("id < ?", q.Before)
	}
	if q.ActorID != "" {
		add("actor_id = ?", q.ActorID)
	}
	if q.Action != "" {
		// A prefix: "ticket." finds every ticket action.
		add(`action LIKE ? ESCAPE '\'`, escapeLike(q.Action)+"%")
	}
	if q.Target != "" {
		add("target = ?", q.Target)
	}
	if !q.From.IsZero() {
		add("at >= ?", ms(q.From))
	}
	if !q.To.IsZero() {
		add("at < ?", ms(q.To))
	}
	query := `SELECT id, at, actor_kind, actor_id, action, target, detail, ip FROM audit`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	query += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(err, "audit log")
	}
	defer rows.Close()
	out := []desk.AuditEntry{}
	for rows.Next() {
		var e desk.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ActorKind, &e.ActorID, &e.Action, &e.Target, &e.Detail, &e.IP); err != nil {
			return nil, wrap(err, "audit log")
		}
		e.At = fromMs(at)
		out = append(out, e)
	}
	return out, wrap(rows.Err(), "audit log")
}

func (t *txn) InsertAudit(ctx context.Context, e desk.AuditEntry) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO audit (id, at, actor_kind, actor_id, action, target, detail, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, ms(e.At), e.ActorKind, e.ActorID, e.Action, e.Target, e.Detail, e.IP)
	return wrap(err, "insert audit %s", e.ID)
}
