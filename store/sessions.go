package store

import (
	"context"
	"encoding/hex"
	"time"

	"huiliu/desk"
)

// Token and session hashes are stored as hex TEXT: one column type that
// both dialects index and compare the same way.

func (r reader) TokenByHash(ctx context.Context, hash []byte) (desk.Token, error) {
	var tk desk.Token
	var h string
	var created, used, revoked int64
	err := r.q.QueryRowContext(ctx, `SELECT id, agent_id, name, hash, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE hash = $1`, hex.EncodeToString(hash)).
		Scan(&tk.ID, &tk.AgentID, &tk.Name, &h, &created, &used, &revoked)
	if err != nil {
		return desk.Token{}, wrap(err, "token by hash")
	}
	tk.Hash, _ = hex.DecodeString(h)
	tk.CreatedAt, tk.LastUsedAt, tk.RevokedAt = fromMs(created), fromMsPtr(used), fromMsPtr(revoked)
	return tk, nil
}

func (r reader) SessionByHash(ctx context.Context, hash []byte) (desk.Session, error) {
	var s desk.Session
	var h string
	var created, expires int64
	err := r.q.QueryRowContext(ctx, `SELECT id, hash, agent_id, csrf, created_at, expires_at
		FROM sessions WHERE hash = $1`, hex.EncodeToString(hash)).
		Scan(&s.ID, &h, &s.AgentID, &s.CSRF, &created, &expires)
	if err != nil {
		return desk.Session{}, wrap(err, "session by hash")
	}
	s.Hash, _ = hex.DecodeString(h)
	s.CreatedAt, s.ExpiresAt = fromMs(created), fromMs(expires)
	return s, nil
}

func (t *txn) InsertToken(ctx context.Context, tk desk.Token) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO api_tokens (id, agent_id, name, hash, created_at, last_used_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		tk.ID, tk.AgentID, tk.Name, hex.EncodeToString(tk.Hash), ms(tk.CreatedAt), msPtr(tk.LastUsedAt), msPtr(tk.RevokedAt))
	return wrap(err, "insert token %s", tk.ID)
}

// Tokens lists every API token, newest first.
func (r reader) Tokens(ctx context.Context) ([]desk.Token, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, agent_id, name, hash, created_at, last_used_at, revoked_at
		FROM api_tokens ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, wrap(err, "tokens")
	}
	defer rows.Close()
	out := []desk.Token{}
	for rows.Next() {
		var tk desk.Token
		var h string
		var created, used, revoked int64
		if err := rows.Scan(&tk.ID, &tk.AgentID, &tk.Name, &h, &created, &used, &revoked); err != nil {
			return nil, wrap(err, "tokens")
		}
		tk.Hash, _ = hex.DecodeString(h)
		tk.CreatedAt, tk.LastUsedAt, tk.RevokedAt = fromMs(created), fromMsPtr(used), fromMsPtr(revoked)
		out = append(out, tk)
	}
	return out, wrap(rows.Err(), "tokens")
}

func (t *txn) RevokeToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at = 0`, id, ms(at))
	return affected(res, err, "revoke token %s", id)
}

func (t *txn) TouchToken(ctx context.Context, id string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, ms(at))
	return affected(res, err, "touch token %s", id)
}

func (t *txn) InsertSession(ctx context.Context, s desk.Session) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO sessions (id, hash, agent_id, csrf, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		s.ID, hex.EncodeToString(s.Hash), s.AgentID, s.CSRF, ms(s.CreatedAt), ms(s.ExpiresAt))
	return wrap(err, "insert session %s", s.ID)
}

func (t *txn) DeleteSession(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return affected(res, err, "delete session %s", id)
}
