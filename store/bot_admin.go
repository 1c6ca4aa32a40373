package store

import (
	"context"
	"encoding/json"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
)

var _ botadmin.Store = (*DB)(nil)

const botSettingsCols = `channel, site_key, enabled, mode, name, greeting, calendar_id, hours, timezone, updated_by, updated_at, skip_open_greeting`

func scanBotSettings(s scanner) (botadmin.Settings, error) {
	var b botadmin.Settings
	var enabled, skipGreeting int
	var greeting, hours string
	var at int64
	if err := s.Scan(&b.Channel, &b.SiteKey, &enabled, &b.Mode, &b.Name, &greeting, &b.CalendarID, &hours, &b.Timezone, &b.UpdatedBy, &at,
		&skipGreeting); err != nil {
		return b, err
	}
	b.Enabled, b.UpdatedAt, b.SkipOpenGreeting = enabled != 0, fromMs(at), skipGreeting != 0
	// Written by PutBotSettings from maps; an unreadable one reads as empty
	// (the catalog's greeting, no hours) rather than failing the bot.
	_ = json.Unmarshal([]byte(greeting), &b.Greeting)
	_ = json.Unmarshal([]byte(hours), &b.Hours)
	if b.Greeting == nil {
		b.Greeting = map[string]string{}
	}
	if b.Hours == nil {
		b.Hours = map[string]string{}
	}
	return b, nil
}

// BotSettingsList lists the bot's stored settings by channel and site key.
func (db *DB) BotSettingsList(ctx context.Context) ([]botadmin.Settings, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+botSettingsCols+` FROM bot_settings ORDER BY channel, site_key`)
	if err != nil {
		return nil, wrap(err, "bot settings")
	}
	defer rows.Close()
	out := []botadmin.Settings{}
	for rows.Next() {
		b, err := scanBotSettings(rows)
		if err != nil {
			return nil, wrap(err, "bot settings")
		}
		out = append(out, b)
	}
	return out, wrap(rows.Err(), "bot settings")
}

// BotSettingsOf reads one place's settings.
func (db *DB) BotSettingsOf(ctx context.Context, channel, siteKey string) (botadmin.Settings, error) {
	b, err := scanBotSettings(db.r.QueryRowContext(ctx, `SELECT `+botSettingsCols+` FROM bot_settings WHERE channel = $1 AND site_key = $2`, channel, siteKey))
	return b, wrap(err, "bot settings %s/%s", channel, siteKey)
}

// PutBotSettings adds or replaces one place's settings.
func (db *DB) PutBotSettings(ctx context.Context, b botadmin.Settings) error {
	greeting, err := json.Marshal(b.Greeting)
	if err != nil {
		return wrap(err, "bot settings %s/%s: greeting", b.Channel, b.SiteKey)
	}
	hours, err := json.Marshal(b.Hours)
	if err != nil {
		return wrap(err, "bot settings %s/%s: hours", b.Channel, b.SiteKey)
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO bot_settings (`+botSettingsCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (channel, site_key) DO UPDATE SET enabled = excluded.enabled, mode = excluded.mode, name = excluded.name,
		greeting = excluded.greeting, calendar_id = excluded.calendar_id, hours = excluded.hours, timezone = excluded.timezone,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at, skip_open_greeting = excluded.skip_open_greeting`,
		b.Channel, b.SiteKey, boolInt(b.Enabled), b.Mode, b.Name, string(greeting), b.CalendarID, string(hours), b.Timezone,
		b.UpdatedBy, ms(b.UpdatedAt), boolInt(b.SkipOpenGreeting))
	return wrap(err, "put bot settings %s/%s", b.Channel, b.SiteKey)
}

// BotFlowVersions lists saved flows versions newest first, without their
// source.
func (db *DB) BotFlowVersions(ctx context.Context, limit int) ([]botadmin.FlowVersion, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT version, author_id, note, restored_from, created_at FROM bot_flow_versions
		ORDER BY version DESC LIMIT $1`, limit)
	if err != nil {
		return nil, wrap(err, "bot flow versions")
	}
	defer rows.Close()
	out := []botadmin.FlowVersion{}
	for rows.Next() {
		var v botadmin.FlowVersion
		var at int64
		if err := rows.Scan(&v.Version, &v.AuthorID, &v.Note, &v.RestoredFrom, &at); err != nil {
			return nil, wrap(err, "bot flow versions")
		}
		v.CreatedAt = fromMs(at)
		out = append(out, v)
	}
	return out, wrap(rows.Err(), "bot flow versions")
}

// BotFlowVersion reads one saved version with its source.
func (db *DB) BotFlowVersion(ctx context.Context, version int64) (botadmin.FlowVersion, error) {
	v := botadmin.FlowVersion{Version: version}
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT source, author_id, note, restored_from, created_at FROM bot_flow_versions WHERE version = $1`,
		version).Scan(&v.Source, &v.AuthorID, &v.Note, &v.RestoredFrom, &at)
	v.CreatedAt = fromMs(at)
	return v, wrap(err, "bot flow version %d", version)
}

