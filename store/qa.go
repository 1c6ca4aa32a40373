package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"huiliu/desk"
)

var (
	_ desk.QAReader = (*DB)(nil)
	_ desk.QATx     = (*txn)(nil)
)

const qaCardCols = `c.id, c.name, v.version, c.version, v.criteria, v.created_by, c.created_at, c.updated_at`

func scanQACard(row scanner) (desk.QAScorecard, error) {
	var c desk.QAScorecard
	var crit string
	var created, updated int64
	if err := row.Scan(&c.ID, &c.Name, &c.Version, &c.Current, &crit, &c.CreatedBy, &created, &updated); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(crit), &c.Criteria); err != nil {
		return c, fmt.Errorf("criteria of scorecard %s: %w", c.ID, err)
	}
	c.CreatedAt, c.UpdatedAt = fromMs(created), fromMs(updated)
	return c, nil
}

func (r reader) QAScorecards(ctx context.Context) ([]desk.QAScorecard, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+qaCardCols+` FROM qa_scorecards c
		JOIN qa_scorecard_versions v ON v.scorecard_id = c.id AND v.version = c.version
		WHERE c.archived_at = 0 ORDER BY c.name, c.id`)
	if err != nil {
		return nil, wrap(err, "qa scorecards")
	}
	defer rows.Close()
	out := []desk.QAScorecard{}
	for rows.Next() {
		c, err := scanQACard(rows)
		if err != nil {
			return nil, wrap(err, "qa scorecards")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "qa scorecards")
}

func (r reader) QAScorecard(ctx context.Context, id string, version int) (desk.QAScorecard, error) {
	c, err := scanQACard(r.q.QueryRowContext(ctx, `SELECT `+qaCardCols+` FROM qa_scorecards c
		JOIN qa_scorecard_versions v ON v.scorecard_id = c.id
		WHERE c.id = $1 AND v.version = CASE WHEN $2 = 0 THEN c.version ELSE $2 END`, id, version))
	return c, wrap(err, "qa scorecard %s v%d", id, version)
}

func (t *txn) InsertQAScorecard(ctx context.Context, c desk.QAScorecard) error {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO qa_scorecards (id, name, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, c.Name, c.Version, ms(c.CreatedAt), ms(c.UpdatedAt)); err != nil {
		return wrap(err, "insert qa scorecard %s", c.ID)
	}
	return t.insertQACardVersion(ctx, c)
}

