package kb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"huiliu/desk"
	"huiliu/queue"
)

// Options configure a Service.
type Options struct {
	Store Store
	// Bus carries index changes between nodes; nil for a single process
	// that needs no fan-out (tools, tests).
	Bus queue.Bus
	// IndexDir holds the bleve index (<data>/kb.bleve); empty keeps the
	// index in memory, built from SQL at Open.
	IndexDir string
	Logger   *slog.Logger
	Now      func() time.Time
	// NoResultCache searches the index every time (bench kb, to time
	// the index itself).
	NoResultCache bool
}

// Service is the knowledge base of one node.
type Service struct {
	store Store
	bus   queue.Bus
	log   *slog.Logger
	now   func() time.Time
	idx   *index

	synMu sync.RWMutex
	syn   *synonyms

	// from is the bus position taken before the index was loaded, so Run
	// misses no change committed while Open read SQL.
	from queue.Position

	closeOnce sync.Once
	closeErr  error
}

// Open opens (or rebuilds from SQL) the search index and loads the synonyms.
// Run keeps the index current from the bus; Close releases it.
func Open(ctx context.Context, o Options) (*Service, error) {
	if o.Store == nil {
		return nil, errors.New("kb: no store")
	}
	s := &Service{store: o.Store, bus: o.Bus, log: o.Logger, now: o.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.from = queue.Live
	if s.bus != nil {
		p, err := s.bus.Last(ctx, Stream)
		if err != nil {
			return nil, fmt.Errorf("kb: bus position: %w", err)
		}
		s.from = p
	}
	if err := s.reloadSynonyms(ctx); err != nil {
		return nil, err
	}
	idx, err := openIndex(ctx, o.IndexDir, o.Store, s.log)
	if err != nil {
		return nil, err
	}
	idx.noCache = o.NoResultCache
	s.idx = idx
	return s, nil
}

// Close closes the index; later calls do nothing.
func (s *Service) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.idx.close() })
	return s.closeErr
}

// Get returns an article's working copy (agents and the admin pages).
func (s *Service) Get(ctx context.Context, id string) (Article, error) {
	a, err := s.store.KBArticle(ctx, id)
	if err != nil {
		return Article{}, notFoundOr(err, "article")
	}
	return a, nil
}

// List returns working copies, for the admin pages.
func (s *Service) List(ctx context.Context, f ListFilter) ([]Article, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	return s.store.KBArticles(ctx, f)
}

// Published returns the published text of article id in locale: the
// translation in locale when one is published, else id itself. The
// public audience sees public articles only; anything else is not found.
func (s *Service) Published(ctx context.Context, id, locale string, aud Audience) (Article, error) {
	a, ok := s.idx.pick(id, locale, aud)
	if !ok {
		return Article{}, desk.Errorf(desk.CodeNotFound, "article not found")
	}
	docs, err := s.store.KBPublishedDocs(ctx, []string{a.ID})
	if err != nil {
		return Article{}, err
	}
	if len(docs) == 0 {
		return Article{}, desk.Errorf(desk.CodeNotFound, "article not found")
	}
	return docs[0], nil
}

// Translations returns the working copies of id's translation group,
// id's own included, in Locales order.
func (s *Service) Translations(ctx context.Context, id string) ([]Article, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	list, err := s.store.KBArticles(ctx, ListFilter{Group: a.Group, Limit: 100})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(x, y Article) int { return localeRank(x.Locale) - localeRank(y.Locale) })
	return list, nil
}

// Versions returns every published version of an article, newest first.
func (s *Service) Versions(ctx context.Context, id string) ([]Version, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.store.KBVersions(ctx, id)
}

// SaveDraft creates (a.ID empty, or an id not yet used) or updates an
// article's working copy, which becomes a draft. Any agent may write
// drafts. A.Group names the article a new one translates ("" for an
// original). Status, Version and the times are the service's.
func (s *Service) SaveDraft(ctx context.Context, actor desk.Actor, a Article) (Article, error) {
	if err := canWrite(actor); err != nil {
		return Article{}, err
	}
	a.Status = Draft
	return s.save(ctx, actor, a)
}

