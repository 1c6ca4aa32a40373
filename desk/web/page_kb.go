package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/pii"
	"huiliu/i18n"
	"huiliu/kb"
)

// Knowledge-base pages of the desk. Who may do what (docs/kb.md, "For
// agents and admins"): every agent reads articles, writes drafts and
// submits them; supervisors and admins also review (approve, reject),
// manage categories and synonyms and read the search analytics. The kb
// service checks the same roles again on every write.

// kbAnalyticsDays is the window of the search analytics page, and
// kbAnalyticsRows how many rows each of its tables shows.
const (
	kbAnalyticsDays = 30
	kbAnalyticsRows = 50
	kbCommentsShown = 5
)

// The choices of the list's filters and the editor.
var (
	kbStatuses     = []string{string(kb.Draft), string(kb.Review), string(kb.Published)}
	kbVisibilities = []string{string(kb.Internal), string(kb.Public)}
)

func (s *Server) kbPageRoutes() {
	e := s.echo
	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	sup := append(page[:len(page):len(page)], requireRole(desk.RoleSupervisor))
	e.GET("/kb", s.kbListPage, page...)
	e.GET("/kb/articles/new", s.kbNewPage, page...)
	e.GET("/kb/articles/:id", s.kbEditPage, page...)
	e.GET("/kb/articles/:id/versions/:v", s.kbVersionPage, page...)
	e.GET("/kb/review", s.kbReviewPage, sup...)
	e.GET("/kb/categories", s.kbCategoriesPage, sup...)
	e.GET("/kb/synonyms", s.kbSynonymsPage, sup...)
	e.GET("/kb/analytics", s.kbAnalyticsPage, sup...)
}

// kbPage renders one knowledge-base screen with the desk's chrome.
func (s *Server) kbPage(c echo.Context, file, titleKey, page string, data, pageJSON any) error {
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, titleKey), Page: page, Scripts: []string{"kb_admin.js"}, Data: data, PageJSON: pageJSON}
	if err := s.withChrome(c.Request().Context(), c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, file, d)
}

// kbRow is an article in a list.
type kbRow struct {
	kb.Article
	CategoryName string
	Author       string
}

type kbListView struct {
	Rows                            []kbRow
	Categories                      []kb.Category
	Locales, Statuses, Visibilities []string
	// The filters as asked.
	Q, Status, Locale, Category, Visibility string
	Searched                                bool
}

// kbListPage lists working copies with filters; a search narrows them to
// the articles the search finds (by published text), best first, or whose
// title or id holds the words.
func (s *Server) kbListPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	v := kbListView{
		Q: strings.TrimSpace(c.QueryParam("q")), Status: c.QueryParam("status"), Locale: c.QueryParam("locale"),
		Category: c.QueryParam("category"), Visibility: c.QueryParam("visibility"), Locales: kb.Locales,
		Statuses: kbStatuses, Visibilities: kbVisibilities,
	}
	if v.Status != "" && !slices.Contains(kbStatuses, v.Status) {
		return desk.Errorf(desk.CodeInvalid, "unknown status %q", v.Status)
	}
	if v.Locale != "" && !slices.Contains(kb.Locales, v.Locale) {
		return desk.Errorf(desk.CodeInvalid, "unknown locale %q", v.Locale)
	}
	list, err := k.List(ctx, kb.ListFilter{Status: kb.Status(v.Status), Locale: v.Locale, Category: v.Category, Limit: 1000})
	if err != nil {
		return err
	}
	if v.Visibility != "" {
		list = slices.DeleteFunc(list, func(a kb.Article) bool { return string(a.Visibility) != v.Visibility })
	}
	if v.Q != "" {
		v.Searched = true
		if list, err = s.kbNarrow(c, k, list, v.Q, lang); err != nil {
			return err
		}
	}
	if v.Categories, err = k.Categories(ctx); err != nil {
		return err
	}
	rows, err := s.kbRows(c, list, v.Categories, lang)
	if err != nil {
		return err
	}
	v.Rows = rows
	return s.kbPage(c, "kb_list.html", "kbdesk.list.title", "kb-list", v, nil)
}