func (t *txn) insertQACardVersion(ctx context.Context, c desk.QAScorecard) error {
	crit, err := json.Marshal(c.Criteria)
	if err != nil {
		return fmt.Errorf("store: qa scorecard %s: %w", c.ID, err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO qa_scorecard_versions (scorecard_id, version, criteria, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		c.ID, c.Version, string(crit), c.CreatedBy, ms(c.UpdatedAt))
	return wrap(err, "insert qa scorecard %s v%d", c.ID, c.Version)
}

func (t *txn) PutQAScorecardVersion(ctx context.Context, c desk.QAScorecard) error {
	if err := t.insertQACardVersion(ctx, c); err != nil {
		return err
	}
	// Only from the version before: a racing save of the same version
	// failed above, and one that moved on leaves this row alone.
	res, err := t.q.ExecContext(ctx, `UPDATE qa_scorecards SET name = $2, version = $3, updated_at = $4 WHERE id = $1 AND version = $5`,
		c.ID, c.Name, c.Version, ms(c.UpdatedAt), c.Version-1)
	if err != nil {
		return wrap(err, "update qa scorecard %s", c.ID)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update qa scorecard %s: %w", c.ID, desk.ErrConflict)
	}
	return nil
}

const qaPlanCols = `id, name, scorecard_id, team_id, per_agent, rules, reviewers, rr_next, active, created_at, updated_at`

func scanQAPlan(row scanner) (desk.QAPlan, error) {
	var p desk.QAPlan
	var rules, reviewers string
	var active, created, updated int64
	if err := row.Scan(&p.ID, &p.Name, &p.ScorecardID, &p.TeamID, &p.PerAgent, &rules, &reviewers, &p.RRNext, &active, &created, &updated); err != nil {
		return p, err
	}
	p.Rules, p.Reviewers = splitTags(rules), splitTags(reviewers)
	p.Active, p.CreatedAt, p.UpdatedAt = active != 0, fromMs(created), fromMs(updated)
	return p, nil
}

func (r reader) QAPlans(ctx context.Context) ([]desk.QAPlan, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+qaPlanCols+` FROM qa_plans ORDER BY name, id`)
	if err != nil {
		return nil, wrap(err, "qa plans")
	}
	defer rows.Close()
	out := []desk.QAPlan{}
	for rows.Next() {
		p, err := scanQAPlan(rows)
		if err != nil {
			return nil, wrap(err, "qa plans")
		}
		out = append(out, p)
	}
	return out, wrap(rows.Err(), "qa plans")
}

func (r reader) QAPlan(ctx context.Context, id string) (desk.QAPlan, error) {
	p, err := scanQAPlan(r.q.QueryRowContext(ctx, `SELECT `+qaPlanCols+` FROM qa_plans WHERE id = $1`, id))
	return p, wrap(err, "qa plan %s", id)
}

func (t *txn) InsertQAPlan(ctx context.Context, p desk.QAPlan) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO qa_plans (`+qaPlanCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.Name, p.ScorecardID, p.TeamID, p.PerAgent, joinTags(p.Rules), joinTags(p.Reviewers), p.RRNext, boolInt(p.Active), ms(p.CreatedAt), ms(p.UpdatedAt))
	return wrap(err, "insert qa plan %s", p.ID)
}

func (t *txn) UpdateQAPlan(ctx context.Context, p desk.QAPlan) error {
	res, err := t.q.ExecContext(ctx, `UPDATE qa_plans SET name = $2, scorecard_id = $3, team_id = $4, per_agent = $5, rules = $6,
		reviewers = $7, rr_next = $8, active = $9, updated_at = $10 WHERE id = $1`,
		p.ID, p.Name, p.ScorecardID, p.TeamID, p.PerAgent, joinTags(p.Rules), joinTags(p.Reviewers), p.RRNext, boolInt(p.Active), ms(p.UpdatedAt))
	return affected(res, err, "update qa plan %s", p.ID)
}

func (t *txn) SetQAPlanCursor(ctx context.Context, id string, next int) error {
	res, err := t.q.ExecContext(ctx, `UPDATE qa_plans SET rr_next = $2 WHERE id = $1`, id, next)
	return affected(res, err, "qa plan cursor %s", id)
}

func (r reader) QARun(ctx context.Context, planID, week string) (desk.QARun, error) {
	run := desk.QARun{PlanID: planID, Week: week}
	var created int64
	err := r.q.QueryRowContext(ctx, `SELECT samples, started_by, created_at FROM qa_runs WHERE plan_id = $1 AND week = $2`, planID, week).
		Scan(&run.Samples, &run.StartedBy, &created)
	run.CreatedAt = fromMs(created)
	return run, wrap(err, "qa run %s %s", planID, week)
}

func (t *txn) InsertQARun(ctx context.Context, run desk.QARun) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO qa_runs (plan_id, week, samples, started_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		run.PlanID, run.Week, run.Samples, run.StartedBy, ms(run.CreatedAt))
	return wrap(err, "insert qa run %s %s", run.PlanID, run.Week)
}

func (r reader) QACandidates(ctx context.Context, from, to time.Time, teamID string, limit int) ([]desk.QACandidate, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT t.id, t.number, t.channel, t.category, t.team_id, t.owner_id, t.assignee_id, t.handoff,
		t.updated_at, COALESCE(s.clocks, '')
		FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id
		WHERE t.status IN ('resolved', 'closed') AND t.updated_at >= $1 AND t.updated_at < $2 AND ($3 = '' OR t.team_id = $3)
		ORDER BY t.id LIMIT $4`, ms(from), ms(to), teamID, limit)
	if err != nil {
		return nil, wrap(err, "qa candidates")
	}
	defer rows.Close()
	out := []desk.QACandidate{}
	for rows.Next() {
		var c desk.QACandidate
		var handoff, closed int64
		if err := rows.Scan(&c.TicketID, &c.Number, &c.Channel, &c.Category, &c.TeamID, &c.OwnerID, &c.AssigneeID, &handoff, &closed, &c.SLAClocks); err != nil {
			return nil, wrap(err, "qa candidates")
		}
		c.Handoff, c.ClosedAt = handoff != 0, fromMs(closed)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "qa candidates")
	}
	// Who wrote on them, a chunk of tickets per query.
	for i := 0; i < len(out); i += qaChunk {
		part := out[i:min(i+qaChunk, len(out))]
		ids := make([]string, len(part))
		at := map[string]int{}
		for j, c := range part {
			ids[j], at[c.TicketID] = c.TicketID, i+j
		}
		q, args := inList(`SELECT DISTINCT ticket_id, author_id FROM messages WHERE author_kind = 'agent' AND author_id <> '' AND direction <> 'system' AND ticket_id IN `, ids)
		err := eachRow(ctx, r.q, q, args, func(rows scanner) error {
			var tid, aid string
			if err := rows.Scan(&tid, &aid); err != nil {
				return err
			}
			out[at[tid]].Workers = append(out[at[tid]].Workers, aid)
			return nil
		})
		if err != nil {
			return nil, wrap(err, "qa candidates: workers")
		}
	}
	return out, nil
}

