package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageCSP lets desk pages load only their own scripts, styles and images:
// no inline script or style at all, so a string that slips past escaping
// still cannot run.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// pageFiles are the screens; each is parsed with the layout, the shared
// partials (templates/part_*.html, one file per feature) and its own
// partials (ticket_facts.html for ticket.html) into its own set, because
// every screen defines its own "content".
var pageFiles = []string{"login.html", "error.html", "inbox.html", "ticket.html", "admin_canned.html", "admin_sites.html", "admin_routing.html", "supervisor.html", "admin_sla.html", "verify_agent.html", "admin_verification.html", "admin_official.html", "email_new.html", "admin_mailboxes.html", "admin_telegram.html", "admin_phone.html",
	"admin_agents.html", "admin_tokens.html", "admin_audit.html",
	"kb_list.html", "kb_editor.html", "kb_version.html", "kb_review.html", "kb_categories.html", "kb_synonyms.html", "kb_analytics.html",
	"complaints.html", "survey.html", "admin_csat.html",
	"qa_queue.html", "qa_mine.html", "qa_review.html", "qa_calibration.html", "qa_scorecards.html",
	"bot_settings.html", "bot_flows.html", "bot_try.html", "bot_analytics.html",
	"reports.html"}

// assets maps a static file name to a short hash of its bytes; pages link
// to /static/NAME?v=HASH so a new build is fetched at once and an old one
// may be cached for good.
var assets = hashAssets()

func hashAssets() map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}

// renderer holds the parsed screens per language and time zone, with both
// bound into the template functions at parse time. Every language is
// parsed for UTC at start (so a broken template fails at once); other
// zones are parsed the first time an agent in that zone opens a page —
// a desk has a handful of zones, and each set costs a few milliseconds.
type renderer struct {
	pages map[string]map[string]*template.Template // lang → file → set, in UTC
	mu    sync.Mutex
	zoned map[string]map[string]*template.Template // lang + "|" + zone → file → set
}

func newRenderer() (*renderer, error) {
	r := &renderer{pages: map[string]map[string]*template.Template{}, zoned: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Languages {
		set, err := parsePages(lang, time.UTC)
		if err != nil {
			return nil, err
		}
		r.pages[lang] = set
	}
	return r, nil
}

func parsePages(lang string, loc *time.Location) (map[string]*template.Template, error) {
	set := map[string]*template.Template{}
	for _, f := range pageFiles {
		// A screen's partials of other parts live in files of their
		// own, named after it (ticket_facts.html for ticket.html).
		files := []string{"templates/layout.html", "templates/part_*.html", "templates/" + f}
		parts, _ := fs.Glob(templateFS, "templates/"+strings.TrimSuffix(f, ".html")+"_*.html")
		t, err := template.New(f).Funcs(templateFuncs(lang, loc)).ParseFS(templateFS, append(files, parts...)...)
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", f, err)
		}
		set[f] = t
	}
	return set, nil
}

// page is the screen file in lang with times shown in loc.
func (r *renderer) page(lang string, loc *time.Location, file string) (*template.Template, error) {
	if loc == nil || loc.String() == "UTC" {
		return r.pages[lang][file], nil
	}
	key := lang + "|" + loc.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	set, ok := r.zoned[key]
	if !ok {
		var err error
		if set, err = parsePages(lang, loc); err != nil {
			return nil, err
		}
		r.zoned[key] = set
	}
	return set[file], nil
}

// pages is parsed once; a template that does not parse fails the tests
// (and would fail at start, not on the first request).
var pages = func() *renderer {
	r, err := newRenderer()
	if err != nil {
		panic(err)
	}
	return r
}()

func templateFuncs(lang string, loc *time.Location) template.FuncMap {
	tr := func(prefix string) func(v any) string {
		return func(v any) string {
			s := fmt.Sprint(v)
			if s == "" {
				return ""
			}
			return translateValue(lang, prefix, s) // an unknown channel or value shows as itself
		}
	}
	return template.FuncMap{
		"t":            func(key string) string { return i18n.T(lang, key) },
		"tf":           func(key string, pairs ...string) string { return i18n.T(lang, key, pairs...) },
		"asset":        assetURL,
		"status":       tr("status."),
		"priority":     tr("priority."),
		"channel":      tr("channel."),
		"delivery":     tr("delivery."),
		"role":         tr("role."),
		"view":         tr("view."),
		"identityKind": tr("identity."),
		"mailboxProblem": func(errText string) string {
			return i18n.T(lang, mailboxProblem(errText))
		},
		"statusFilter": func(v string) string {
			switch v {
			case "active":
				return i18n.T(lang, "filter.active")
			case "any":
				return i18n.T(lang, "filter.any")
			}
			return i18n.T(lang, "status."+v)
		},
		"iso": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format(time.RFC3339)
		},
		"abs":         func(t time.Time) string { return absTime(t, loc) },
		"zoneName":    func(name string) string { return zoneName(lang, name, time.Now()) },
		"inList":      func(v string, list []string) bool { return slices.Contains(list, v) },
		"zoneNow":     func() string { return zoneLabel(time.Now().In(loc)) },
		"rel":         func(t time.Time) string { return relativeTime(lang, t, time.Now(), loc) },
		"slaDuration": func(d desk.SLADuration) string { return slaDuration(lang, d) },
		"slaHours":    func(h map[string]string) []slaDayHours { return slaHours(lang, h) },
	}
}

