package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

var (
	_ desk.PhoneReader = (*DB)(nil)
	_ desk.PhoneWriter = (*txn)(nil)
)

const callCols = `id, line, call_id, ticket_id, message_id, contact_id, direction, customer, ours, agent, agent_id,
	state, state_rank, started_at, answered_at, ended_at, talk_ms, queue, recording_url, disposition, notes,
	source, callback_id, created_at, updated_at`

func scanCall(s scanner) (desk.CallRecord, error) {
	var c desk.CallRecord
	var rank int
	var started, answered, ended, talk, created, updated int64
	err := s.Scan(&c.ID, &c.Line, &c.CallID, &c.TicketID, &c.MessageID, &c.ContactID, &c.Direction, &c.Customer,
		&c.Ours, &c.Agent, &c.AgentID, &c.State, &rank, &started, &answered, &ended, &talk, &c.Queue,
		&c.RecordingURL, &c.Disposition, &c.Notes, &c.Source, &c.CallbackID, &created, &updated)
	c.StartedAt, c.AnsweredAt, c.EndedAt = fromMs(started), fromMs(answered), fromMs(ended)
	c.Talk = time.Duration(talk) * time.Millisecond
	c.CreatedAt, c.UpdatedAt = fromMs(created), fromMs(updated)
	return c, err
}

func (r reader) CallByCallID(ctx context.Context, line, callID string) (desk.CallRecord, error) {
	c, err := scanCall(r.q.QueryRowContext(ctx, `SELECT `+callCols+` FROM calls WHERE line = $1 AND call_id = $2`, line, callID))
	return c, wrap(err, "call %s/%s", line, callID)
}

func (r reader) CallByID(ctx context.Context, id string) (desk.CallRecord, error) {
	c, err := scanCall(r.q.QueryRowContext(ctx, `SELECT `+callCols+` FROM calls WHERE id = $1`, id))
	return c, wrap(err, "call %s", id)
}

func (r reader) CallEventSeen(ctx context.Context, line, callID, state string) (desk.CallRecord, bool, error) {
	var seen int
	c, err := scanCall(extraColumn{r.q.QueryRowContext(ctx, `SELECT `+callCols+`,
		CASE WHEN EXISTS (SELECT 1 FROM call_events e WHERE e.line = calls.line AND e.call_id = calls.call_id AND e.state = $3)
			THEN 1 ELSE 0 END
		FROM calls WHERE line = $1 AND call_id = $2`, line, callID, state), &seen})
	return c, seen != 0, wrap(err, "event %s of call %s/%s", state, line, callID)
}

// extraColumn scans one more column, after a row's own, into extra.
type extraColumn struct {
	s     scanner
	extra any
}

func (s extraColumn) Scan(dest ...any) error { return s.s.Scan(append(dest, s.extra)...) }