// qaChunk is how many ticket ids one IN list carries.
const qaChunk = 500

// inList appends ($1, $2, …) for ids to prefix.
func inList(prefix string, ids []string, extra ...any) (string, []any) {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('(')
	args := append([]any{}, extra...)
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, id)
		fmt.Fprintf(&b, "$%d", len(args))
	}
	b.WriteByte(')')
	return b.String(), args
}

func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r reader) QALowCSAT(ctx context.Context, ticketIDs []string, maxScore int) (map[string]bool, error) {
	out := map[string]bool{}
	for i := 0; i < len(ticketIDs); i += qaChunk {
		q, args := inList(`SELECT DISTINCT ticket_id FROM csat_surveys WHERE answered_at > 0 AND score <= $1 AND ticket_id IN `,
			ticketIDs[i:min(i+qaChunk, len(ticketIDs))], maxScore)
		err := eachRow(ctx, r.q, q, args, func(rows scanner) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out[id] = true
			return nil
		})
		if err != nil {
			return nil, wrap(err, "qa low csat")
		}
	}
	return out, nil
}

func (r reader) QATicketWorkers(ctx context.Context, ticketID string) ([]string, error) {
	out := []string{}
	err := eachRow(ctx, r.q, `SELECT DISTINCT author_id FROM messages WHERE ticket_id = $1 AND author_kind = 'agent' AND author_id <> '' AND direction <> 'system'`,
		[]any{ticketID}, func(rows scanner) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
			return nil
		})
	return out, wrap(err, "qa workers of %s", ticketID)
}

const qaReviewCols = `r.id, r.ticket_id, t.number, r.agent_id, r.reviewer_id, r.scorecard_id, r.scorecard_version, r.plan_id, r.week,
	r.reason, r.channel, r.calibration_id, r.scores, r.note, r.total, r.original_total, r.status, r.created_at, r.submitted_at,
	r.acknowledged_at, r.dispute_reason, r.disputed_at, r.settled_by, r.settled_at, r.settle_outcome, r.settle_note`

func scanQAReview(row scanner) (desk.QAReview, error) {
	var v desk.QAReview
	var scores string
	var created, submitted, acked, disputed, settled int64
	if err := row.Scan(&v.ID, &v.TicketID, &v.TicketNumber, &v.AgentID, &v.ReviewerID, &v.ScorecardID, &v.ScorecardVersion, &v.PlanID, &v.Week,
		&v.Reason, &v.Channel, &v.CalibrationID, &scores, &v.Note, &v.Total, &v.OriginalTotal, &v.Status, &created, &submitted,
		&acked, &v.DisputeReason, &disputed, &v.SettledBy, &settled, &v.SettleOutcome, &v.SettleNote); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(scores), &v.Scores); err != nil {
		return v, fmt.Errorf("scores of review %s: %w", v.ID, err)
	}
	v.CreatedAt, v.SubmittedAt, v.AcknowledgedAt = fromMs(created), fromMs(submitted), fromMs(acked)
	v.DisputedAt, v.SettledAt = fromMs(disputed), fromMs(settled)
	return v, nil
}

func (r reader) QAReview(ctx context.Context, id string) (desk.QAReview, error) {
	v, err := scanQAReview(r.q.QueryRowContext(ctx, `SELECT `+qaReviewCols+` FROM qa_reviews r JOIN tickets t ON t.id = r.ticket_id WHERE r.id = $1`, id))
	return v, wrap(err, "qa review %s", id)
}