// kbNarrow keeps the articles the search finds or whose title or id holds
// q, search hits first in their order.
func (s *Server) kbNarrow(c echo.Context, k *kb.Service, list []kb.Article, q, lang string) ([]kb.Article, error) {
	hits, err := k.Search(c.Request().Context(), kb.Query{Text: q, Locale: lang, Audience: kb.AudienceAgent, Limit: kb.MaxLimit})
	if err != nil {
		return nil, err
	}
	rank := map[string]int{}
	for i, h := range hits {
		rank[h.Article.Group] = i + 1
	}
	low := strings.ToLower(q)
	var out []kb.Article
	for _, a := range list {
		if rank[a.Group] > 0 || strings.Contains(strings.ToLower(a.Title), low) || strings.Contains(a.ID, low) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(x, y kb.Article) int {
		rx, ry := rank[x.Group], rank[y.Group]
		switch {
		case rx == ry:
			return 0
		case rx == 0:
			return 1
		case ry == 0:
			return -1
		}
		return rx - ry
	})
	return out, nil
}

func (s *Server) kbRows(c echo.Context, list []kb.Article, cats []kb.Category, lang string) ([]kbRow, error) {
	names, err := s.agentNames(c.Request().Context())
	if err != nil {
		return nil, err
	}
	catName := map[string]string{}
	for _, ct := range cats {
		catName[ct.ID] = ct.Name(lang)
	}
	rows := make([]kbRow, 0, len(list))
	for _, a := range list {
		rows = append(rows, kbRow{Article: a, CategoryName: catName[a.Category], Author: names[a.AuthorID].Name})
	}
	return rows, nil
}

// kbEditorView is the editor: the working copy (empty for a new article),
// the other translations, the text it translates shown beside it, and its
// published versions.
type kbEditorView struct {
	Article kb.Article
	IsNew   bool
	// Source is the translation shown beside the editor (the original
	// when this one translates it); SourceHTML its sanitized rendering.
	Source       *kb.Article
	SourceHTML   template.HTML
	Preview      template.HTML
	Translations []kb.Article
	// Missing are the locales without a translation yet.
	Missing    []string
	Versions   []kbVersionRow
	Categories []kb.Category
	Locales    []string
	Tags       string
	CanReview  bool
	// FromTicket names the ticket a reply was turned into this draft.
	FromTicket string
}

type kbVersionRow struct {
	kb.Version
	Author, Approver string
}

// kbNewPage opens the editor for a new article: blank, a translation of
// another (?translation_of=ID&locale=L, its text beside the editor), or an
// agent's reply turned into a draft (?ticket=T&message=M, personal data
// masked). Nothing is stored until the agent saves.
func (s *Server) kbNewPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	v := kbEditorView{IsNew: true, Article: kb.Article{Locale: lang, Visibility: kb.Internal}}
	if of := c.QueryParam("translation_of"); of != "" {
		orig, err := k.Get(ctx, of)
		if err != nil {
			return err
		}
		v.Source = &orig
		v.Article.Group = orig.ID
		v.Article.Category, v.Article.Tags, v.Article.Visibility = orig.Category, orig.Tags, orig.Visibility
		v.Article.Locale = c.QueryParam("locale")
		if !slices.Contains(kb.Locales, v.Article.Locale) {
			return desk.Errorf(desk.CodeInvalid, "unknown locale %q", v.Article.Locale)
		}
	}
	// The bot's unanswered questions link here with the question as the
	// title and its language (supervisors write the missing article).
	if title := strings.TrimSpace(c.QueryParam("title")); title != "" && v.Source == nil {
		v.Article.Title = title
		if l := c.QueryParam("locale"); slices.Contains(kb.Locales, l) {
			v.Article.Locale = l
		}
	}
	if tid, mid := c.QueryParam("ticket"), c.QueryParam("message"); tid != "" || mid != "" {
		text, err := s.replyForDraft(c, tid, mid)
		if err != nil {
			return err
		}
		v.Article.Body, v.FromTicket = text, tid
	}
	return s.kbEditor(c, k, v)
}

