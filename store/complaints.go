package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

const complaintCols = `c.ticket_id, t.number, t.subject, c.source, c.regulator_ref, c.severity, c.summary, c.wants,
	c.owner_id, c.team_id, c.status, c.filed_by, c.policy_id, c.created_at, c.accepted_at, c.first_response_at,
	c.resolved_at, c.deadline_first_response, c.deadline_resolution, c.regulator_due, c.withdrawn_at,
	c.withdrawn_by, c.withdrawn_reason, c.updated_at`

func scanComplaint(s scanner) (desk.Complaint, error) {
	var c desk.Complaint
	var source, severity, status string
	var created, accepted, first, resolved, dFirst, dResolution, regDue, withdrawn, updated int64
	err := s.Scan(&c.TicketID, &c.TicketNumber, &c.Subject, &source, &c.RegulatorRef, &severity, &c.Summary, &c.Wants,
		&c.OwnerID, &c.TeamID, &status, &c.FiledBy, &c.PolicyID, &created, &accepted, &first,
		&resolved, &dFirst, &dResolution, &regDue, &withdrawn,
		&c.WithdrawnBy, &c.WithdrawnReason, &updated)
	c.Source, c.Severity, c.Status = desk.ComplaintSource(source), desk.Severity(severity), desk.ComplaintStatus(status)
	c.CreatedAt, c.UpdatedAt = fromMs(created), fromMs(updated)
	c.AcceptedAt, c.FirstResponseAt, c.ResolvedAt = fromMsPtr(accepted), fromMsPtr(first), fromMsPtr(resolved)
	c.DeadlineFirstResponse, c.DeadlineResolution, c.RegulatorDue = fromMsPtr(dFirst), fromMsPtr(dResolution), fromMsPtr(regDue)
	c.WithdrawnAt = fromMsPtr(withdrawn)
	return c, err
}

func (r reader) Complaint(ctx context.Context, ticketID string) (desk.Complaint, error) {
	c, err := scanComplaint(r.q.QueryRowContext(ctx, `SELECT `+complaintCols+`
		FROM complaints c JOIN tickets t ON t.id = c.ticket_id WHERE c.ticket_id = $1`, ticketID))
	return c, wrap(err, "complaint of ticket %s", ticketID)
}

// complaintNext is the deadline an active complaint works towards: the
// first response until there is one, then the resolution (0: none). The
// register sorts by it and "overdue" compares it.
const complaintNext = `(CASE WHEN c.first_response_at = 0 AND c.deadline_first_response > 0
	THEN c.deadline_first_response ELSE c.deadline_resolution END)`

func (r reader) Complaints(ctx context.Context, f desk.ComplaintFilter) ([]desk.Complaint, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if v := f.Visibility; v != nil {
		where = append(where, visibleTickets(v, arg))
	}
	if len(f.Status) > 0 {
		ps := make([]string, len(f.Status))
		for i, st := range f.Status {
			ps[i] = arg(string(st))
		}
		where = append(where, "c.status IN ("+strings.Join(ps, ", ")+")")
	}
	if f.Source != "" {
		where = append(where, "c.source = "+arg(string(f.Source)))
	}
	if f.Severity != "" {
		where = append(where, "c.severity = "+arg(string(f.Severity)))
	}
	if f.TeamID != "" {
		where = append(where, "c.team_id = "+arg(f.TeamID))
	}
	if f.OwnerID != "" {
		where = append(where, "c.owner_id = "+arg(f.OwnerID))
	}
	if f.Overdue {
		where = append(where, "c.status IN ('open', 'responded') AND "+complaintNext+" > 0 AND "+complaintNext+" < "+arg(ms(f.OverdueAt)))
	}
	if !f.CreatedFrom.IsZero() {
		where = append(where, "c.created_at >= "+arg(ms(f.CreatedFrom)))
	}
	if !f.CreatedTo.IsZero() {
		where = append(where, "c.created_at < "+arg(ms(f.CreatedTo)))
	}
	q := `SELECT ` + complaintCols + ` FROM complaints c JOIN tickets t ON t.id = c.ticket_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Sort == "created" {
		q += " ORDER BY c.created_at DESC, c.ticket_id"
	} else {
		// Active complaints by the deadline they work towards (none last),
		// then the finished ones, newest first.
		q += ` ORDER BY CASE WHEN c.status IN ('open', 'responded') THEN 0 ELSE 1 END,
			CASE WHEN c.status IN ('open', 'responded') AND ` + complaintNext + ` > 0 THEN ` + complaintNext + ` ELSE 9223372036854775807 END,
			c.created_at DESC, c.ticket_id`
	}
	q += " LIMIT " + arg(f.Limit) + " OFFSET " + arg(f.Offset)
	rows, err := r.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "complaints")
	}
	defer rows.Close()
	out := []desk.Complaint{}
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, wrap(err, "complaints")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "complaints")
}

func (t *txn) PutComplaint(ctx context.Context, c desk.Complaint) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO complaints (ticket_id, source, regulator_ref, severity, summary, wants,
		owner_id, team_id, status, filed_by, policy_id, created_at, accepted_at, first_response_at, resolved_at,
		deadline_first_response, deadline_resolution, regulator_due, withdrawn_at, withdrawn_by, withdrawn_reason, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		ON CONFLICT (ticket_id) DO UPDATE SET source = excluded.source, regulator_ref = excluded.regulator_ref,
		severity = excluded.severity, summary = excluded.summary, wants = excluded.wants, owner_id = excluded.owner_id,
		team_id = excluded.team_id, status = excluded.status, filed_by = excluded.filed_by, policy_id = excluded.policy_id,
		created_at = excluded.created_at, accepted_at = excluded.accepted_at, first_response_at = excluded.first_response_at,
		resolved_at = excluded.resolved_at, deadline_first_response = excluded.deadline_first_response,
		deadline_resolution = excluded.deadline_resolution, regulator_due = excluded.regulator_due,
		withdrawn_at = excluded.withdrawn_at, withdrawn_by = excluded.withdrawn_by,
		withdrawn_reason = excluded.withdrawn_reason, updated_at = excluded.updated_at`,
		c.TicketID, string(c.Source), c.RegulatorRef, string(c.Severity), c.Summary, c.Wants,
		c.OwnerID, c.TeamID, string(c.Status), c.FiledBy, c.PolicyID, ms(c.CreatedAt), msPtr(c.AcceptedAt),
		msPtr(c.FirstResponseAt), msPtr(c.ResolvedAt), msPtr(c.DeadlineFirstResponse), msPtr(c.DeadlineResolution),
		msPtr(c.RegulatorDue), msPtr(c.WithdrawnAt), c.WithdrawnBy, c.WithdrawnReason, ms(c.UpdatedAt))
	return wrap(err, "put complaint of ticket %s", c.TicketID)
}

func (r reader) ComplaintDefaultDone(ctx context.Context, name string) (bool, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM complaint_defaults WHERE name = $1`, name).Scan(&n)
	return n > 0, wrap(err, "complaint default %s", name)
}

func (t *txn) MarkComplaintDefault(ctx context.Context, name string, at time.Time) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO complaint_defaults (name, done_at) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, ms(at))
	return wrap(err, "mark complaint default %s", name)
}
