// Package kb is the knowledge base the desk, the help centre and the bot
// share: articles in zh-CN, zh-TW and en linked as translations of one
// another, categories, tags, a draft → review → published workflow that
// keeps every published version, and a full-text search index (bleve) that
// folds Traditional to Simplified Chinese, full-width to half-width and
// case, expands synonyms and stems English.
//
// SQL is the record (Store, implemented in package store); the index is a
// cache in the data directory, rebuilt from SQL when it is missing or stale
// and kept current on every node from the event bus.
package kb

import (
	"context"
	"time"

	"huiliu/desk"
)

// Locales an article may be written in, in the order the help centre
// offers them.
var Locales = []string{"zh-CN", "zh-TW", "en"}

// Visibility says who may read an article.
type Visibility string

const (
	// Public articles appear in the help centre, the widget and the bot.
	Public Visibility = "public"
	// Internal articles are for agents only.
	Internal Visibility = "internal"
)

// Status is where an article's working copy stands.
type Status string

const (
	Draft     Status = "draft"     // being written; not visible beyond the desk
	Review    Status = "review"    // submitted, waiting for a supervisor
	Published Status = "published" // the working copy is the published version
)

// Audience is who searches: customers see public articles only, agents see
// internal ones too.
type Audience string

const (
	AudiencePublic Audience = "public"
	AudienceAgent  Audience = "agent"
)

// Article is one article in one locale. Its working copy (Title, Body, ...)
// may run ahead of its published version while a draft or a review is
// open; Version is the number of the version readers see (0: never
// published). Published and Search return the published text.
type Article struct {
	ID string `json:"id"`
	// Group links translations: the id of the article the others
	// translate (an original's Group is its own ID).
	Group      string     `json:"group"`
	Locale     string     `json:"locale"`
	Title      string     `json:"title"`
	Body       string     `json:"body"` // Markdown source
	HTML       string     `json:"html"` // Body rendered and sanitized; safe to embed
	Summary    string     `json:"summary"`
	Category   string     `json:"category"` // Category.ID or ""
	Tags       []string   `json:"tags"`
	Visibility Visibility `json:"visibility"`
	Status     Status     `json:"status"`
	Version    int        `json:"version"`
	// AuthorID is the agent who last saved the working copy ("" for the
	// system, e.g. an import).
	AuthorID string `json:"author_id"`
	// ReviewNote is the reason of the last rejection, cleared on submit.
	ReviewNote  string    `json:"review_note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// Version is one published version of an article, kept for good.
type Version struct {
	ArticleID   string     `json:"article_id"`
	Version     int        `json:"version"`
	Locale      string     `json:"locale"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	HTML        string     `json:"html"`
	Summary     string     `json:"summary"`
	Category    string     `json:"category"`
	Tags        []string   `json:"tags"`
	Visibility  Visibility `json:"visibility"`
	AuthorID    string     `json:"author_id"`   // who wrote it
	ApprovedBy  string     `json:"approved_by"` // who published it ("" for the system)
	PublishedAt time.Time  `json:"published_at"`
}

// Category groups articles on the help centre. Names holds its name per
// locale; a locale without one falls back to zh-CN.
type Category struct {
	ID       string            `json:"id"`
	Names    map[string]string `json:"names"`
	Position int               `json:"position"`
}

// Name is the category's name in locale.
func (c Category) Name(locale string) string {
	if n := c.Names[locale]; n != "" {
		return n
	}
	if n := c.Names["zh-CN"]; n != "" {
		return n
	}
	return c.ID
}

// Query is a search.
type Query struct {
	Text string
	// Locale is the reader's language: among translations of one article
	// the one in Locale is returned; others only when it has none.
	Locale   string
	Audience Audience
	Limit    int    // default 10, at most MaxLimit
	Category string // only this category when set
}

// MaxLimit bounds the hits of one search.
const MaxLimit = 50

