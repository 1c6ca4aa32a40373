package store

import (
	"context"
	"strings"

	"huiliu/desk"
)

const siteCols = `id, site_key, name, secret, origins, greeting, hours_note, created_at, updated_at, previous_secret, previous_until`

func scanSite(s scanner) (desk.Site, error) {
	var st desk.Site
	var origins string
	var created, updated, prevUntil int64
	err := s.Scan(&st.ID, &st.Key, &st.Name, &st.Secret, &origins, &st.Greeting, &st.HoursNote, &created, &updated,
		&st.PreviousSecret, &prevUntil)
	st.Origins = []string{}
	if origins != "" {
		// Origins never hold a space (NormalizeOrigin), so one text holds all.
		st.Origins = strings.Split(origins, " ")
	}
	st.CreatedAt, st.UpdatedAt = fromMs(created), fromMs(updated)
	st.PreviousUntil = fromMs(prevUntil)
	return st, err
}

func (r reader) Sites(ctx context.Context) ([]desk.Site, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+siteCols+` FROM sites ORDER BY name, id`)
	if err != nil {
		return nil, wrap(err, "sites")
	}
	defer rows.Close()
	out := []desk.Site{}
	for rows.Next() {
		st, err := scanSite(rows)
		if err != nil {
			return nil, wrap(err, "sites")
		}
		out = append(out, st)
	}
	return out, wrap(rows.Err(), "sites")
}

func (r reader) Site(ctx context.Context, id string) (desk.Site, error) {
	st, err := scanSite(r.q.QueryRowContext(ctx, `SELECT `+siteCols+` FROM sites WHERE id = $1`, id))
	return st, wrap(err, "site %s", id)
}

func (r reader) SiteByKey(ctx context.Context, key string) (desk.Site, error) {
	st, err := scanSite(r.q.QueryRowContext(ctx, `SELECT `+siteCols+` FROM sites WHERE site_key = $1`, key))
	return st, wrap(err, "site with key %s", key)
}

func (t *txn) InsertSite(ctx context.Context, st desk.Site) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO sites (`+siteCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		st.ID, st.Key, st.Name, st.Secret, strings.Join(st.Origins, " "), st.Greeting, st.HoursNote,
		ms(st.CreatedAt), ms(st.UpdatedAt), st.PreviousSecret, ms(st.PreviousUntil))
	return wrap(err, "insert site %s", st.ID)
}

func (t *txn) UpdateSite(ctx context.Context, st desk.Site) error {
	res, err := t.q.ExecContext(ctx, `UPDATE sites SET name = $2, secret = $3, origins = $4, greeting = $5,
		hours_note = $6, updated_at = $7, previous_secret = $8, previous_until = $9 WHERE id = $1`,
		st.ID, st.Name, st.Secret, strings.Join(st.Origins, " "), st.Greeting, st.HoursNote, ms(st.UpdatedAt),
		st.PreviousSecret, ms(st.PreviousUntil))
	return affected(res, err, "update site %s", st.ID)
}