func (s *Service) save(ctx context.Context, actor desk.Actor, a Article) (Article, error) {
	if err := s.clean(ctx, &a); err != nil {
		return Article{}, err
	}
	now := s.now()
	a.AuthorID = actorID(actor)
	a.HTML = Render(a.Body)
	a.UpdatedAt = now
	if a.ID == "" {
		a.ID = strings.ToLower(desk.NewID())
	}
	old, err := s.store.KBArticle(ctx, a.ID)
	switch {
	case errors.Is(err, desk.ErrNotFound):
		if a.Group == "" {
			a.Group = a.ID
		} else {
			orig, err := s.store.KBArticle(ctx, a.Group)
			if err != nil {
				return Article{}, notFoundOr(err, "translated article")
			}
			a.Group = orig.Group
			if err := s.localeFree(ctx, a.Group, a.Locale, a.ID); err != nil {
				return Article{}, err
			}
		}
		a.Version = 0
		a.CreatedAt = now
		a.ReviewNote = ""
		if err := s.store.KBInsertArticle(ctx, a); err != nil {
			return Article{}, err
		}
		return a, nil
	case err != nil:
		return Article{}, err
	}
	if old.Locale != a.Locale {
		if err := s.localeFree(ctx, old.Group, a.Locale, a.ID); err != nil {
			return Article{}, err
		}
	}
	a.Group = old.Group
	a.Version = old.Version
	a.CreatedAt = old.CreatedAt
	a.PublishedAt = old.PublishedAt
	if a.Status == Draft {
		a.ReviewNote = old.ReviewNote
	}
	if err := s.store.KBUpdateArticle(ctx, a, old.UpdatedAt); err != nil {
		if errors.Is(err, desk.ErrConflict) {
			return Article{}, desk.Wrap(desk.CodeConflict, err, "the article was changed meanwhile; reload it")
		}
		return Article{}, err
	}
	return a, nil
}

// localeFree refuses a second article in one locale of a translation group.
func (s *Service) localeFree(ctx context.Context, group, locale, id string) error {
	list, err := s.store.KBArticles(ctx, ListFilter{Group: group, Limit: 100})
	if err != nil {
		return err
	}
	for _, o := range list {
		if o.Locale == locale && o.ID != id {
			return desk.Errorf(desk.CodeConflict, "article %s is already the %s translation", o.ID, locale)
		}
	}
	return nil
}

