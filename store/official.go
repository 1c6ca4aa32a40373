package store

import (
	"context"

	"huiliu/desk"
)

func (r reader) OfficialChannels(ctx context.Context) ([]desk.OfficialChannel, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, kind, value, label, position, created_at FROM official_channels ORDER BY position, id`)
	if err != nil {
		return nil, wrap(err, "official channels")
	}
	defer rows.Close()
	out := []desk.OfficialChannel{}
	for rows.Next() {
		var c desk.OfficialChannel
		var created int64
		if err := rows.Scan(&c.ID, &c.Kind, &c.Value, &c.Label, &c.Position, &created); err != nil {
			return nil, wrap(err, "official channels")
		}
		c.CreatedAt = fromMs(created)
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "official channels")
}

func (t *txn) ReplaceOfficialChannels(ctx context.Context, list []desk.OfficialChannel) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM official_channels`); err != nil {
		return wrap(err, "replace official channels")
	}
	for _, c := range list {
		if _, err := t.q.ExecContext(ctx, `INSERT INTO official_channels (id, kind, value, label, position, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, c.Kind, c.Value, c.Label, c.Position, ms(c.CreatedAt)); err != nil {
			return wrap(err, "insert official channel %s", c.ID)
		}
	}
	return nil
}