// Hit is one search result: the published article without its body (Body
// and HTML empty), its score and a snippet.
type Hit struct {
	Article Article `json:"article"`
	Score   float64 `json:"score"`
	// Snippet is a piece of the article's text, HTML-escaped, with the
	// query's terms in <mark>; safe to embed as HTML.
	Snippet string `json:"snippet"`
}

// Feedback is a reader's answer to "was this helpful?".
type Feedback struct {
	ArticleID string    `json:"article_id"`
	Locale    string    `json:"locale"`
	Helpful   bool      `json:"helpful"`
	Comment   string    `json:"comment"`
	CreatedAt time.Time `json:"created_at"`
}

// FeedbackStat counts the feedback of one article.
type FeedbackStat struct {
	ArticleID  string `json:"article_id"`
	Helpful    int    `json:"helpful"`
	NotHelpful int    `json:"not_helpful"`
	Comments   int    `json:"comments"`
}

// QueryStat is how often a (folded) query was searched and how many hits
// it had on average.
type QueryStat struct {
	Text    string  `json:"text"`
	Count   int     `json:"count"`
	AvgHits float64 `json:"avg_hits"`
}

// ListFilter selects working copies for the admin pages; empty fields
// select all.
type ListFilter struct {
	Status   Status
	Locale   string
	Category string
	Group    string
	Limit    int // default 200, at most 1000
}

// Limits of what an article may hold.
const (
	MaxTitle    = 200
	MaxSummary  = 500
	MaxBody     = 200 << 10 // bytes of Markdown
	MaxTags     = 20
	MaxTag      = 40
	MaxComment  = 1000
	MaxQuery    = 200 // runes of a search; longer text is cut
	MaxSynonyms = 500 // groups
)

// Store is the record the knowledge base keeps in SQL. Methods that write
// published text also advance the generation, a counter the index stores
// to know whether it is current.
type Store interface {
	KBArticle(ctx context.Context, id string) (Article, error)
	KBArticles(ctx context.Context, f ListFilter) ([]Article, error)
	// KBInsertArticle and KBUpdateArticle write a working copy;
	// KBUpdateArticle fails with desk.ErrConflict when the row's
	// UpdatedAt is no longer prev (a concurrent save).
	KBInsertArticle(ctx context.Context, a Article) error
	KBUpdateArticle(ctx context.Context, a Article, prev time.Time) error
	// KBPublish stores v as the article's next version, marks the working
	// copy published and returns the new generation, in one transaction.
	KBPublish(ctx context.Context, a Article, v Version) (int64, error)
	// KBUnpublish withdraws an article from readers (its versions stay).
	// audit is recorded in the same transaction.
	KBUnpublish(ctx context.Context, id string, at time.Time, audit desk.AuditEntry) (int64, error)
	KBVersions(ctx context.Context, id string) ([]Version, error)
	// KBPublishedDocs returns the published text of the given articles
	// (every published article when ids is nil) as Articles.
	KBPublishedDocs(ctx context.Context, ids []string) ([]Article, error)
	KBGeneration(ctx context.Context) (int64, error)

	KBCategories(ctx context.Context) ([]Category, error)
	KBSaveCategory(ctx context.Context, c Category) error
	KBDeleteCategory(ctx context.Context, id string) error

	KBSynonyms(ctx context.Context) ([][]string, error)
	KBSetSynonyms(ctx context.Context, groups [][]string) error

	KBInsertFeedback(ctx context.Context, f Feedback) error
	KBFeedbackStats(ctx context.Context, since time.Time) ([]FeedbackStat, error)
	KBFeedback(ctx context.Context, articleID string, limit int) ([]Feedback, error)
	KBInsertQuery(ctx context.Context, text, locale string, aud Audience, hits int, at time.Time) error
	// KBTopQueries returns the most searched queries since; with
	// noResult only those that found nothing.
	KBTopQueries(ctx context.Context, since time.Time, limit int, noResult bool) ([]QueryStat, error)
}
