package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"huiliu/bot"
	"huiliu/desk"
)

var (
	_ bot.DecisionStore = (*DB)(nil)
	_ bot.StateStore    = (*DB)(nil)
)

// InsertBotDecisions stores one turn's decisions together.
func (db *DB) InsertBotDecisions(ctx context.Context, ds []bot.Decision) error {
	if len(ds) == 0 {
		return nil
	}
	return db.Tx(ctx, func(tx desk.Tx) error { return insertBotDecisions(ctx, tx.(*txn), ds) })
}

// SaveBotTurn stores a turn's decisions and the conversation's new state
// in one commit.
func (db *DB) SaveBotTurn(ctx context.Context, ticketID, state string, ds []bot.Decision, at time.Time) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		if err := insertBotDecisions(ctx, tx.(*txn), ds); err != nil {
			return err
		}
		return saveBotState(ctx, tx.(*txn), ticketID, state, at)
	})
}

func insertBotDecisions(ctx context.Context, tx *txn, ds []bot.Decision) error {
	for _, d := range ds {
		detail, err := json.Marshal(d.Detail)
		if err != nil {
			return wrap(err, "bot decision %s", d.ID)
		}
		if _, err := tx.q.ExecContext(ctx, `INSERT INTO bot_decisions
			(id, ticket_id, message_id, channel, kind, detail, lang, text, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			d.ID, d.TicketID, d.MessageID, d.Channel, string(d.Kind), string(detail), d.Lang, d.Text, ms(d.CreatedAt)); err != nil {
			return wrap(err, "insert bot decision %s", d.ID)
		}
	}
	return nil
}

// BotDecisions lists decisions, oldest first.
func (db *DB) BotDecisions(ctx context.Context, f bot.DecisionFilter) ([]bot.Decision, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	if f.TicketID != "" {
		add("ticket_id = ?", f.TicketID)
	}
	if f.Channel != "" {
		add("channel = ?", f.Channel)
	}
	if f.Kind != "" {
		add("kind = ?", string(f.Kind))
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", ms(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at < ?", ms(f.Until))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, 10000)
	q := `SELECT id, ticket_id, message_id, channel, kind, detail, lang, text, created_at FROM bot_decisions`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY created_at, id LIMIT ` + strconv.Itoa(limit)
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "bot decisions")
	}
	defer rows.Close()
	out := []bot.Decision{}
	for rows.Next() {
		var d bot.Decision
		var kind, detail string
		var created int64
		if err := rows.Scan(&d.ID, &d.TicketID, &d.MessageID, &d.Channel, &kind, &detail, &d.Lang, &d.Text, &created); err != nil {
			return nil, wrap(err, "bot decisions")
		}
		d.Kind, d.CreatedAt = bot.Kind(kind), fromMs(created)
		if err := json.Unmarshal([]byte(detail), &d.Detail); err != nil {
			return nil, wrap(err, "bot decision %s detail", d.ID)
		}
		out = append(out, d)
	}
	return out, wrap(rows.Err(), "bot decisions")
}

// ClaimBotTurn records that the bot takes message id; false when a turn
// for it was claimed before (on any node).
func (db *DB) ClaimBotTurn(ctx context.Context, messageID, ticketID string, at time.Time) (bool, error) {
	var n int64
	err := db.Tx(ctx, func(tx desk.Tx) error {
		res, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO bot_turns (message_id, ticket_id, created_at)
			VALUES ($1, $2, $3) ON CONFLICT (message_id) DO NOTHING`, messageID, ticketID, ms(at))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, wrap(err, "claim bot turn %s", messageID)
}

// BotState returns a ticket's conversation state ("" when none).
func (db *DB) BotState(ctx context.Context, ticketID string) (string, error) {
	var s string
	err := db.r.QueryRowContext(ctx, `SELECT state FROM bot_states WHERE ticket_id = $1`, ticketID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return s, wrap(err, "bot state %s", ticketID)
}

// SaveBotState stores a ticket's conversation state.
func (db *DB) SaveBotState(ctx context.Context, ticketID, state string, at time.Time) error {
	return db.Tx(ctx, func(tx desk.Tx) error { return saveBotState(ctx, tx.(*txn), ticketID, state, at) })
}

func saveBotState(ctx context.Context, tx *txn, ticketID, state string, at time.Time) error {
	_, err := tx.q.ExecContext(ctx, `INSERT INTO bot_states (ticket_id, state, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		ticketID, state, ms(at))
	return wrap(err, "save bot state %s", ticketID)
}
