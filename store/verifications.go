package store

import (
	"context"

	"huiliu/desk"
)

func (r reader) Verification(ctx context.Context, ticketID string) (desk.Verification, error) {
	v := desk.Verification{TicketID: ticketID}
	var at, exp int64
	err := r.q.QueryRowContext(ctx, `SELECT contact_id, identity_id, method, level, verified_at, expires_at
		FROM verifications WHERE ticket_id = $1`, ticketID).
		Scan(&v.ContactID, &v.IdentityID, &v.Method, &v.Level, &at, &exp)
	if err != nil {
		return desk.Verification{}, wrap(err, "verification of ticket %s", ticketID)
	}
	v.VerifiedAt, v.ExpiresAt = fromMs(at), fromMs(exp)
	return v, nil
}

func (t *txn) PutVerification(ctx context.Context, v desk.Verification) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO verifications
		(ticket_id, contact_id, identity_id, method, level, verified_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (ticket_id) DO UPDATE SET contact_id = excluded.contact_id, identity_id = excluded.identity_id,
			method = excluded.method, level = excluded.level, verified_at = excluded.verified_at, expires_at = excluded.expires_at`,
		v.TicketID, v.ContactID, v.IdentityID, v.Method, v.Level, ms(v.VerifiedAt), ms(v.ExpiresAt))
	return wrap(err, "put verification of ticket %s", v.TicketID)
}
