package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// StoredTelegramBot is a Telegram bot an admin added on the desk, with
// its secrets.
type StoredTelegramBot struct {
	Name          string
	Token         string
	Mode          string
	WebhookSecret string
	// Username is the bot's @username as getMe gave it.
	Username  string
	Disabled  bool
	UpdatedAt time.Time
}

// StoredTelegramBots lists the admin-added bots by name.
func (db *DB) StoredTelegramBots(ctx context.Context) ([]StoredTelegramBot, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name, token, mode, webhook_secret, username, disabled, updated_at FROM stored_telegram_bots ORDER BY name`)
	if err != nil {
		return nil, wrap(err, "stored telegram bots")
	}
	defer rows.Close()
	out := []StoredTelegramBot{}
	for rows.Next() {
		var b StoredTelegramBot
		var disabled int
		var at int64
		if err := rows.Scan(&b.Name, &b.Token, &b.Mode, &b.WebhookSecret, &b.Username, &disabled, &at); err != nil {
			return nil, wrap(err, "stored telegram bots")
		}
		b.Disabled, b.UpdatedAt = disabled != 0, fromMs(at)
		out = append(out, b)
	}
	return out, wrap(rows.Err(), "stored telegram bots")
}

// PutStoredTelegramBot adds or replaces an admin-added bot.
func (db *DB) PutStoredTelegramBot(ctx context.Context, b StoredTelegramBot) error {
	_, err := db.w.ExecContext(ctx, `INSERT INTO stored_telegram_bots (name, token, mode, webhook_secret, username, disabled, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (name) DO UPDATE SET token = excluded.token, mode = excluded.mode, webhook_secret = excluded.webhook_secret,
		username = excluded.username, disabled = excluded.disabled, updated_at = excluded.updated_at`,
		b.Name, b.Token, b.Mode, b.WebhookSecret, b.Username, boolInt(b.Disabled), ms(b.UpdatedAt))
	return wrap(err, "stored telegram bot %s", b.Name)
}

// DeleteStoredTelegramBot removes an admin-added bot; ErrNotFound when
// there is none of that name.
func (db *DB) DeleteStoredTelegramBot(ctx context.Context, name string) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM stored_telegram_bots WHERE name = $1`, name)
	if err != nil {
		return wrap(err, "delete stored telegram bot %s", name)
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = sql.ErrNoRows
	}
	return wrap(err, "delete stored telegram bot %s", name)
}

// OffsetUpdatedAt is when a polling channel's offset last moved, i.e.
// when its last update was acknowledged by whichever node polled it; zero
// when it never did.
func (db *DB) OffsetUpdatedAt(ctx context.Context, name string) (time.Time, error) {
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT updated_at FROM channel_offsets WHERE name = $1`, name).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return fromMs(at), wrap(err, "offset %s", name)
}
