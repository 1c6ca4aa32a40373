package store

import (
	"context"
	"time"

	"huiliu/desk"
)

func (t *txn) InsertOTPAttempt(ctx context.Context, a desk.OTPAttempt) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO otp_attempts (id, ticket_id, kind, outcome, masked, agent_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, a.TicketID, a.Kind, a.Outcome, a.Masked, a.AgentID, ms(a.At))
	return wrap(err, "insert otp attempt on ticket %s", a.TicketID)
}

func (r reader) OTPAttempts(ctx context.Context, ticketID string, since time.Time) ([]desk.OTPAttempt, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id, kind, outcome, masked, agent_id, created_at FROM otp_attempts
		WHERE ticket_id = $1 AND created_at >= $2 ORDER BY created_at, id`, ticketID, ms(since))
	if err != nil {
		return nil, wrap(err, "otp attempts of ticket %s", ticketID)
	}
	defer rows.Close()
	var out []desk.OTPAttempt
	for rows.Next() {
		a := desk.OTPAttempt{TicketID: ticketID}
		var at int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Outcome, &a.Masked, &a.AgentID, &at); err != nil {
			return nil, wrap(err, "otp attempts of ticket %s", ticketID)
		}
		a.At = fromMs(at)
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "otp attempts of ticket %s", ticketID)
}
