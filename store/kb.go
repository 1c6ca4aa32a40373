package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
	"huiliu/kb"
)

var _ kb.Store = (*DB)(nil)

const kbArticleCols = `id, group_id, locale, title, body, html, summary, category, tags, visibility, status,
	version, author_id, review_note, created_at, updated_at, published_at`

func scanKBArticle(s scanner) (kb.Article, error) {
	var a kb.Article
	var tags, vis, status string
	var created, updated, published int64
	err := s.Scan(&a.ID, &a.Group, &a.Locale, &a.Title, &a.Body, &a.HTML, &a.Summary, &a.Category, &tags, &vis, &status,
		&a.Version, &a.AuthorID, &a.ReviewNote, &created, &updated, &published)
	a.Tags = splitTags(tags)
	a.Visibility, a.Status = kb.Visibility(vis), kb.Status(status)
	a.CreatedAt, a.UpdatedAt, a.PublishedAt = fromMs(created), fromMs(updated), fromMs(published)
	return a, err
}

// KBArticle returns an article's working copy.
func (db *DB) KBArticle(ctx context.Context, id string) (kb.Article, error) {
	a, err := scanKBArticle(db.r.QueryRowContext(ctx, `SELECT `+kbArticleCols+` FROM kb_articles WHERE id = $1`, id))
	return a, wrap(err, "kb article %s", id)
}

// KBArticles lists working copies, newest change first.
func (db *DB) KBArticles(ctx context.Context, f kb.ListFilter) ([]kb.Article, error) {
	var where []string
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("status", string(f.Status))
	add("locale", f.Locale)
	add("category", f.Category)
	add("group_id", f.Group)
	q := `SELECT ` + kbArticleCols + ` FROM kb_articles`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	args = append(args, limit)
	q += ` ORDER BY updated_at DESC, id LIMIT $` + strconv.Itoa(len(args))
	return db.kbArticleRows(ctx, q, args...)
}

func (db *DB) kbArticleRows(ctx context.Context, q string, args ...any) ([]kb.Article, error) {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap(err, "kb articles")
	}
	defer rows.Close()
	out := []kb.Article{}
	for rows.Next() {
		a, err := scanKBArticle(rows)
		if err != nil {
			return nil, wrap(err, "kb articles")
		}
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "kb articles")
}

func kbArticleArgs(a kb.Article) []any {
	return []any{a.ID, a.Group, a.Locale, a.Title, a.Body, a.HTML, a.Summary, a.Category, joinTags(a.Tags),
		string(a.Visibility), string(a.Status), a.Version, a.AuthorID, a.ReviewNote,
		ms(a.CreatedAt), ms(a.UpdatedAt), ms(a.PublishedAt)}
}

// KBInsertArticle stores a new working copy; a second article in one
// locale of a group is a conflict.
func (db *DB) KBInsertArticle(ctx context.Context, a kb.Article) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kb_articles (`+kbArticleCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, kbArticleArgs(a)...)
		return wrap(err, "insert kb article %s", a.ID)
	})
}

// KBUpdateArticle rewrites a working copy if nobody changed it since prev.
func (db *DB) KBUpdateArticle(ctx context.Context, a kb.Article, prev time.Time) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		return kbUpdate(ctx, tx.(*txn), a, prev)
	})
}

func kbUpdate(ctx context.Context, t *txn, a kb.Article, prev time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE kb_articles SET locale = $2, title = $3, body = $4, html = $5, summary = $6,
		category = $7, tags = $8, visibility = $9, status = $10, version = $11, author_id = $12, review_note = $13,
		updated_at = $14, published_at = $15
		WHERE id = $1 AND updated_at = $16`,
		a.ID, a.Locale, a.Title, a.Body, a.HTML, a.Summary, a.Category, joinTags(a.Tags), string(a.Visibility),
		string(a.Status), a.Version, a.AuthorID, a.ReviewNote, ms(a.UpdatedAt), ms(a.PublishedAt), ms(prev))
	if err != nil {
		return wrap(err, "update kb article %s", a.ID)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return wrap(err, "update kb article %s", a.ID)
		}
		return wrap(desk.ErrConflict, "update kb article %s: changed meanwhile", a.ID)
	}
	return nil
}

