package store

import (
	"context"
	"encoding/hex"
	"time"
)

// ServerKey returns the secret stored under name, storing fresh (hex-encoded)
// first when there is none. Concurrent first calls on several nodes agree:
// the first insert wins and everyone reads it back.
func (db *DB) ServerKey(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	_, err := db.w.ExecContext(ctx, `INSERT INTO server_keys (name, value, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO NOTHING`, name, hex.EncodeToString(fresh), ms(time.Now()))
	if err != nil {
		return nil, wrap(err, "store server key %s", name)
	}
	var v string
	if err := db.w.QueryRowContext(ctx, `SELECT value FROM server_keys WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, wrap(err, "read server key %s", name)
	}
	b, err := hex.DecodeString(v)
	if err != nil {
		return nil, wrap(err, "decode server key %s", name)
	}
	return b, nil
}