// replyForDraft is the text of an agent's reply on a ticket the agent may
// see, with personal data masked for everyone: an article is read by
// customers other than the one the reply was for.
func (s *Server) replyForDraft(c echo.Context, ticketID, messageID string) (string, error) {
	msgs, err := s.svc.TicketMessages(c.Request().Context(), current(c).Agent, ticketID, "", maxTimeline)
	if err != nil {
		return "", err
	}
	for _, m := range msgs {
		if m.ID == messageID {
			if m.Direction != desk.DirOut || m.AuthorKind != desk.AuthorAgent {
				return "", desk.Errorf(desk.CodeInvalid, "only an agent's reply can become an article")
			}
			return pii.Mask(m.Text), nil
		}
	}
	return "", desk.Errorf(desk.CodeNotFound, "message not found")
}

func (s *Server) kbEditPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := k.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	v := kbEditorView{Article: a}
	if v.Translations, err = k.Translations(ctx, a.ID); err != nil {
		return err
	}
	for _, t := range v.Translations {
		if t.ID == a.Group && t.ID != a.ID {
			v.Source = &t
		}
	}
	versions, err := k.Versions(ctx, a.ID)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	for _, ver := range versions {
		v.Versions = append(v.Versions, kbVersionRow{Version: ver, Author: names[ver.AuthorID].Name, Approver: names[ver.ApprovedBy].Name})
	}
	return s.kbEditor(c, k, v)
}

func (s *Server) kbEditor(c echo.Context, k *kb.Service, v kbEditorView) error {
	var err error
	if v.Categories, err = k.Categories(c.Request().Context()); err != nil {
		return err
	}
	v.Locales = kb.Locales
	v.Tags = strings.Join(v.Article.Tags, ", ")
	v.CanReview = current(c).Agent.Role.AtLeast(desk.RoleSupervisor)
	// Both renderings went through kb.Render's sanitizer.
	v.Preview = template.HTML(kb.Render(v.Article.Body))
	if v.Source != nil {
		v.SourceHTML = template.HTML(kb.Render(v.Source.Body))
	}
	have := map[string]bool{v.Article.Locale: true}
	for _, t := range v.Translations {
		have[t.Locale] = true
	}
	if !v.IsNew {
		for _, l := range kb.Locales {
			if !have[l] {
				v.Missing = append(v.Missing, l)
			}
		}
	}
	title := "kbdesk.editor.new"
	if !v.IsNew {
		title = "kbdesk.editor.title"
	}
	pj := map[string]any{"article_id": v.Article.ID, "is_new": v.IsNew, "translation_of": v.Article.Group}
	return s.kbPage(c, "kb_editor.html", title, "kb-editor", v, pj)
}

type kbVersionView struct {
	Article          kb.Article
	Version          kb.Version
	HTML             template.HTML
	Author, Approver string
}

// kbVersionPage shows one published version as readers got it.
func (s *Server) kbVersionPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := k.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("v"))
	if err != nil {
		return desk.Errorf(desk.CodeNotFound, "version not found")
	}
	versions, err := k.Versions(ctx, a.ID)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	for _, ver := range versions {
		if ver.Version == n {
			v := kbVersionView{Article: a, Version: ver, HTML: template.HTML(kb.Render(ver.Body)),
				Author: names[ver.AuthorID].Name, Approver: names[ver.ApprovedBy].Name}
			return s.kbPage(c, "kb_version.html", "kbdesk.version.title", "kb-version", v, nil)
		}
	}
	return desk.Errorf(desk.CodeNotFound, "version not found")
}

type kbReviewView struct {
	Rows []kbReviewRow
}

type kbReviewRow struct {
	kbRow
	HTML template.HTML
}