// bumpKB advances the generation inside a transaction and returns it.
func bumpKB(ctx context.Context, t *txn) (int64, error) {
	var gen int64
	err := t.q.QueryRowContext(ctx, `UPDATE kb_state SET generation = generation + 1 WHERE id = 1 RETURNING generation`).Scan(&gen)
	return gen, wrap(err, "kb generation")
}

// KBPublish stores v, marks the working copy published and advances the
// generation in one transaction. The working copy must not have changed
// since it was read (its UpdatedAt is the guard).
func (db *DB) KBPublish(ctx context.Context, a kb.Article, v kb.Version) (int64, error) {
	var gen int64
	err := db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		prev := a.UpdatedAt
		a.UpdatedAt = v.PublishedAt
		if err := kbUpdate(ctx, t, a, prev); err != nil {
			return err
		}
		_, err := t.q.ExecContext(ctx, `INSERT INTO kb_versions (article_id, version, locale, title, body, html, summary,
			category, tags, visibility, author_id, approved_by, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			v.ArticleID, v.Version, v.Locale, v.Title, v.Body, v.HTML, v.Summary, v.Category, joinTags(v.Tags),
			string(v.Visibility), v.AuthorID, v.ApprovedBy, ms(v.PublishedAt))
		if err != nil {
			return wrap(err, "insert kb version %s/%d", v.ArticleID, v.Version)
		}
		gen, err = bumpKB(ctx, t)
		return err
	})
	return gen, err
}

// KBUnpublish hides an article from readers and records audit: its working copy becomes a
// draft of the last version and readers see nothing until the next
// approval.
func (db *DB) KBUnpublish(ctx context.Context, id string, at time.Time, audit desk.AuditEntry) (int64, error) {
	var gen int64
	err := db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		res, err := t.q.ExecContext(ctx, `UPDATE kb_articles SET published_at = 0, status = $2, updated_at = $3 WHERE id = $1`,
			id, string(kb.Draft), ms(at))
		if err := affected(res, err, "unpublish kb article %s", id); err != nil {
			return err
		}
		if err := t.InsertAudit(ctx, audit); err != nil {
			return err
		}
		gen, err = bumpKB(ctx, t)
		return err
	})
	return gen, err
}

// KBVersions lists an article's published versions, newest first.
func (db *DB) KBVersions(ctx context.Context, id string) ([]kb.Version, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT article_id, version, locale, title, body, html, summary, category, tags,
		visibility, author_id, approved_by, published_at FROM kb_versions WHERE article_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, wrap(err, "kb versions %s", id)
	}
	defer rows.Close()
	out := []kb.Version{}
	for rows.Next() {
		var v kb.Version
		var tags, vis string
		var at int64
		if err := rows.Scan(&v.ArticleID, &v.Version, &v.Locale, &v.Title, &v.Body, &v.HTML, &v.Summary, &v.Category,
			&tags, &vis, &v.AuthorID, &v.ApprovedBy, &at); err != nil {
			return nil, wrap(err, "kb versions %s", id)
		}
		v.Tags, v.Visibility, v.PublishedAt = splitTags(tags), kb.Visibility(vis), fromMs(at)
		out = append(out, v)
	}
	return out, wrap(rows.Err(), "kb versions %s", id)
}

// KBPublishedDocs returns what readers see of published articles: the
// working copy's identity with the text of its current version. An
// unpublished article (published_at 0) has none.
func (db *DB) KBPublishedDocs(ctx context.Context, ids []string) ([]kb.Article, error) {
	q := `SELECT a.id, a.group_id, v.locale, v.title, v.body, v.html, v.summary, v.category, v.tags, v.visibility,
		a.status, v.version, v.author_id, a.review_note, a.created_at, a.updated_at, v.published_at
		FROM kb_articles a JOIN kb_versions v ON v.article_id = a.id AND v.version = a.version
		WHERE a.published_at > 0`
	var args []any
	if ids != nil {
		if len(ids) == 0 {
			return []kb.Article{}, nil
		}
		ps := make([]string, len(ids))
		for i, id := range ids {
			args = append(args, id)
			ps[i] = "$" + strconv.Itoa(i+1)
		}
		q += ` AND a.id IN (` + strings.Join(ps, ", ") + `)`
	}
	out, err := db.kbArticleRows(ctx, q+` ORDER BY a.id`, args...)
	for i := range out {
		out[i].Status = kb.Published
	}
	return out, err
}

// KBGeneration is the counter of published changes.
func (db *DB) KBGeneration(ctx context.Context) (int64, error) {
	var gen int64
	err := db.r.QueryRowContext(ctx, `SELECT generation FROM kb_state WHERE id = 1`).Scan(&gen)
	return gen, wrap(err, "kb generation")
}

// KBCategories lists categories by position.
func (db *DB) KBCategories(ctx context.Context) ([]kb.Category, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name_zh_cn, name_zh_tw, name_en, position FROM kb_categories ORDER BY position, id`)
	if err != nil {
		return nil, wrap(err, "kb categories")
	}
	defer rows.Close()
	out := []kb.Category{}
	for rows.Next() {
		var c kb.Category
		var cn, tw, en string
		if err := rows.Scan(&c.ID, &cn, &tw, &en, &c.Position); err != nil {
			return nil, wrap(err, "kb categories")
		}
		c.Names = map[string]string{}
		for l, n := range map[string]string{"zh-CN": cn, "zh-TW": tw, "en": en} {
			if n != "" {
				c.Names[l] = n
			}
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "kb categories")
}

// KBSaveCategory inserts or updates a category.
func (db *DB) KBSaveCategory(ctx context.Context, c kb.Category) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kb_categories (id, name_zh_cn, name_zh_tw, name_en, position)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET name_zh_cn = $2, name_zh_tw = $3, name_en = $4, position = $5`,
			c.ID, c.Names["zh-CN"], c.Names["zh-TW"], c.Names["en"], c.Position)
		return wrap(err, "save kb category %s", c.ID)
	})
}

// KBDeleteCategory deletes a category and clears it from working copies
// (published versions keep the id they were published with; readers find
// no such category and show the article uncategorised).
func (db *DB) KBDeleteCategory(ctx context.Context, id string) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		res, err := t.q.ExecContext(ctx, `DELETE FROM kb_categories WHERE id = $1`, id)
		if err := affected(res, err, "delete kb category %s", id); err != nil {
			return err
		}
		_, err = t.q.ExecContext(ctx, `UPDATE kb_articles SET category = '' WHERE category = $1`, id)
		return wrap(err, "clear kb category %s", id)
	})
}

// KBSynonyms returns the synonym groups in order.
func (db *DB) KBSynonyms(ctx context.Context) ([][]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT terms FROM kb_synonyms ORDER BY position`)
	if err != nil {
		return nil, wrap(err, "kb synonyms")
	}
	defer rows.Close()
	out := [][]string{}
	for rows.Next() {
		var terms string
		if err := rows.Scan(&terms); err != nil {
			return nil, wrap(err, "kb synonyms")
		}
		out = append(out, strings.Split(terms, "~"))
	}
	return out, wrap(rows.Err(), "kb synonyms")
}

