package store

import (
	"context"
	"strconv"
	"strings"

	"huiliu/desk"
)

// KPIExtras counts the satisfaction surveys, complaints and quality reviews
// of each span from their own tables (each indexed by time, and small next
// to the tickets): one query per table for all spans. Channel and category come from the ticket; agent
// and team from the row itself.
func (r reader) KPIExtras(ctx context.Context, f desk.KPIFilter, spans []desk.Span) ([]desk.KPIExtra, error) {
	out := make([]desk.KPIExtra, len(spans))
	if len(spans) == 0 {
		return out, nil
	}
	type source struct {
		table, at, agent, team, sums string
		dest                         func(x *desk.KPIExtra) []any
	}
	for _, s := range []source{
		{"csat_surveys", "created_at", "agent_id", "team_id",
			`COUNT(*), COALESCE(SUM(CASE WHEN x.answered_at > 0 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.answered_at > 0 THEN x.score ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN x.answered_at > 0 AND x.score >= 4 THEN 1 ELSE 0 END), 0)`,
			func(x *desk.KPIExtra) []any {
				return []any{&x.SurveysSent, &x.SurveysAnswered, &x.ScoreSum, &x.Satisfied}
			}},
		{"complaints", "created_at", "owner_id", "team_id",
			`COALESCE(SUM(CASE WHEN x.status <> 'withdrawn' THEN 1 ELSE 0 END), 0)`,
			func(x *desk.KPIExtra) []any { return []any{&x.Complaints} }},
		{"qa_reviews", "submitted_at", "agent_id", "",
			`COUNT(*), COALESCE(SUM(x.total), 0)`,
			func(x *desk.KPIExtra) []any { return []any{&x.Reviews, &x.ReviewSum} }},
	} {
		// Spans are consecutive: the row's period is the last start at or
		// before its time.
		at := "x." + s.at
		var args []any
		arg := func(v any) string {
			args = append(args, v)
			return "$" + strconv.Itoa(len(args))
		}
		var period strings.Builder
		period.WriteString("CASE")
		for i := len(spans) - 1; i > 0; i-- {
			period.WriteString(" WHEN " + at + " >= " + arg(ms(spans[i].From)) + " THEN " + strconv.Itoa(i))
		}
		period.WriteString(" ELSE 0 END")
		q := `SELECT ` + period.String() + ` AS p, ` + s.sums + ` FROM ` + s.table + ` x JOIN tickets t ON t.id = x.ticket_id
			WHERE ` + at + ` >= ` + arg(ms(spans[0].From)) + ` AND ` + at + ` < ` + arg(ms(spans[len(spans)-1].To))
		cond := func(col, v string) {
			if v != "" {
				q += " AND " + col + " = " + arg(v)
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
		rows, err := r.q.QueryContext(ctx, q+" GROUP BY p", args...)
		if err != nil {
			return nil, wrap(err, "kpi %s", s.table)
		}
		for rows.Next() {
			var p int
			var x desk.KPIExtra
			if err := rows.Scan(append([]any{&p}, s.dest(&x)...)...); err != nil {
				rows.Close()
				return nil, wrap(err, "kpi %s", s.table)
			}
			if p >= 0 && p < len(out) {
				o := &out[p]
				o.SurveysSent += x.SurveysSent
				o.SurveysAnswered += x.SurveysAnswered
				o.ScoreSum += x.ScoreSum
				o.Satisfied += x.Satisfied
				o.Complaints += x.Complaints
				o.Reviews += x.Reviews
				o.ReviewSum += x.ReviewSum
			}
		}
		if err := rows.Close(); err != nil {
			return nil, wrap(err, "kpi %s", s.table)
		}
		if err := rows.Err(); err != nil {
			return nil, wrap(err, "kpi %s", s.table)
		}
	}
	return out, nil
}
