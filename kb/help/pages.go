package help

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
	"huiliu/i18n"
	"huiliu/kb"
)

// page is what the template renders; Kind picks the main part.
type page struct {
	Kind        string // home, category, search, article, notfound
	Lang        string
	Title       string
	Description string
	Canonical   string
	Alternates  []alternate
	Switch      []alternate
	Query       string
	Home        string

	Categories []catView
	Articles   []articleView
	Hits       []hitView
	Heading    string

	Article      kb.Article
	ArticleNote  string
	CategoryName string
	CategoryURL  string
	Updated      string
	FeedbackURL  string
	Feedback     string // "", "thanks" or "limited"
}

type alternate struct {
	Lang, Name, URL string
	Current         bool
}

type catView struct {
	Name, URL string
	Count     int
}

type articleView struct {
	Title, Summary, URL string
}

type hitView struct {
	Title, URL, Snippet string
}

func (h *Handler) newPage(r *http.Request, kind, l string) *page {
	p := &page{Kind: kind, Lang: l, Home: link("/help", l)}
	for _, x := range kb.Locales {
		q := r.URL.Query()
		q.Set("lang", x)
		p.Switch = append(p.Switch, alternate{Lang: x, Name: languageName[x], URL: r.URL.Path + "?" + q.Encode(), Current: x == l})
	}
	return p
}