// kbReviewPage is the supervisors' queue of articles waiting for review,
// each with its rendered text to read before approving.
func (s *Server) kbReviewPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	list, err := k.List(ctx, kb.ListFilter{Status: kb.Review, Limit: 1000})
	if err != nil {
		return err
	}
	cats, err := k.Categories(ctx)
	if err != nil {
		return err
	}
	rows, err := s.kbRows(c, list, cats, lang)
	if err != nil {
		return err
	}
	v := kbReviewView{}
	for _, r := range rows {
		v.Rows = append(v.Rows, kbReviewRow{kbRow: r, HTML: template.HTML(kb.Render(r.Body))})
	}
	return s.kbPage(c, "kb_review.html", "kbdesk.review.title", "kb-review", v, nil)
}

type kbCategoryRow struct {
	kb.Category
	Articles int
}

func (s *Server) kbCategoriesPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cats, err := k.Categories(ctx)
	if err != nil {
		return err
	}
	list, err := k.List(ctx, kb.ListFilter{Limit: 1000})
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, a := range list {
		count[a.Category]++
	}
	rows := make([]kbCategoryRow, 0, len(cats))
	for _, ct := range cats {
		rows = append(rows, kbCategoryRow{Category: ct, Articles: count[ct.ID]})
	}
	return s.kbPage(c, "kb_categories.html", "kbdesk.categories.title", "kb-categories",
		struct {
			Rows    []kbCategoryRow
			Locales []string
		}{rows, kb.Locales}, nil)
}

func (s *Server) kbSynonymsPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	groups, err := k.Synonyms(c.Request().Context())
	if err != nil {
		return err
	}
	return s.kbPage(c, "kb_synonyms.html", "kbdesk.synonyms.title", "kb-synonyms",
		struct {
			Text   string
			Groups int
		}{kb.FormatSynonyms(groups), len(groups)}, nil)
}

type kbFeedbackRow struct {
	Article  kb.Article
	Stat     kb.FeedbackStat
	Helpful  int // percent
	Comments []kb.Feedback
}

type kbAnalyticsView struct {
	Days          int
	Top, NoResult []kb.QueryStat
	Feedback      []kbFeedbackRow
}

// kbAnalyticsPage shows what readers search for, what finds nothing (the
// articles to write next) and how helpful readers found each article.
func (s *Server) kbAnalyticsPage(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	since := s.svc.Now().Add(-kbAnalyticsDays * 24 * time.Hour)
	v := kbAnalyticsView{Days: kbAnalyticsDays}
	if v.Top, err = k.TopQueries(ctx, since, kbAnalyticsRows); err != nil {
		return err
	}
	if v.NoResult, err = k.NoResultQueries(ctx, since, kbAnalyticsRows); err != nil {
		return err
	}
	stats, err := k.FeedbackStats(ctx, since)
	if err != nil {
		return err
	}
	for i, st := range stats {
		if i == kbAnalyticsRows {
			break
		}
		row := kbFeedbackRow{Stat: st}
		if total := st.Helpful + st.NotHelpful; total > 0 {
			row.Helpful = (st.Helpful*100 + total/2) / total
		}
		a, err := k.Get(ctx, st.ArticleID)
		switch {
		case err == nil:
			row.Article = a
		case desk.CodeOf(err) == desk.CodeNotFound:
			row.Article = kb.Article{ID: st.ArticleID, Title: st.ArticleID}
		default:
			return err
		}
		if st.Comments > 0 {
			fb, err := k.FeedbackFor(ctx, st.ArticleID, kbCommentsShown)
			if err != nil {
				return err
			}
			for _, f := range fb {
				if strings.TrimSpace(f.Comment) != "" {
					row.Comments = append(row.Comments, f)
				}
			}
		}
		v.Feedback = append(v.Feedback, row)
	}
	return s.kbPage(c, "kb_analytics.html", "kbdesk.analytics.title", "kb-analytics", v, nil)
}