func assetURL(name string) string {
	return "/static/" + name + "?v=" + assets[name]
}

// relativeTime is what the inbox shows as last activity; the scripts
// refresh it with the same rules (desk.js relTime). Past a month it is the
// date in the reader's zone.
func relativeTime(lang string, t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return i18n.T(lang, "time.just_now")
	case d < time.Hour:
		return i18n.T(lang, "time.minutes", "n", strconv.Itoa(int(d/time.Minute)))
	case d < 24*time.Hour:
		return i18n.T(lang, "time.hours", "n", strconv.Itoa(int(d/time.Hour)))
	case d < 30*24*time.Hour:
		return i18n.T(lang, "time.days", "n", strconv.Itoa(int(d/(24*time.Hour))))
	}
	return t.In(loc).Format("2006-01-02")
}

// viewCount is one entry of the sidebar.
type viewCount struct {
	Key    string
	Count  int
	Active bool
}

// pageData is what the layout needs; Data is the screen's own.
type pageData struct {
	Lang      string
	Title     string
	Page      string // body data-page, picks the script's screen
	Agent     desk.Agent
	CSRF      string
	Here      string // this page's path, for the language switcher's way back
	Views     []viewCount
	Scripts   []string
	JSCatalog map[string]string
	PageJSON  any
	Data      any

	IsSupervisor, IsAdmin bool
	// Zone is the IANA name of the zone times are shown in (the agent's,
	// else the desk's); ZoneChoices are offered on the header's control.
	Zone        string
	ZoneChoices []string
	// CalendarGaps warn supervisors and admins of SLA calendars lacking a
	// year's holidays (withChrome fills them).
	CalendarGaps []calendarGap
}

// render writes a screen with the page headers. The whole page is rendered
// into a buffer first so a template error becomes a clean 500, not half a
// page.
func (s *Server) render(c echo.Context, status int, file string, d pageData) error {
	return s.renderTemplate(c, status, file, "layout", d)
}

func (s *Server) renderTemplate(c echo.Context, status int, file, name string, d pageData) error {
	if d.Lang == "" {
		d.Lang = pickLanguage(c.Request())
	}
	if d.JSCatalog == nil {
		d.JSCatalog = jsCatalog(d.Lang)
	}
	if d.PageJSON == nil {
		d.PageJSON = map[string]any{}
	}
	if d.Here == "" {
		d.Here = safeNext(c.Request().URL.RequestURI())
	}
	if p := current(c); p.Agent.ID != "" {
		d.Agent = p.Agent
		d.IsSupervisor = p.Agent.Role.AtLeast(desk.RoleSupervisor)
		d.IsAdmin = p.Agent.Role.AtLeast(desk.RoleAdmin)
		if p.Session != nil {
			d.CSRF = p.Session.CSRF
		}
	}
	loc := s.zoneOf(d.Agent)
	d.Zone, d.ZoneChoices = loc.String(), zoneChoices
	if !slices.Contains(zoneChoices, d.Zone) {
		d.ZoneChoices = append([]string{d.Zone}, zoneChoices...)
	}
	t, err := pages.page(d.Lang, loc, file)
	if err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("web: no template %s", file)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, d); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", file, name, err)
	}
	setPageHeaders(c)
	return c.HTMLBlob(status, buf.Bytes())
}

func setPageHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, Accept-Language")
}

// serveStatic serves the embedded scripts and styles. A request with the
// current version may be cached for a year; anything else is revalidated.
func (s *Server) serveStatic(c echo.Context) error {
	name := path.Clean(strings.TrimPrefix(c.Param("*"), "/"))
	hash, ok := assets[name]
	if !ok {
		return desk.Errorf(desk.CodeNotFound, "no static file %s", name)
	}
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil {
		return fmt.Errorf("web: read static %s: %w", name, err)
	}
	h := c.Response().Header()
	if c.QueryParam("v") == hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", `"`+hash+`"`)
	if c.Request().Header.Get("If-None-Match") == `"`+hash+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	typ := mime.TypeByExtension(path.Ext(name))
	if typ == "" {
		typ = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, typ, b)
}