// KBSetSynonyms replaces every synonym group. Terms hold no "~" (the
// service splits on it).
func (db *DB) KBSetSynonyms(ctx context.Context, groups [][]string) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		t := tx.(*txn)
		if _, err := t.q.ExecContext(ctx, `DELETE FROM kb_synonyms`); err != nil {
			return wrap(err, "clear kb synonyms")
		}
		for i, g := range groups {
			if _, err := t.q.ExecContext(ctx, `INSERT INTO kb_synonyms (position, terms) VALUES ($1, $2)`,
				i+1, strings.Join(g, "~")); err != nil {
				return wrap(err, "insert kb synonyms")
			}
		}
		return nil
	})
}

// KBInsertFeedback stores one answer to "was this helpful?".
func (db *DB) KBInsertFeedback(ctx context.Context, f kb.Feedback) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kb_feedback (id, article_id, locale, helpful, comment, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, desk.NewID(), f.ArticleID, f.Locale, boolInt(f.Helpful), f.Comment, ms(f.CreatedAt))
		return wrap(err, "insert kb feedback")
	})
}

// KBFeedbackStats counts feedback per article since a time, most
// unhelpful first.
func (db *DB) KBFeedbackStats(ctx context.Context, since time.Time) ([]kb.FeedbackStat, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT article_id, SUM(helpful), SUM(1 - helpful),
		SUM(CASE WHEN comment = '' THEN 0 ELSE 1 END)
		FROM kb_feedback WHERE created_at >= $1 GROUP BY article_id ORDER BY SUM(1 - helpful) DESC, article_id LIMIT 500`, ms(since))
	if err != nil {
		return nil, wrap(err, "kb feedback stats")
	}
	defer rows.Close()
	out := []kb.FeedbackStat{}
	for rows.Next() {
		var s kb.FeedbackStat
		if err := rows.Scan(&s.ArticleID, &s.Helpful, &s.NotHelpful, &s.Comments); err != nil {
			return nil, wrap(err, "kb feedback stats")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "kb feedback stats")
}

// KBFeedback returns an article's feedback, newest first.
func (db *DB) KBFeedback(ctx context.Context, articleID string, limit int) ([]kb.Feedback, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT article_id, locale, helpful, comment, created_at FROM kb_feedback
		WHERE article_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, articleID, limit)
	if err != nil {
		return nil, wrap(err, "kb feedback %s", articleID)
	}
	defer rows.Close()
	out := []kb.Feedback{}
	for rows.Next() {
		var f kb.Feedback
		var helpful, at int64
		if err := rows.Scan(&f.ArticleID, &f.Locale, &helpful, &f.Comment, &at); err != nil {
			return nil, wrap(err, "kb feedback %s", articleID)
		}
		f.Helpful, f.CreatedAt = helpful == 1, fromMs(at)
		out = append(out, f)
	}
	return out, wrap(rows.Err(), "kb feedback %s", articleID)
}

// KBInsertQuery logs one search.
func (db *DB) KBInsertQuery(ctx context.Context, text, locale string, aud kb.Audience, hits int, at time.Time) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kb_queries (id, text, locale, audience, hits, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, desk.NewID(), text, locale, string(aud), hits, ms(at))
		return wrap(err, "insert kb query")
	})
}

// KBTopQueries groups logged searches by text.
func (db *DB) KBTopQueries(ctx context.Context, since time.Time, limit int, noResult bool) ([]kb.QueryStat, error) {
	q := `SELECT text, COUNT(*), CAST(AVG(hits) AS DOUBLE PRECISION) FROM kb_queries WHERE created_at >= $1`
	if noResult {
		q += ` AND hits = 0`
	}
	rows, err := db.r.QueryContext(ctx, q+` GROUP BY text ORDER BY COUNT(*) DESC, text LIMIT $2`, ms(since), limit)
	if err != nil {
		return nil, wrap(err, "kb top queries")
	}
	defer rows.Close()
	out := []kb.QueryStat{}
	for rows.Next() {
		var s kb.QueryStat
		if err := rows.Scan(&s.Text, &s.Count, &s.AvgHits); err != nil {
			return nil, wrap(err, "kb top queries")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "kb top queries")
}

var _ kb.ImageStore = (*DB)(nil)

// KBInsertImage stores a picture for articles.
func (db *DB) KBInsertImage(ctx context.Context, img kb.Image) error {
	return db.Tx(ctx, func(tx desk.Tx) error {
		_, err := tx.(*txn).q.ExecContext(ctx, `INSERT INTO kb_images (id, name, mime, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, img.ID, img.Name, img.MIME, img.Size, img.Data, img.CreatedBy, ms(img.CreatedAt))
		return wrap(err, "insert kb image %s", img.ID)
	})
}

// KBImage returns a picture with its bytes.
func (db *DB) KBImage(ctx context.Context, id string) (kb.Image, error) {
	var img kb.Image
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT id, name, mime, size, data, created_by, created_at FROM kb_images WHERE id = $1`, id).
		Scan(&img.ID, &img.Name, &img.MIME, &img.Size, &img.Data, &img.CreatedBy, &at)
	img.CreatedAt = fromMs(at)
	return img, wrap(err, "kb image %s", id)
}
