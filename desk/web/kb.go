package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/pii"
	"huiliu/kb"
)

// Limits of the desk's knowledge-base reads.
const (
	// kbSuggestions is how many articles the ticket page suggests.
	kbSuggestions = 5
)

// kbRoutes registers the knowledge base's API for agents: reads for every
// agent (search, suggestions, text to insert), drafts for every agent, the
// review and the settings for supervisors (the kb service checks the role
// again). Without a knowledge base every route answers unavailable.
func (s *Server) kbRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	sup := append(authed[:len(authed):len(authed)], requireRole(desk.RoleSupervisor))
	e.GET(v1+"/kb/search", s.kbSearch, authed...)
	e.GET(v1+"/tickets/:id/kb-suggestions", s.kbTicketSuggestions, authed...)
	e.GET(v1+"/kb/articles/:id/reply-text", s.kbReplyText, authed...)
	e.POST(v1+"/kb/preview", s.kbPreview, authed...)
	e.POST(v1+"/kb/articles", s.kbCreateArticle, authed...)
	e.PUT(v1+"/kb/articles/:id", s.kbSaveArticle, authed...)
	e.POST(v1+"/kb/articles/:id/submit", s.kbSubmitArticle, authed...)
	e.POST(v1+"/kb/articles/:id/review", s.kbReviewArticle, sup...)
	e.POST(v1+"/kb/articles/:id/unpublish", s.kbUnpublishArticle, sup...)
	e.PUT(v1+"/kb/categories/:id", s.kbSaveCategory, sup...)
	e.DELETE(v1+"/kb/categories/:id", s.kbDeleteCategory, sup...)
	e.PUT(v1+"/kb/synonyms", s.kbSetSynonyms, sup...)
	s.kbPageRoutes()
}

// knowledge is the knowledge base or the error every kb route answers
// when this node has none.
func (s *Server) knowledge() (*kb.Service, error) {
	if s.opts.KB == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "the knowledge base is not available on this node")
	}
	return s.opts.KB, nil
}

// kbLocale is the locale asked for, or the page language.
func kbLocale(c echo.Context) string {
	if l := c.QueryParam("locale"); slices.Contains(kb.Locales, l) {
		return l
	}
	return pickLanguage(c.Request())
}

type kbHitsResponse struct {
	// Query is the text that was searched (for suggestions: the
	// customer's message, cut to the search limit).
	Query string   `json:"query"`
	Hits  []kb.Hit `json:"hits"`
}

func (s *Server) kbSearch(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	limit := 10
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > kb.MaxLimit {
			return desk.Errorf(desk.CodeInvalid, "limit must be between 1 and %d", kb.MaxLimit)
		}
		limit = n
	}
	q := kb.Query{Text: c.QueryParam("q"), Locale: kbLocale(c), Audience: kb.AudienceAgent, Limit: limit, Category: c.QueryParam("category")}
	hits, err := k.Search(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbHitsResponse{Query: q.Text, Hits: nonNil(hits)})
}

// kbTicketSuggestions suggests articles for the customer's latest message
// on a ticket the agent may see (anyone else: not found).
func (s *Server) kbTicketSuggestions(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	text, err := s.latestCustomerText(ctx, current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	if text == "" {
		return c.JSON(http.StatusOK, kbHitsResponse{Hits: []kb.Hit{}})
	}
	hits, err := k.Suggest(ctx, text, kbLocale(c), kb.AudienceAgent, kbSuggestions)
	if err != nil {
		return err
	}
	// The query echoes the customer's words, so it is masked like the
	// timeline.
	return c.JSON(http.StatusOK, kbHitsResponse{Query: pii.Mask(text), Hits: nonNil(hits)})
}

// latestCustomerText is the text of the newest customer message of a
// ticket the agent may see ("" when there is none).
func (s *Server) latestCustomerText(ctx context.Context, a desk.Agent, ticketID string) (string, error) {
	msgs, err := s.svc.TicketMessages(ctx, a, ticketID, "", maxTimeline)
	if err != nil {
		return "", err
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.Direction == desk.DirIn && strings.TrimSpace(m.Text) != "" {
			return m.Text, nil
		}
	}
	return "", nil
}

type kbReplyTextResponse struct {
	ArticleID  string        `json:"article_id"`
	Locale     string        `json:"locale"`
	Title      string        `json:"title"`
	Visibility kb.Visibility `json:"visibility"`
	// Text is the published article as plain text for a reply.
	Text string `json:"text"`
	// Link is the article on the public help centre; empty for an
	// internal article, which customers cannot open.
	Link string `json:"link"`
}

// kbReplyText gives what an agent inserts into a reply: the published
// article (in the asked locale where translated) as text, and its link.
func (s *Server) kbReplyText(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	a, err := k.Published(c.Request().Context(), c.Param("id"), kbLocale(c), kb.AudienceAgent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.replyTextOf(c, a))
}

func (s *Server) replyTextOf(c echo.Context, a kb.Article) kbReplyTextResponse {
	r := kbReplyTextResponse{ArticleID: a.ID, Locale: a.Locale, Title: a.Title, Visibility: a.Visibility, Text: kb.ReplyText(a)}
	if a.Visibility == kb.Public {
		r.Link = s.helpLink(c, a)
	}
	return r
}

// helpArticlePath is where the public help centre (kb/help) serves an
// article, in the language of its lang parameter.
const helpArticlePath = "/help/a/"

// helpLink is the absolute address of a public article on this desk's help
// centre, as customers open it from a reply: on the configured public URL,
// else on the host the agent reached.
func (s *Server) helpLink(c echo.Context, a kb.Article) string {
	path := helpArticlePath + url.PathEscape(a.ID) + "?" + url.Values{"lang": {a.Locale}}.Encode()
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/") + path
	}
	scheme := "http"
	if c.Request().TLS != nil || s.opts.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host + path
}

