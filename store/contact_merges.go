package store

import (
	"context"
	"time"

	"huiliu/desk"
)

const contactMergeCols = `id, from_id, into_id, agent_id, created_at, undone_at, undone_by`

func scanContactMerge(s scanner) (desk.ContactMerge, error) {
	var m desk.ContactMerge
	var created, undone int64
	err := s.Scan(&m.ID, &m.FromID, &m.IntoID, &m.AgentID, &created, &undone, &m.UndoneBy)
	m.CreatedAt, m.UndoneAt = fromMs(created), fromMsPtr(undone)
	return m, err
}

func (r reader) ContactMerge(ctx context.Context, id string) (desk.ContactMerge, error) {
	m, err := scanContactMerge(r.q.QueryRowContext(ctx, `SELECT `+contactMergeCols+` FROM contact_merges WHERE id = $1`, id))
	if err != nil {
		return desk.ContactMerge{}, wrap(err, "contact merge %s", id)
	}
	rows, err := r.q.QueryContext(ctx, `SELECT kind, object_id, prior FROM contact_merge_moves WHERE merge_id = $1
		ORDER BY kind, object_id`, id)
	if err != nil {
		return desk.ContactMerge{}, wrap(err, "moves of contact merge %s", id)
	}
	defer rows.Close()
	for rows.Next() {
		var mv desk.MergeMove
		if err := rows.Scan(&mv.Kind, &mv.ObjectID, &mv.Prior); err != nil {
			return desk.ContactMerge{}, wrap(err, "moves of contact merge %s", id)
		}
		m.Moves = append(m.Moves, mv)
	}
	return m, wrap(rows.Err(), "moves of contact merge %s", id)
}

func (r reader) ContactMerges(ctx context.Context, contactID string) ([]desk.ContactMerge, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+contactMergeCols+` FROM contact_merges
		WHERE from_id = $1 OR into_id = $1 ORDER BY created_at DESC, id DESC`, contactID)
	if err != nil {
		return nil, wrap(err, "merges of contact %s", contactID)
	}
	defer rows.Close()
	out := []desk.ContactMerge{}
	for rows.Next() {
		m, err := scanContactMerge(rows)
		if err != nil {
			return nil, wrap(err, "merges of contact %s", contactID)
		}
		out = append(out, m)
	}
	return out, wrap(rows.Err(), "merges of contact %s", contactID)
}

// MergeContactsRecorded lists what MergeContacts is about to move before it
// moves it, in the same transaction, so the record is exact.
func (t *txn) MergeContactsRecorded(ctx context.Context, m desk.ContactMerge) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO contact_merges (id, from_id, into_id, agent_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, m.ID, m.FromID, m.IntoID, m.AgentID, ms(m.CreatedAt))
	if err != nil {
		return wrap(err, "record merge of contact %s into %s", m.FromID, m.IntoID)
	}
	// The merge id is cast: PostgreSQL cannot tell a bare parameter's type
	// in a select list.
	const ins = `INSERT INTO contact_merge_moves (merge_id, kind, object_id, prior) SELECT CAST($1 AS TEXT), `
	for _, st := range []struct {
		what, sql string
		args      []any
	}{
		{desk.MovedClosed, ins + `'closed', id, status FROM tickets WHERE contact_id = $3 AND ` + collidingTicket, []any{m.ID, m.IntoID, m.FromID}},
		{desk.MovedIdentity, ins + `'identity', id, '' FROM identities WHERE contact_id = $2`, []any{m.ID, m.FromID}},
		{desk.MovedTicket, ins + `'ticket', id, '' FROM tickets WHERE contact_id = $2`, []any{m.ID, m.FromID}},
		{desk.MovedNote, ins + `'note', id, '' FROM contact_notes WHERE contact_id = $2`, []any{m.ID, m.FromID}},
	} {
		if _, err := t.q.ExecContext(ctx, st.sql, st.args...); err != nil {
			return wrap(err, "record merge of contact %s into %s: %s", m.FromID, m.IntoID, st.what)
		}
	}
	return t.MergeContacts(ctx, m.FromID, m.IntoID)
}

// UndoContactMerge runs its statements in an order where each can rely on
// the ones before: tickets follow identities, messages and verifications
// follow tickets.
func (t *txn) UndoContactMerge(ctx context.Context, m desk.ContactMerge, at time.Time, by string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE contacts SET merged_into = '' WHERE id = $1 AND merged_into = $2`, m.FromID, m.IntoID)
	if err := affected(res, err, "undo merge %s: contact %s", m.ID, m.FromID); err != nil {
		return err
	}
	from, into, id := m.FromID, m.IntoID, m.ID
	const moved = `SELECT object_id FROM contact_merge_moves WHERE merge_id = $1 AND kind = `
	for _, st := range []struct {
		what, sql string
		args      []any
	}{
		{"identities", `UPDATE identities SET contact_id = $2 WHERE contact_id = $3 AND id IN (` + moved + `'identity')`,
			[]any{id, from, into}},
		// A ticket that came in after the merge on one of the moved
		// identities is that person's too.
		{"tickets", `UPDATE tickets SET contact_id = $2 WHERE contact_id = $3 AND (id IN (` + moved + `'ticket')
			OR (identity_id IN (` + moved + `'identity') AND created_at >= $4))`, []any{id, from, into, ms(m.CreatedAt)}},
		{"closed tickets", `UPDATE tickets SET status = (SELECT prior FROM contact_merge_moves mv
				WHERE mv.merge_id = $1 AND mv.kind = 'closed' AND mv.object_id = tickets.id)
			WHERE contact_id = $2 AND status = 'closed' AND id IN (` + moved + `'closed')
			AND NOT EXISTS (SELECT 1 FROM tickets o WHERE o.contact_id = $2 AND o.status <> 'closed'
				AND o.channel = tickets.channel AND o.thread_key = tickets.thread_key)`, []any{id, from}},
		{"messages", `UPDATE messages SET author_id = $1 WHERE author_kind = 'contact' AND author_id = $2
			AND ticket_id IN (SELECT id FROM tickets WHERE contact_id = $1)`, []any{from, into}},
		{"verifications", `UPDATE verifications SET contact_id = $1 WHERE contact_id = $2
			AND ticket_id IN (SELECT id FROM tickets WHERE contact_id = $1)`, []any{from, into}},
		{"notes", `UPDATE contact_notes SET contact_id = $2 WHERE contact_id = $3 AND id IN (` + moved + `'note')`,
			[]any{id, from, into}},
	} {
		if _, err := t.q.ExecContext(ctx, st.sql, st.args...); err != nil {
			return wrap(err, "undo merge %s: %s", m.ID, st.what)
		}
	}
	res, err = t.q.ExecContext(ctx, `UPDATE contact_merges SET undone_at = $2, undone_by = $3 WHERE id = $1 AND undone_at = 0`,
		m.ID, ms(at), by)
	return affected(res, err, "undo merge %s", m.ID)
}
