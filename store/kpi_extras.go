package store

import (
	"context"
	"strconv"
	"time"

	"huiliu/desk"
)

// KPIExtras counts the satisfaction surveys, complaints and quality reviews
// of a period from their own tables (each indexed by time, and small next
// to the tickets), where those features are installed. Channel and
// category come from the ticket; agent and team from the row itself.
func (r reader) KPIExtras(ctx context.Context, f desk.KPIFilter, from, to time.Time) (desk.KPIExtra, error) {
	var x desk.KPIExtra
	type source struct {
		table, at, agent, team, sums string
		dest                         []any
	}
	for _, s := range []source{
		{"csat_surveys", "created_at", "agent_id", "team_id",
			`COUNT(*), COALESCE(SUM(CASE WHEN x.answered_at > 0 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.answered_at > 0 THEN x.score ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.answered_at > 0 AND x.score >= 4 THEN 1 ELSE 0 END), 0)`,
			[]any{&x.SurveysSent, &x.SurveysAnswered, &x.ScoreSum, &x.Satisfied}},
		{"complaints", "created_at", "owner_id", "team_id",
			`COALESCE(SUM(CASE WHEN x.status <> 'withdrawn' THEN 1 ELSE 0 END), 0)`,
			[]any{&x.Complaints}},
		{"qa_reviews", "submitted_at", "agent_id", "",
			`COUNT(*), COALESCE(SUM(x.total), 0)`,
			[]any{&x.Reviews, &x.ReviewSum}},
	} {
		ok, err := r.tableExists(ctx, s.table)
		if err != nil {
			return x, err
		}
		if !ok {
			continue
		}
		args := []any{ms(from), ms(to)}
		q := `SELECT ` + s.sums + ` FROM ` + s.table + ` x JOIN tickets t ON t.id = x.ticket_id
			WHERE x.` + s.at + ` >= $1 AND x.` + s.at + ` < $2`
		cond := func(col, v string) {
			if v != "" {
				args = append(args, v)
				q += " AND " + col + " = $" + strconv.Itoa(len(args))
			}
		}
		cond("x."+s.agent, f.AgentID)
		if s.team != "" {
			cond("x."+s.team, f.TeamID)
		} else {
			cond("t.team_id", f.TeamID)
		}
		cond("t.channel", f.Channel)
		cond("t.category", f.Category)
		if s.table == "qa_reviews" {
			// Calibration copies score the same ticket again; only the
			// review of record counts.
			q += " AND x.submitted_at > 0 AND x.calibration_id = ''"
		}
		if err := scanOptional(r.q.QueryRowContext(ctx, q, args...), s.dest...); err != nil {
			return x, wrap(err, "kpi %s", s.table)
		}
	}
	return x, nil
}