type kbPreviewRequest struct {
	Body string `json:"body"`
}

type kbPreviewResponse struct {
	// HTML is the Markdown rendered through the desk's sanitizer, exactly
	// as readers will get it.
	HTML string `json:"html"`
}

func (s *Server) kbPreview(c echo.Context) error {
	var req kbPreviewRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Body) > kb.MaxBody {
		return desk.Errorf(desk.CodeTooLarge, "the article is larger than %d bytes", kb.MaxBody)
	}
	return c.JSON(http.StatusOK, kbPreviewResponse{HTML: kb.Render(req.Body)})
}

// kbArticleRequest is a working copy as the editor sends it.
type kbArticleRequest struct {
	// ID names a new article (optional: made up when empty).
	ID string `json:"id"`
	// TranslationOf makes a new article a translation of that one.
	TranslationOf string        `json:"translation_of"`
	Locale        string        `json:"locale"`
	Title         string        `json:"title"`
	Body          string        `json:"body"`
	Summary       string        `json:"summary"`
	Category      string        `json:"category"`
	Tags          []string      `json:"tags"`
	Visibility    kb.Visibility `json:"visibility"`
}

func (r kbArticleRequest) article(id string) kb.Article {
	return kb.Article{
		ID: id, Group: r.TranslationOf, Locale: r.Locale, Title: r.Title, Body: r.Body, Summary: r.Summary,
		Category: r.Category, Tags: r.Tags, Visibility: r.Visibility,
	}
}

func (s *Server) kbCreateArticle(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	var req kbArticleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if req.ID != "" {
		// Saving over an existing article is the PUT's job; a create
		// must not overwrite someone's work.
		if _, err := k.Get(ctx, req.ID); err == nil {
			return desk.Errorf(desk.CodeConflict, "an article %s exists already", req.ID)
		} else if desk.CodeOf(err) != desk.CodeNotFound {
			return err
		}
	}
	a, err := k.SaveDraft(ctx, s.actor(c), req.article(req.ID))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (s *Server) kbSaveArticle(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	var req kbArticleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// Only an existing article is saved here; a new one is POSTed.
	if _, err := k.Get(ctx, c.Param("id")); err != nil {
		return err
	}
	req.TranslationOf = ""
	a, err := k.SaveDraft(ctx, s.actor(c), req.article(c.Param("id")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) kbSubmitArticle(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	a, err := k.Submit(c.Request().Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

type kbReviewRequest struct {
	// Approve publishes the article; false sends it back with Comment.
	Approve bool   `json:"approve"`
	Comment string `json:"comment"`
}

func (s *Server) kbReviewArticle(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	var req kbReviewRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var a kb.Article
	if req.Approve {
		a, err = k.Approve(ctx, s.actor(c), c.Param("id"))
	} else {
		a, err = k.Reject(ctx, s.actor(c), c.Param("id"), req.Comment)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// kbUnpublishArticle withdraws a published article from readers; the
// answer is the working copy (a draft of the last version).
func (s *Server) kbUnpublishArticle(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := k.Unpublish(ctx, s.actor(c), c.Param("id")); err != nil {
		return err
	}
	a, err := k.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

type kbCategoryRequest struct {
	Names    map[string]string `json:"names"`
	Position int               `json:"position"`
}

func (s *Server) kbSaveCategory(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	var req kbCategoryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cat := kb.Category{ID: c.Param("id"), Names: req.Names, Position: req.Position}
	if err := k.SaveCategory(c.Request().Context(), s.actor(c), cat); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cat)
}

func (s *Server) kbDeleteCategory(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	if err := k.DeleteCategory(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type kbSynonymsRequest struct {
	// Text is one group per line, terms separated by "~" or commas (the
	// synonyms page's format, kb.ParseSynonyms).
	Text string `json:"text"`
}

type kbSynonymsResponse struct {
	Groups [][]string `json:"groups"`
}

func (s *Server) kbSetSynonyms(c echo.Context) error {
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	var req kbSynonymsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := k.SetSynonyms(ctx, s.actor(c), kb.ParseSynonyms(req.Text)); err != nil {
		return err
	}
	groups, err := k.Synonyms(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, kbSynonymsResponse{Groups: nonNil(groups)})
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