func (r reader) QAReviews(ctx context.Context, f desk.QAReviewFilter) ([]desk.QAReview, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.ReviewerID != "" {
		where = append(where, "r.reviewer_id = "+arg(f.ReviewerID))
	}
	if f.AgentID != "" {
		where = append(where, "r.agent_id = "+arg(f.AgentID))
	}
	if f.CalibrationID != "" {
		where = append(where, "r.calibration_id = "+arg(f.CalibrationID))
	}
	if f.NoCalibration {
		where = append(where, "r.calibration_id = ''")
	}
	if f.Scored {
		where = append(where, "r.submitted_at > 0")
	}
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ph[i] = arg(s)
		}
		where = append(where, "r.status IN ("+strings.Join(ph, ", ")+")")
	}
	q := `SELECT ` + qaReviewCols + ` FROM qa_reviews r JOIN tickets t ON t.id = r.ticket_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit < 1 {
		limit = 100
	}
	q += " ORDER BY r.created_at DESC, r.id DESC LIMIT " + arg(limit)
	out := []desk.QAReview{}
	err := eachRow(ctx, r.q, q, args, func(rows scanner) error {
		v, err := scanQAReview(rows)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	return out, wrap(err, "qa reviews")
}

func (t *txn) InsertQAReview(ctx context.Context, v desk.QAReview) error {
	scores, err := json.Marshal(v.Scores)
	if err != nil {
		return fmt.Errorf("store: qa review %s: %w", v.ID, err)
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO qa_reviews (id, ticket_id, agent_id, reviewer_id, scorecard_id, scorecard_version, plan_id, week,
		reason, channel, calibration_id, scores, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		v.ID, v.TicketID, v.AgentID, v.ReviewerID, v.ScorecardID, v.ScorecardVersion, v.PlanID, v.Week,
		v.Reason, v.Channel, v.CalibrationID, string(scores), v.Status, ms(v.CreatedAt))
	return wrap(err, "insert qa review %s", v.ID)
}

func (t *txn) UpdateQAReview(ctx context.Context, v desk.QAReview) error {
	scores, err := json.Marshal(v.Scores)
	if err != nil {
		return fmt.Errorf("store: qa review %s: %w", v.ID, err)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE qa_reviews SET scores = $2, note = $3, total = $4, original_total = $5, status = $6,
		submitted_at = $7, acknowledged_at = $8, dispute_reason = $9, disputed_at = $10, settled_by = $11, settled_at = $12,
		settle_outcome = $13, settle_note = $14 WHERE id = $1`,
		v.ID, string(scores), v.Note, v.Total, v.OriginalTotal, v.Status, ms(v.SubmittedAt), ms(v.AcknowledgedAt),
		v.DisputeReason, ms(v.DisputedAt), v.SettledBy, ms(v.SettledAt), v.SettleOutcome, v.SettleNote)
	return affected(res, err, "update qa review %s", v.ID)
}

func (r reader) QAComments(ctx context.Context, reviewID string) ([]desk.QAComment, error) {
	out := []desk.QAComment{}
	err := eachRow(ctx, r.q, `SELECT id, review_id, message_id, author_id, text, created_at FROM qa_comments WHERE review_id = $1 ORDER BY created_at, id`,
		[]any{reviewID}, func(rows scanner) error {
			var c desk.QAComment
			var at int64
			if err := rows.Scan(&c.ID, &c.ReviewID, &c.MessageID, &c.AuthorID, &c.Text, &at); err != nil {
				return err
			}
			c.CreatedAt = fromMs(at)
			out = append(out, c)
			return nil
		})
	return out, wrap(err, "qa comments of %s", reviewID)
}

func (t *txn) InsertQAComment(ctx context.Context, c desk.QAComment) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO qa_comments (id, review_id, message_id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.ID, c.ReviewID, c.MessageID, c.AuthorID, c.Text, ms(c.CreatedAt))
	return wrap(err, "insert qa comment %s", c.ID)
}

func (r reader) QACalibration(ctx context.Context, id string) (desk.QACalibration, error) {
	c := desk.QACalibration{ID: id}
	var at int64
	err := r.q.QueryRowContext(ctx, `SELECT ticket_id, scorecard_id, scorecard_version, created_by, created_at FROM qa_calibrations WHERE id = $1`, id).
		Scan(&c.TicketID, &c.ScorecardID, &c.ScorecardVersion, &c.CreatedBy, &at)
	c.CreatedAt = fromMs(at)
	return c, wrap(err, "qa calibration %s", id)
}

func (t *txn) InsertQACalibration(ctx context.Context, c desk.QACalibration) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO qa_calibrations (id, ticket_id, scorecard_id, scorecard_version, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.ID, c.TicketID, c.ScorecardID, c.ScorecardVersion, c.CreatedBy, ms(c.CreatedAt))
	return wrap(err, "insert qa calibration %s", c.ID)
}
