package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"huiliu/desk"
)

func (r reader) StoredFacts(ctx context.Context, customerNo string) (desk.CustomerFacts, error) {
	var doc string
	err := r.q.QueryRowContext(ctx, `SELECT doc FROM customer_facts WHERE customer_no = $1`, customerNo).Scan(&doc)
	if err != nil {
		return desk.CustomerFacts{}, wrap(err, "facts of customer %s", customerNo)
	}
	var f desk.CustomerFacts
	if err := json.Unmarshal([]byte(doc), &f); err != nil {
		return desk.CustomerFacts{}, fmt.Errorf("store: facts of customer %s: %w", customerNo, err)
	}
	return f, nil
}

func (t *txn) PutStoredFacts(ctx context.Context, f desk.CustomerFacts, at time.Time) (desk.ImportOutcome, error) {
	doc, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("store: put facts of customer %s: %w", f.CustomerNo, err)
	}
	var old string
	err = t.q.QueryRowContext(ctx, `SELECT doc FROM customer_facts WHERE customer_no = $1`, f.CustomerNo).Scan(&old)
	switch {
	case err == nil && old == string(doc):
		return desk.ImportUnchanged, nil
	case err == nil:
		_, err = t.q.ExecContext(ctx, `UPDATE customer_facts SET doc = $1, updated_at = $2 WHERE customer_no = $3`,
			string(doc), ms(at), f.CustomerNo)
		return desk.ImportUpdated, wrap(err, "update facts of customer %s", f.CustomerNo)
	case !errors.Is(err, sql.ErrNoRows):
		return "", wrap(err, "facts of customer %s", f.CustomerNo)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO customer_facts (customer_no, doc, updated_at) VALUES ($1, $2, $3)`,
		f.CustomerNo, string(doc), ms(at))
	return desk.ImportCreated, wrap(err, "insert facts of customer %s", f.CustomerNo)
}

func (r reader) CustomerClaim(ctx context.Context, ticketID string) (desk.CustomerClaim, error) {
	c := desk.CustomerClaim{TicketID: ticketID}
	var at int64
	err := r.q.QueryRowContext(ctx, `SELECT customer_no, agent_id, claimed_at FROM customer_claims WHERE ticket_id = $1`, ticketID).
		Scan(&c.CustomerNo, &c.AgentID, &at)
	if err != nil {
		return desk.CustomerClaim{}, wrap(err, "claim of ticket %s", ticketID)
	}
	c.ClaimedAt = fromMs(at)
	return c, nil
}

func (t *txn) PutCustomerClaim(ctx context.Context, c desk.CustomerClaim) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO customer_claims (ticket_id, customer_no, agent_id, claimed_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id) DO UPDATE SET customer_no = excluded.customer_no, agent_id = excluded.agent_id,
			claimed_at = excluded.claimed_at`, c.TicketID, c.CustomerNo, c.AgentID, ms(c.ClaimedAt))
	return wrap(err, "put claim of ticket %s", c.TicketID)
}

func (r reader) SavedFactPolicy(ctx context.Context) (desk.FactPolicySettings, error) {
	var s desk.FactPolicySettings
	var doc string
	var at int64
	err := r.q.QueryRowContext(ctx, `SELECT policy, updated_at, updated_by FROM fact_policy WHERE id = 1`).
		Scan(&doc, &at, &s.UpdatedBy)
	if err != nil {
		return desk.FactPolicySettings{}, wrap(err, "fact policy")
	}
	if err := json.Unmarshal([]byte(doc), &s.Policy); err != nil {
		return desk.FactPolicySettings{}, fmt.Errorf("store: fact policy: %w", err)
	}
	updated := fromMs(at)
	s.Saved, s.UpdatedAt = true, &updated
	return s, nil
}

func (t *txn) PutFactPolicy(ctx context.Context, s desk.FactPolicySettings) error {
	doc, err := json.Marshal(s.Policy)
	if err != nil {
		return fmt.Errorf("store: put fact policy: %w", err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO fact_policy (id, policy, updated_at, updated_by) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		string(doc), ms(*s.UpdatedAt), s.UpdatedBy)
	return wrap(err, "put fact policy")
}

// FactsSource serves customer facts from the customer_facts table: the
// source when no facts API is configured.
func (db *DB) FactsSource() desk.FactsSource { return factsTable{db} }

type factsTable struct{ db *DB }

func (f factsTable) CustomerFacts(ctx context.Context, customerNo string) (desk.CustomerFacts, error) {
	r, err := f.db.StoredFacts(ctx, customerNo)
	if errors.Is(err, desk.ErrNotFound) {
		return desk.CustomerFacts{}, fmt.Errorf("store: %w", desk.ErrNoFacts)
	}
	return r, err
}