// render writes the page; public pages may be cached briefly by browsers
// and proxies (they hold nothing personal).
func (h *Handler) render(w http.ResponseWriter, status int, p *page) {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, "page.html", p); err != nil {
		h.o.Logger.Error("help: render", "kind", p.Kind, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK && p.Feedback == "" {
		w.Header().Set("Cache-Control", "public, max-age=60")
	} else {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// alternatesFor: the same page in every language (home, category, search).
func (h *Handler) alternatesFor(r *http.Request, path string) []alternate {
	var out []alternate
	for _, l := range kb.Locales {
		out = append(out, alternate{Lang: l, URL: h.base(r) + link(path, l)})
	}
	return out
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	l, _ := lang(r)
	p := h.newPage(r, "home", l)
	p.Title = i18n.T(l, "kb.help.title")
	p.Description = i18n.T(l, "kb.help.description")
	p.Canonical = h.base(r) + link("/help", l)
	p.Alternates = h.alternatesFor(r, "/help")
	cats, err := h.o.KB.Categories(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts := map[string]int{}
	all := h.o.KB.Browse(l, kb.AudiencePublic, "")
	for _, a := range all {
		counts[a.Category]++
	}
	known := map[string]bool{}
	for _, c := range cats {
		known[c.ID] = true
		if counts[c.ID] > 0 {
			p.Categories = append(p.Categories, catView{Name: c.Name(l), URL: link("/help/c/"+c.ID, l), Count: counts[c.ID]})
		}
	}
	// Articles without a (known) category are listed on the home page.
	for _, a := range all {
		if !known[a.Category] {
			p.Articles = append(p.Articles, view(a))
		}
	}
	h.render(w, http.StatusOK, p)
}

func view(a kb.Article) articleView {
	return articleView{Title: a.Title, Summary: a.Summary, URL: link("/help/a/"+a.ID, a.Locale)}
}

func (h *Handler) category(w http.ResponseWriter, r *http.Request) {
	l, _ := lang(r)
	id := r.PathValue("id")
	cats, err := h.o.KB.Categories(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var cat *kb.Category
	for i := range cats {
		if cats[i].ID == id {
			cat = &cats[i]
		}
	}
	list := h.o.KB.Browse(l, kb.AudiencePublic, id)
	if cat == nil || len(list) == 0 {
		h.notFound(w, r, l)
		return
	}
	p := h.newPage(r, "category", l)
	p.Title = cat.Name(l) + " - " + i18n.T(l, "kb.help.title")
	p.Heading = cat.Name(l)
	p.Description = i18n.T(l, "kb.help.description")
	p.Canonical = h.base(r) + link("/help/c/"+id, l)
	p.Alternates = h.alternatesFor(r, "/help/c/"+id)
	for _, a := range list {
		p.Articles = append(p.Articles, view(a))
	}
	h.render(w, http.StatusOK, p)
}

func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	l, _ := lang(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		http.Redirect(w, r, link("/help", l), http.StatusSeeOther)
		return
	}
	q = string([]rune(q)[:min(len([]rune(q)), kb.MaxQuery)])
	if !h.allow(r.Context(), r, "search", SearchPerMinute, time.Minute) {
		http.Error(w, i18n.T(l, "kb.help.feedback_limited"), http.StatusTooManyRequests)
		return
	}
	hits, err := h.o.KB.Search(r.Context(), kb.Query{Text: q, Locale: l, Audience: kb.AudiencePublic, Limit: 20})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.o.KB.RecordQuery(r.Context(), q, l, kb.AudiencePublic, len(hits)); err != nil {
		h.o.Logger.Warn("help: record query", "err", err)
	}
	p := h.newPage(r, "search", l)
	p.Query = q
	p.Title = i18n.T(l, "kb.help.results_title", "query", q) + " - " + i18n.T(l, "kb.help.title")
	p.Heading = i18n.T(l, "kb.help.results_title", "query", q)
	p.Description = i18n.T(l, "kb.help.results_count", "count", strconv.Itoa(len(hits)))
	// Result pages are not for search engines' indexes; the canonical link
	// points at the help centre's home.
	p.Canonical = h.base(r) + link("/help", l)
	for _, hit := range hits {
		p.Hits = append(p.Hits, hitView{Title: hit.Article.Title, URL: link("/help/a/"+hit.Article.ID, hit.Article.Locale), Snippet: hit.Snippet})
	}
	h.render(w, http.StatusOK, p)
}

func (h *Handler) article(w http.ResponseWriter, r *http.Request) {
	l, _ := lang(r)
	h.showArticle(w, r, l, r.PathValue("id"), "", http.StatusOK)
}

func (h *Handler) showArticle(w http.ResponseWriter, r *http.Request, l, id, feedback string, status int) {
	a, err := h.o.KB.Published(r.Context(), id, l, kb.AudiencePublic)
	if errors.Is(err, desk.ErrNotFound) {
		h.notFound(w, r, l)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if a.ID != id {
		// The visitor's language has its own translation: send them to it,
		// so each language version has one address.
		http.Redirect(w, r, link("/help/a/"+a.ID, l), http.StatusFound)
		return
	}
	p := h.newPage(r, "article", l)
	p.Article = a
	p.Title = a.Title + " - " + i18n.T(l, "kb.help.title")
	p.Description = a.Summary
	if p.Description == "" {
		p.Description = i18n.T(l, "kb.help.description")
	}
	p.Canonical = h.base(r) + link("/help/a/"+a.ID, a.Locale)
	for _, t := range h.o.KB.Alternates(a.ID, kb.AudiencePublic) {
		p.Alternates = append(p.Alternates, alternate{Lang: t.Locale, URL: h.base(r) + link("/help/a/"+t.ID, t.Locale)})
	}
	if a.Locale != l {
		p.ArticleNote = i18n.T(l, "kb.help.other_language", "language", languageName[a.Locale])
	}
	if cats, err := h.o.KB.Categories(r.Context()); err == nil {
		for _, c := range cats {
			if c.ID == a.Category {
				p.CategoryName, p.CategoryURL = c.Name(l), link("/help/c/"+c.ID, l)
			}
		}
	}
	p.Updated = i18n.T(l, "kb.help.updated", "date", a.PublishedAt.Format("2006-01-02"))
	p.FeedbackURL = link("/help/a/"+a.ID+"/feedback", l)
	p.Feedback = feedback
	h.render(w, status, p)
}

// feedback takes the "was this helpful?" form: helpful=yes|no and an
// optional comment, limited per address; the article page is shown again
// with a thank-you (or the limit) in place of the form.
func (h *Handler) feedback(w http.ResponseWriter, r *http.Request) {
	l, _ := lang(r)
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	helpful := r.PostForm.Get("helpful")
	if helpful != "yes" && helpful != "no" {
		http.Error(w, "helpful must be yes or no", http.StatusBadRequest)
		return
	}
	if !h.allow(r.Context(), r, "feedback", FeedbackPerHour, time.Hour) {
		h.showArticle(w, r, l, id, "limited", http.StatusTooManyRequests)
		return
	}
	comment := r.PostForm.Get("comment")
	if len([]rune(comment)) > kb.MaxComment {
		comment = string([]rune(comment)[:kb.MaxComment])
	}
	err := h.o.KB.RecordFeedback(r.Context(), kb.Feedback{ArticleID: id, Locale: l, Helpful: helpful == "yes", Comment: comment})
	if errors.Is(err, desk.ErrNotFound) {
		h.notFound(w, r, l)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showArticle(w, r, l, id, "thanks", http.StatusOK)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, l string) {
	p := h.newPage(r, "notfound", l)
	p.Title = i18n.T(l, "kb.help.not_found") + " - " + i18n.T(l, "kb.help.title")
	p.Heading = i18n.T(l, "kb.help.not_found")
	h.render(w, http.StatusNotFound, p)
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.o.Logger.Error("help: page", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
