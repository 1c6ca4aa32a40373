package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"huiliu/desk"
)

var (
	_ desk.CSATStore = (*DB)(nil)
	_ desk.CSATTx    = (*txn)(nil)
)

const surveyCols = `id, ticket_id, cycle, contact_id, agent_id, team_id, channel, lang, token_hash, message_id,
	created_at, expires_at, answered_at, score, comment`

func scanSurvey(s scanner) (desk.Survey, error) {
	var v desk.Survey
	var created, expires int64
	var answered, score sql.NullInt64
	if err := s.Scan(&v.ID, &v.TicketID, &v.Cycle, &v.ContactID, &v.AgentID, &v.TeamID, &v.Channel, &v.Lang,
		&v.TokenHash, &v.MessageID, &created, &expires, &answered, &score, &v.Comment); err != nil {
		return desk.Survey{}, err
	}
	v.CreatedAt, v.ExpiresAt = fromMs(created), fromMs(expires)
	if answered.Valid {
		v.AnsweredAt = fromMsPtr(answered.Int64)
	}
	v.Score = int(score.Int64)
	return v, nil
}

func (r reader) SurveyByTokenHash(ctx context.Context, hash string) (desk.Survey, error) {
	v, err := scanSurvey(r.q.QueryRowContext(ctx, `SELECT `+surveyCols+` FROM csat_surveys WHERE token_hash = $1`, hash))
	return v, wrap(err, "survey by token")
}

func (r reader) SurveyByMessage(ctx context.Context, messageID string) (desk.Survey, error) {
	if messageID == "" {
		return desk.Survey{}, notFound("survey of an empty message id")
	}
	v, err := scanSurvey(r.q.QueryRowContext(ctx, `SELECT `+surveyCols+` FROM csat_surveys WHERE message_id = $1`, messageID))
	return v, wrap(err, "survey of message %s", messageID)
}

func (r reader) TicketSurveys(ctx context.Context, ticketID string) ([]desk.Survey, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+surveyCols+` FROM csat_surveys WHERE ticket_id = $1 ORDER BY cycle`, ticketID)
	if err != nil {
		return nil, wrap(err, "surveys of ticket %s", ticketID)
	}
	defer rows.Close()
	out := []desk.Survey{}
	for rows.Next() {
		v, err := scanSurvey(rows)
		if err != nil {
			return nil, wrap(err, "surveys of ticket %s", ticketID)
		}
		out = append(out, v)
	}
	return out, wrap(rows.Err(), "surveys of ticket %s", ticketID)
}

// ResolutionSeq matches the JSON of a status entry: encoding/json writes
// map keys sorted and escapes quotes inside values, so `"status":"resolved"`
// can only be the target status, never part of a name.
func (r reader) ResolutionSeq(ctx context.Context, ticketID string) (int64, error) {
	var seq sql.NullInt64
	err := r.q.QueryRowContext(ctx, `SELECT MAX(seq) FROM messages WHERE ticket_id = $1 AND direction = 'system'
		AND event LIKE '{"action":"status"%' AND event LIKE '%"status":"resolved"%'`, ticketID).Scan(&seq)
	return seq.Int64, wrap(err, "resolution of ticket %s", ticketID)
}

func (t *txn) InsertSurvey(ctx context.Context, s desk.Survey) (bool, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO csat_surveys (id, ticket_id, cycle, contact_id, agent_id, team_id, channel, lang,
		token_hash, message_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (ticket_id, cycle) DO NOTHING`,
		s.ID, s.TicketID, s.Cycle, s.ContactID, s.AgentID, s.TeamID, s.Channel, s.Lang, s.TokenHash, s.MessageID,
		ms(s.CreatedAt), ms(s.ExpiresAt))
	if err != nil {
		return false, wrap(err, "insert survey of ticket %s", s.TicketID)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "insert survey of ticket %s", s.TicketID)
}

func (t *txn) AnswerSurvey(ctx context.Context, id string, score int, comment string, at time.Time) (bool, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE csat_surveys SET answered_at = $2, score = $3, comment = $4
		WHERE id = $1 AND answered_at IS NULL AND expires_at > $2`, id, ms(at), score, comment)
	if err != nil {
		return false, wrap(err, "answer survey %s", id)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "answer survey %s", id)
}

const csatSettingsCols = `scope, enabled, threshold, notify, reopen, flag, wording, updated_at`

func scanCSATSettings(s scanner) (desk.CSATSettings, error) {
	var c desk.CSATSettings
	var enabled, notify, reopen, flag, updated int64
	var wording string
	if err := s.Scan(&c.Scope, &enabled, &c.Threshold, &notify, &reopen, &flag, &wording, &updated); err != nil {
		return desk.CSATSettings{}, err
	}
	c.Enabled, c.Notify, c.Reopen, c.Flag = enabled != 0, notify != 0, reopen != 0, flag != 0
	c.UpdatedAt = fromMs(updated)
	c.Wording = map[string]string{}
	if err := json.Unmarshal([]byte(wording), &c.Wording); err != nil {
		return desk.CSATSettings{}, err
	}
	return c, nil
}

func (r reader) CSATSettings(ctx context.Context, scope string) (desk.CSATSettings, error) {
	c, err := scanCSATSettings(r.q.QueryRowContext(ctx, `SELECT `+csatSettingsCols+` FROM csat_settings WHERE scope = $1`, scope))
	return c, wrap(err, "csat settings %q", scope)
}

func (r reader) AllCSATSettings(ctx context.Context) ([]desk.CSATSettings, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+csatSettingsCols+` FROM csat_settings ORDER BY scope`)
	if err != nil {
		return nil, wrap(err, "csat settings")
	}
	defer rows.Close()
	out := []desk.CSATSettings{}
	for rows.Next() {
		c, err := scanCSATSettings(rows)
		if err != nil {
			return nil, wrap(err, "csat settings")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "csat settings")
}

func (t *txn) PutCSATSettings(ctx context.Context, c desk.CSATSettings) error {
	w := c.Wording
	if w == nil {
		w = map[string]string{}
	}
	wording, err := json.Marshal(w)
	if err != nil {
		return wrap(err, "encode csat wording")
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO csat_settings (`+csatSettingsCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (scope) DO UPDATE SET enabled = excluded.enabled, threshold = excluded.threshold, notify = excluded.notify,
		reopen = excluded.reopen, flag = excluded.flag, wording = excluded.wording, updated_at = excluded.updated_at`,
		c.Scope, boolInt(c.Enabled), c.Threshold, boolInt(c.Notify), boolInt(c.Reopen), boolInt(c.Flag), string(wording), ms(c.UpdatedAt))
	return wrap(err, "put csat settings %q", c.Scope)
}

func (t *txn) DeleteCSATSettings(ctx context.Context, scope string) error {
	_, err := t.q.ExecContext(ctx, `DELETE FROM csat_settings WHERE scope = $1`, scope)
	return wrap(err, "delete csat settings %q", scope)
}

func (t *txn) PurgeSurveyComments(ctx context.Context, contactID, marker string) (int, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE csat_surveys SET comment = $2 WHERE comment <> '' AND comment <> $2
		AND ticket_id IN (SELECT id FROM tickets WHERE contact_id = $1)`, contactID, marker)
	if err != nil {
		return 0, wrap(err, "purge survey comments of contact %s", contactID)
	}
	n, err := res.RowsAffected()
	return int(n), wrap(err, "purge survey comments of contact %s", contactID)
}
