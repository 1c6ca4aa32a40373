// Package help is the public help centre: server-rendered pages under
// /help (home with categories and search, category pages, articles with
// "was this helpful?", search results) in zh-CN, zh-TW and en, and the
// small JSON suggestion endpoint the widget calls while a customer types.
// Pages carry no script and no external asset; only public, published
// articles are shown.
package help

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"huiliu/i18n"
	"huiliu/internal/filetype"
	"huiliu/kb"
	"huiliu/queue"
)

//go:embed templates/*.html static/help.css
var files embed.FS

// Limits of the public endpoints, per client address.
const (
	FeedbackPerHour  = 10
	SuggestPerMinute = 60
	SearchPerMinute  = 60
	// SuggestMax is how many articles a suggestion answers with.
	SuggestMax = 3
)

// Options configure the help centre.
type Options struct {
	KB *kb.Service
	// Limiter counts requests per client address; nil disables the limits
	// (tests of other behaviour only).
	Limiter queue.Limiter
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// PublicURL is the desk's external origin for canonical links
	// (https://help.example.com); empty: the request's host.
	PublicURL string
	// Agent says whether a request comes from a signed-in agent, who may
	// see the pictures of internal articles; nil: nobody is.
	Agent  func(*http.Request) bool
	Logger *slog.Logger
}

// Handler serves /help and everything under it.
type Handler struct {
	o    Options
	tmpl *template.Template
	css  []byte
	mux  *http.ServeMux
}

// Paths the desk mounts.
var Paths = []string{"/help", "/help/*"}

// New builds the help centre.
func New(o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{o: o}
	h.tmpl = template.Must(template.New("").Funcs(template.FuncMap{
		"t": func(lang, key string, pairs ...string) string { return i18n.T(lang, key, pairs...) },
		"safe": func(s string) template.HTML {
			// Only for kb.Article.HTML and kb.Hit.Snippet, which the kb
			// package sanitizes or escapes.
			return template.HTML(s)
		},
		"itoa": strconv.Itoa,
	}).ParseFS(files, "templates/*.html"))
	h.css, _ = files.ReadFile("static/help.css")
	m := http.NewServeMux()
	m.HandleFunc("GET /help", h.home)
	m.HandleFunc("GET /help/{$}", h.home)
	m.HandleFunc("GET /help/search", h.search)
	m.HandleFunc("GET /help/c/{id}", h.category)
	m.HandleFunc("GET /help/a/{id}", h.article)
	m.HandleFunc("POST /help/a/{id}/feedback", h.feedback)
	m.HandleFunc("GET /help/api/suggest", h.suggest)
	m.HandleFunc("GET /help/help.css", h.stylesheet)
	m.HandleFunc("GET /help/img/{id}", h.image)
	h.mux = m
	return h
}

// pageCSP allows the page its own stylesheet and form posts, nothing else:
// no script runs on a help page, whatever an article holds.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", pageCSP)
	h.mux.ServeHTTP(w, r)
}

// lang is the visitor's language: ?lang= when it names a supported one,
// else Accept-Language, else zh-CN.
func lang(r *http.Request) (string, bool) {
	if l := r.URL.Query().Get("lang"); l != "" {
		if m, ok := i18n.Known(l); ok {
			return m, true
		}
	}
	return i18n.MatchAcceptLanguage(r.Header.Get("Accept-Language")), false
}

// clientIP is the address rate limits count.
func (h *Handler) clientIP(r *http.Request) string {
	if h.o.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allow counts a request against a limit; a failing limiter lets it
// through (a Redis outage must not close the help centre) and is logged.
func (h *Handler) allow(ctx context.Context, r *http.Request, what string, limit int, window time.Duration) bool {
	if h.o.Limiter == nil {
		return true
	}
	ok, _, err := h.o.Limiter.Allow(ctx, "help:"+what+":"+h.clientIP(r), limit, window)
	if err != nil {
		h.o.Logger.Warn("help: rate limiter", "err", err)
		return true
	}
	return ok
}

// base is the origin canonical links use.
func (h *Handler) base(r *http.Request) string {
	if h.o.PublicURL != "" {
		return strings.TrimRight(h.o.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || (h.o.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func link(path, lang string, extra ...string) string {
	q := url.Values{}
	q.Set("lang", lang)
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return path + "?" + q.Encode()
}

// image serves an article's picture by its bytes' type (only pictures
// were stored). Anyone gets a picture a public published article shows;
// any other (of an internal article or a draft) only a signed-in agent,
// and nobody else learns that it exists. Public pictures are cached for an
// hour, not for good: an article can become internal or be withdrawn.
func (h *Handler) image(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	public := h.o.KB.ShownPublicly(id)
	if !public && (h.o.Agent == nil || !h.o.Agent(r)) {
		http.NotFound(w, r)
		return
	}
	img, err := h.o.KB.Image(r.Context(), id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	typ, disp := filetype.Serving(img.Data)
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", disp)
	if public {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	} else {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	_, _ = w.Write(img.Data)
}

func (h *Handler) stylesheet(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(h.css)
}

// suggestion is one article in the widget's list.
type suggestion struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// suggest answers GET /help/api/suggest?q=&lang= with at most SuggestMax
// public articles and the heading to show above them.
func (h *Handler) suggest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The widget calls this from the customer's shop, another origin; the
	// answer is public and the call carries no credentials.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	l, _ := lang(r)
	if !h.allow(r.Context(), r, "suggest", SuggestPerMinute, time.Minute) {
		w.WriteHeader(http.StatusTooManyRequests)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "rate_limited"})
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	out := struct {
		Heading  string       `json:"heading"`
		Articles []suggestion `json:"articles"`
	}{Heading: i18n.T(l, "kb.suggest.heading"), Articles: []suggestion{}}
	if len([]rune(q)) >= 2 {
		hits, err := h.o.KB.Suggest(r.Context(), q, l, kb.AudiencePublic, SuggestMax)
		if err != nil {
			h.o.Logger.Error("help: suggest", "err", err)
			w.WriteHeader(http.StatusInternalServerError)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "internal"})
			return
		}
		for _, hit := range hits {
			out.Articles = append(out.Articles, suggestion{ID: hit.Article.ID, Title: hit.Article.Title,
				URL: link("/help/a/"+hit.Article.ID, hit.Article.Locale)})
		}
	}
	_ = json.NewEncoder(w).Encode(out)
}

// languageName is a locale's name in itself, for the switcher.
var languageName = map[string]string{"zh-CN": "简体中文", "zh-TW": "繁體中文", "en": "English"}
