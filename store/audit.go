package store

import (
	"context"
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
	if limit <= 0 {
		limit = desk.DefaultPageSize
	}
	limit = min(limit, desk.MaxPageSize)
	const cols = `SELECT id, at, actor_kind, actor_id, action, target, detail, ip FROM audit`
	query, args := cols+` ORDER BY id DESC LIMIT $1`, []any{limit}
	if before != "" {
		query, args = cols+` WHERE id < $1 ORDER BY id DESC LIMIT $2`, []any{before, limit}
	}
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
