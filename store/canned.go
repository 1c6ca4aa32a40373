package store

import (
	"context"
	"strconv"
	"strings"

	"huiliu/desk"
)

const cannedCols = `id, team_id, title, text, created_by, created_at, article_id`

func (r reader) CannedReplies(ctx context.Context, teamIDs []string) ([]desk.CannedReply, error) {
	query := `SELECT ` + cannedCols + ` FROM canned_replies`
	var args []any
	if teamIDs != nil {
		ps := []string{"''"}
		for _, id := range teamIDs {
			args = append(args, id)
			ps = append(ps, "$"+strconv.Itoa(len(args)))
		}
		query += ` WHERE team_id IN (` + strings.Join(ps, ", ") + `)`
	}
	rows, err := r.q.QueryContext(ctx, query+` ORDER BY team_id, title, id`, args...)
	if err != nil {
		return nil, wrap(err, "canned replies")
	}
	defer rows.Close()
	out := []desk.CannedReply{}
	for rows.Next() {
		c, err := scanCanned(rows)
		if err != nil {
			return nil, wrap(err, "canned replies")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "canned replies")
}

func scanCanned(s scanner) (desk.CannedReply, error) {
	var c desk.CannedReply
	var created int64
	err := s.Scan(&c.ID, &c.TeamID, &c.Title, &c.Text, &c.CreatedBy, &created, &c.ArticleID)
	c.CreatedAt = fromMs(created)
	return c, err
}

func (r reader) CannedReply(ctx context.Context, id string) (desk.CannedReply, error) {
	c, err := scanCanned(r.q.QueryRowContext(ctx, `SELECT `+cannedCols+` FROM canned_replies WHERE id = $1`, id))
	return c, wrap(err, "canned reply %s", id)
}

func (t *txn) InsertCannedReply(ctx context.Context, c desk.CannedReply) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO canned_replies (`+cannedCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.ID, c.TeamID, c.Title, c.Text, c.CreatedBy, ms(c.CreatedAt), c.ArticleID)
	return wrap(err, "insert canned reply %s", c.ID)
}

func (t *txn) UpdateCannedReply(ctx context.Context, c desk.CannedReply) error {
	res, err := t.q.ExecContext(ctx, `UPDATE canned_replies SET team_id = $2, title = $3, text = $4, article_id = $5 WHERE id = $1`,
		c.ID, c.TeamID, c.Title, c.Text, c.ArticleID)
	return affected(res, err, "update canned reply %s", c.ID)
}

func (t *txn) DeleteCannedReply(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM canned_replies WHERE id = $1`, id)
	return affected(res, err, "delete canned reply %s", id)
}