func (r reader) TicketCalls(ctx context.Context, ticketID string) ([]desk.CallRecord, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+callCols+` FROM calls WHERE ticket_id = $1 ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, wrap(err, "calls of ticket %s", ticketID)
	}
	defer rows.Close()
	out := []desk.CallRecord{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, wrap(err, "calls of ticket %s", ticketID)
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "calls of ticket %s", ticketID)
}

func (r reader) AgentExtension(ctx context.Context, agentID string) (string, error) {
	var ext string
	err := r.q.QueryRowContext(ctx, `SELECT extension FROM agents WHERE id = $1`, agentID).Scan(&ext)
	return ext, wrap(err, "extension of agent %s", agentID)
}

func (r reader) AgentIDByExtension(ctx context.Context, ext string) (string, error) {
	var id string
	// An extension set on the agent wins over an employee number that
	// happens to read the same.
	err := r.q.QueryRowContext(ctx, `SELECT id FROM agents WHERE active = 1 AND (extension = $1 OR employee_no = $1)
		ORDER BY CASE WHEN extension = $1 THEN 0 ELSE 1 END LIMIT 1`, ext).Scan(&id)
	return id, wrap(err, "agent with extension %s", ext)
}

func (t *txn) InsertCallEvent(ctx context.Context, line, callID, state string, at, now time.Time) (bool, error) {
	res, err := t.q.ExecContext(ctx, `INSERT INTO call_events (line, call_id, state, at, received_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (line, call_id, state) DO NOTHING`, line, callID, state, ms(at), ms(now))
	if err != nil {
		return false, wrap(err, "event %s of call %s/%s", state, line, callID)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MergeCall merges in one statement, so concurrent events of one call on
// PostgreSQL serialise on the row rather than read-modify-write it.
func (t *txn) MergeCall(ctx context.Context, c desk.CallRecord) (desk.CallRecord, error) {
	out, err := scanCall(t.q.QueryRowContext(ctx, `INSERT INTO calls (`+callCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
		ON CONFLICT (line, call_id) DO UPDATE SET
			state = CASE WHEN excluded.state_rank > calls.state_rank THEN excluded.state ELSE calls.state END,
			state_rank = CASE WHEN excluded.state_rank > calls.state_rank THEN excluded.state_rank ELSE calls.state_rank END,
			customer = CASE WHEN calls.customer = '' THEN excluded.customer ELSE calls.customer END,
			ours = CASE WHEN calls.ours = '' THEN excluded.ours ELSE calls.ours END,
			agent = CASE WHEN excluded.agent <> '' THEN excluded.agent ELSE calls.agent END,
			agent_id = CASE WHEN excluded.agent_id <> '' THEN excluded.agent_id ELSE calls.agent_id END,
			started_at = CASE WHEN calls.started_at = 0 OR (excluded.started_at <> 0 AND excluded.started_at < calls.started_at)
				THEN excluded.started_at ELSE calls.started_at END,
			answered_at = CASE WHEN calls.answered_at = 0 THEN excluded.answered_at ELSE calls.answered_at END,
			ended_at = CASE WHEN calls.ended_at = 0 THEN excluded.ended_at ELSE calls.ended_at END,
			talk_ms = CASE WHEN excluded.talk_ms > 0 THEN excluded.talk_ms ELSE calls.talk_ms END,
			queue = CASE WHEN excluded.queue <> '' THEN excluded.queue ELSE calls.queue END,
			recording_url = CASE WHEN excluded.recording_url <> '' THEN excluded.recording_url ELSE calls.recording_url END,
			disposition = CASE WHEN excluded.disposition <> '' THEN excluded.disposition ELSE calls.disposition END,
			notes = CASE WHEN excluded.notes <> '' THEN excluded.notes ELSE calls.notes END,
			updated_at = excluded.updated_at
		RETURNING `+callCols,
		c.ID, c.Line, c.CallID, c.TicketID, c.MessageID, c.ContactID, c.Direction, c.Customer, c.Ours, c.Agent, c.AgentID,
		c.State, channels.CallStateRank(c.State), ms(c.StartedAt), ms(c.AnsweredAt), ms(c.EndedAt), c.Talk.Milliseconds(),
		c.Queue, c.RecordingURL, c.Disposition, c.Notes, c.Source, c.CallbackID, ms(c.CreatedAt), ms(c.UpdatedAt)))
	return out, wrap(err, "merge call %s/%s", c.Line, c.CallID)
}

func (t *txn) SetCallCallback(ctx context.Context, id, followupID string) error {
	_, err := t.q.ExecContext(ctx, `UPDATE calls SET callback_id = $1 WHERE id = $2`, followupID, id)
	return wrap(err, "callback of call %s", id)
}

func (t *txn) SetCallWrapUp(ctx context.Context, id, notes, disposition string, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE calls SET notes = $1, disposition = $2, updated_at = $3 WHERE id = $4`,
		notes, disposition, ms(at), id)
	if err != nil {
		return wrap(err, "wrap-up of call %s", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("call %s", id)
	}
	return nil
}

func (t *txn) SetMessageEvent(ctx context.Context, messageID, text string, ev desk.SystemEvent) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("store: encode event of message %s: %w", messageID, err)
	}
	_, err = t.q.ExecContext(ctx, `UPDATE messages SET text = $1, event = $2 WHERE id = $3`, text, string(b), messageID)
	return wrap(err, "event of message %s", messageID)
}

func (t *txn) SetAgentExtension(ctx context.Context, agentID, ext string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE agents SET extension = $1 WHERE id = $2`, ext, agentID)
	if err != nil {
		return wrap(err, "extension of agent %s", agentID)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("agent %s", agentID)
	}
	return nil
}

// OpenCallbacks lists the active tickets vis may see that have a callback
// not yet made, the earliest deadline first.
func (r reader) OpenCallbacks(ctx context.Context, vis *desk.Visibility, limit int) ([]desk.CallbackTicket, error) {
	where, args, err := ticketWhere(desk.TicketFilter{Visible: vis, Status: []desk.Status{desk.StatusOpen, desk.StatusPending}})
	if err != nil {
		return nil, err
	}
	args = append(args, desk.FollowupCallback, limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+ticketCols+`, MIN(f.due_at) FROM tickets t
		JOIN ticket_followups f ON f.ticket_id = t.id AND f.done_at = 0 AND f.kind = $`+fmt.Sprint(len(args)-1)+`
		WHERE `+where+` GROUP BY t.id ORDER BY MIN(f.due_at), t.id LIMIT $`+fmt.Sprint(len(args)), args...)
	if err != nil {
		return nil, wrap(err, "open callbacks")
	}
	defer rows.Close()
	var out []desk.CallbackTicket
	for rows.Next() {
		var due int64
		t, err := scanTicket(extraColumn{rows, &due})
		if err != nil {
			return nil, wrap(err, "open callbacks")
		}
		out = append(out, desk.CallbackTicket{Ticket: t, DueAt: fromMs(due)})
	}
	return out, wrap(rows.Err(), "open callbacks")
}