// LatestBotFlowVersion is the highest saved version (0: none saved).
func (db *DB) LatestBotFlowVersion(ctx context.Context) (int64, error) {
	return latestBotFlowVersion(ctx, db.r)
}

func latestBotFlowVersion(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM bot_flow_versions`).Scan(&v)
	return v, wrap(err, "latest bot flow version")
}

// InsertBotFlowVersion stores v as the version after base, if base is
// still the latest. Two admins saving from the same version: the second
// gets desk.ErrConflict (from the check, or from the primary key when the
// two transactions ran side by side on PostgreSQL).
func (db *DB) InsertBotFlowVersion(ctx context.Context, v botadmin.FlowVersion, base int64) (botadmin.FlowVersion, error) {
	err := db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		latest, err := latestBotFlowVersion(ctx, t.q)
		if err != nil {
			return err
		}
		if latest != base {
			return wrap(desk.ErrConflict, "bot flows: version %d is not the latest (%d)", base, latest)
		}
		v.Version = base + 1
		_, err = t.q.ExecContext(ctx, `INSERT INTO bot_flow_versions (version, source, author_id, note, restored_from, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, v.Version, v.Source, v.AuthorID, v.Note, v.RestoredFrom, ms(v.CreatedAt))
		return wrap(err, "insert bot flow version %d", v.Version)
	})
	return v, err
}

// EachBotDecision streams the decisions created in [since, until) to fn,
// oldest first, so the analytics never hold a period's rows at once.
func (db *DB) EachBotDecision(ctx context.Context, since, until time.Time, channel string, fn func(botadmin.DecisionRow) error) error {
	rows, err := db.r.QueryContext(ctx, `SELECT ticket_id, channel, kind, detail, lang, text, created_at FROM bot_decisions
		WHERE created_at >= $1 AND created_at < $2 AND ($3 = '' OR channel = $3) ORDER BY created_at, id`, ms(since), ms(until), channel)
	if err != nil {
		return wrap(err, "bot decisions")
	}
	defer rows.Close()
	for rows.Next() {
		var d botadmin.DecisionRow
		var kind, detail string
		var at int64
		if err := rows.Scan(&d.TicketID, &d.Channel, &kind, &detail, &d.Lang, &d.Text, &at); err != nil {
			return wrap(err, "bot decisions")
		}
		d.Kind, d.CreatedAt = bot.Kind(kind), fromMs(at)
		// The engine writes the detail; one that does not read counts
		// under its kind without reason.
		_ = json.Unmarshal([]byte(detail), &d.Detail)
		if err := fn(d); err != nil {
			return err
		}
	}
	return wrap(rows.Err(), "bot decisions")
}

// BotTicketStatuses gives the status of each ticket that has a decision in
// [since, until).
func (db *DB) BotTicketStatuses(ctx context.Context, since, until time.Time, channel string) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT t.id, t.status FROM tickets t WHERE t.id IN (
		SELECT DISTINCT ticket_id FROM bot_decisions WHERE created_at >= $1 AND created_at < $2 AND ($3 = '' OR channel = $3))`,
		ms(since), ms(until), channel)
	if err != nil {
		return nil, wrap(err, "bot ticket statuses")
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, wrap(err, "bot ticket statuses")
		}
		out[id] = status
	}
	return out, wrap(rows.Err(), "bot ticket statuses")
}