// Submit sends a draft to review.
func (s *Service) Submit(ctx context.Context, actor desk.Actor, id string) (Article, error) {
	if err := canWrite(actor); err != nil {
		return Article{}, err
	}
	a, err := s.Get(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.Status != Draft {
		return Article{}, desk.Errorf(desk.CodeConflict, "only a draft can be submitted (the article is %s)", a.Status)
	}
	prev := a.UpdatedAt
	a.Status = Review
	a.ReviewNote = ""
	a.UpdatedAt = s.now()
	if err := s.store.KBUpdateArticle(ctx, a, prev); err != nil {
		return Article{}, err
	}
	return a, nil
}

// Approve publishes the article's working copy as its next version. Only
// supervisors and admins (or the system) approve.
func (s *Service) Approve(ctx context.Context, actor desk.Actor, id string) (Article, error) {
	if err := canReview(actor); err != nil {
		return Article{}, err
	}
	a, err := s.Get(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.Status == Published {
		return a, nil
	}
	return s.publish(ctx, actor, a)
}

func (s *Service) publish(ctx context.Context, actor desk.Actor, a Article) (Article, error) {
	now := s.now()
	a.Status = Published
	a.Version++
	a.ReviewNote = ""
	a.PublishedAt = now
	a.HTML = Render(a.Body)
	v := Version{
		ArticleID: a.ID, Version: a.Version, Locale: a.Locale, Title: a.Title, Body: a.Body, HTML: a.HTML,
		Summary: a.Summary, Category: a.Category, Tags: a.Tags, Visibility: a.Visibility,
		AuthorID: a.AuthorID, ApprovedBy: actorID(actor), PublishedAt: now,
	}
	gen, err := s.store.KBPublish(ctx, a, v)
	if err != nil {
		return Article{}, err
	}
	a.UpdatedAt = now
	s.changed(ctx, a.ID, gen)
	return a, nil
}

// Reject sends an article in review back to draft with a reason.
func (s *Service) Reject(ctx context.Context, actor desk.Actor, id, reason string) (Article, error) {
	if err := canReview(actor); err != nil {
		return Article{}, err
	}
	a, err := s.Get(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if a.Status != Review {
		return Article{}, desk.Errorf(desk.CodeConflict, "only an article in review can be rejected")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > MaxComment {
		return Article{}, desk.Errorf(desk.CodeInvalid, "a rejection needs a reason of at most %d characters", MaxComment)
	}
	prev := a.UpdatedAt
	a.Status = Draft
	a.ReviewNote = reason
	a.UpdatedAt = s.now()
	if err := s.store.KBUpdateArticle(ctx, a, prev); err != nil {
		return Article{}, err
	}
	return a, nil
}

// Unpublish withdraws a published article from readers (help centre,
// search, bot, widget, on every node); its working copy becomes a draft of
// the last version and its versions stay, so approving it publishes it
// again. Only supervisors and admins withdraw, and the audit log says who.
func (s *Service) Unpublish(ctx context.Context, actor desk.Actor, id string) error {
	if err := canReview(actor); err != nil {
		return err
	}
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if a.PublishedAt.IsZero() {
		return desk.Errorf(desk.CodeConflict, "only a published article can be unpublished")
	}
	now := s.now()
	gen, err := s.store.KBUnpublish(ctx, id, now, desk.NewAuditEntry(actor, now, "kb.unpublish", id, a.Title))
	if err != nil {
		return err
	}
	s.changed(ctx, id, gen)
	return nil
}

// Categories returns the categories by position.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return s.store.KBCategories(ctx)
}

// SaveCategory creates or renames a category (supervisors and admins).
func (s *Service) SaveCategory(ctx context.Context, actor desk.Actor, c Category) error {
	if err := canReview(actor); err != nil {
		return err
	}
	if !validID(c.ID) {
		return desk.Errorf(desk.CodeInvalid, "a category id is 1 to 64 of a-z, 0-9, - and _")
	}
	names := map[string]string{}
	for _, l := range Locales {
		n := strings.TrimSpace(c.Names[l])
		if len([]rune(n)) > 100 {
			return desk.Errorf(desk.CodeInvalid, "a category name has at most 100 characters")
		}
		if n != "" {
			names[l] = n
		}
	}
	if names["zh-CN"] == "" {
		return desk.Errorf(desk.CodeInvalid, "a category needs a zh-CN name")
	}
	c.Names = names
	return s.store.KBSaveCategory(ctx, c)
}

// DeleteCategory removes a category; its articles keep their text and
// lose the category.
func (s *Service) DeleteCategory(ctx context.Context, actor desk.Actor, id string) error {
	if err := canReview(actor); err != nil {
		return err
	}
	return notFoundOr(s.store.KBDeleteCategory(ctx, id), "category")
}

// RecordFeedback stores a reader's feedback on a published article.
func (s *Service) RecordFeedback(ctx context.Context, f Feedback) error {
	if _, ok := s.idx.pick(f.ArticleID, f.Locale, AudienceAgent); !ok {
		return desk.Errorf(desk.CodeNotFound, "article not found")
	}
	f.Comment = strings.TrimSpace(f.Comment)
	if len([]rune(f.Comment)) > MaxComment {
		return desk.Errorf(desk.CodeInvalid, "a comment has at most %d characters", MaxComment)
	}
	if !slices.Contains(Locales, f.Locale) {
		f.Locale = ""
	}
	f.CreatedAt = s.now()
	return s.store.KBInsertFeedback(ctx, f)
}

// FeedbackStats counts feedback per article since a time.
func (s *Service) FeedbackStats(ctx context.Context, since time.Time) ([]FeedbackStat, error) {
	return s.store.KBFeedbackStats(ctx, since)
}

// FeedbackFor returns an article's latest feedback, newest first.
func (s *Service) FeedbackFor(ctx context.Context, articleID string, limit int) ([]Feedback, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return s.store.KBFeedback(ctx, articleID, limit)
}

// RecordQuery logs a search for the analytics (folded, so 帳單 and 账单
// count as one query). Empty queries are not logged.
func (s *Service) RecordQuery(ctx context.Context, text, locale string, aud Audience, hits int) error {
	t := fold(strings.Join(strings.Fields(cut(text, MaxQuery)), " "))
	if t == "" {
		return nil
	}
	return s.store.KBInsertQuery(ctx, t, locale, aud, hits, s.now())
}

// TopQueries returns the most searched queries since a time.
func (s *Service) TopQueries(ctx context.Context, since time.Time, limit int) ([]QueryStat, error) {
	return s.store.KBTopQueries(ctx, since, clampLimit(limit), false)
}

// NoResultQueries returns the most searched queries that found nothing.
func (s *Service) NoResultQueries(ctx context.Context, since time.Time, limit int) ([]QueryStat, error) {
	return s.store.KBTopQueries(ctx, since, clampLimit(limit), true)
}

func clampLimit(n int) int {
	if n <= 0 || n > 500 {
		return 50
	}
	return n
}

// clean validates and normalises a working copy before it is stored.
func (s *Service) clean(ctx context.Context, a *Article) error {
	a.ID = strings.TrimSpace(a.ID)
	if a.ID != "" && !validID(a.ID) {
		return desk.Errorf(desk.CodeInvalid, "an article id is 1 to 64 of a-z, 0-9, - and _")
	}
	if !slices.Contains(Locales, a.Locale) {
		return desk.Errorf(desk.CodeInvalid, "locale must be one of %s", strings.Join(Locales, ", "))
	}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" || len([]rune(a.Title)) > MaxTitle {
		return desk.Errorf(desk.CodeInvalid, "a title has 1 to %d characters", MaxTitle)
	}
	a.Summary = strings.TrimSpace(a.Summary)
	if len([]rune(a.Summary)) > MaxSummary {
		return desk.Errorf(desk.CodeInvalid, "a summary has at most %d characters", MaxSummary)
	}
	if len(a.Body) > MaxBody {
		return desk.Errorf(desk.CodeTooLarge, "an article body has at most %d KiB", MaxBody>>10)
	}
	if strings.ContainsRune(a.Title+a.Body+a.Summary, 0) {
		return desk.Errorf(desk.CodeInvalid, "text must not contain NUL characters")
	}
	switch a.Visibility {
	case "":
		a.Visibility = Public
	case Public, Internal:
	default:
		return desk.Errorf(desk.CodeInvalid, "visibility is public or internal")
	}
	tags, err := cleanTags(a.Tags)
	if err != nil {
		return err
	}
	a.Tags = tags
	if a.Category != "" {
		cats, err := s.store.KBCategories(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cats, func(c Category) bool { return c.ID == a.Category }) {
			return desk.Errorf(desk.CodeInvalid, "unknown category %q", a.Category)
		}
	}
	return nil
}

func cleanTags(in []string) ([]string, error) {
	out := []string{}
	for _, t := range in {
		t = strings.TrimSpace(strings.ReplaceAll(t, ",", " "))
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if len([]rune(t)) > MaxTag {
			return nil, desk.Errorf(desk.CodeInvalid, "a tag has at most %d characters", MaxTag)
		}
		out = append(out, t)
	}
	if len(out) > MaxTags {
		return nil, desk.Errorf(desk.CodeInvalid, "an article has at most %d tags", MaxTags)
	}
	return out, nil
}

// validID: ids appear in URLs and file names, so they are kept plain.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func canWrite(actor desk.Actor) error {
	if actor.Agent == nil && actor.Author() == desk.AuthorBot {
		return desk.Errorf(desk.CodeForbidden, "the bot does not write articles")
	}
	return nil
}

func canReview(actor desk.Actor) error {
	if actor.Agent == nil {
		return canWrite(actor)
	}
	if !actor.Agent.Role.AtLeast(desk.RoleSupervisor) {
		return desk.Errorf(desk.CodeForbidden, "only a supervisor may do this")
	}
	return nil
}

func actorID(actor desk.Actor) string {
	if actor.Agent != nil {
		return actor.Agent.ID
	}
	return ""
}

func localeRank(l string) int {
	if i := slices.Index(Locales, l); i >= 0 {
		return i
	}
	return len(Locales)
}

func notFoundOr(err error, what string) error {
	if errors.Is(err, desk.ErrNotFound) {
		return desk.Wrap(desk.CodeNotFound, err, what+" not found")
	}
	if err != nil {
		return fmt.Errorf("kb: %s: %w", what, err)
	}
	return nil
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// Browse lists the published articles a reader may see: one per
// translation group, in locale where translated, of one category when set
// (the help centre's home and category pages). Bodies are left out.
func (s *Service) Browse(locale string, aud Audience, category string) []Article {
	return s.idx.browse(locale, aud, category)
}

// Alternates returns the published translations of article id the
// audience may see, in Locales order (hreflang links, language switch).
func (s *Service) Alternates(id string, aud Audience) []Article {
	return s.idx.alternates(id, aud)
}
