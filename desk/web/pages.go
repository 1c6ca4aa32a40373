package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// pageRoutes registers the agents' and supervisors' web desk: server-rendered
// pages, their static files and the agent websocket.
func (s *Server) pageRoutes() {
	e := s.echo
	e.GET("/static/*", s.serveStatic)
	e.GET("/login", s.loginPage, s.pageErrors)
	e.POST("/login", s.loginSubmit, s.pageErrors)
	e.GET("/lang", s.setLanguage)
	e.GET("/verify-agent", s.verifyAgentPage, s.pageErrors)

	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	e.POST("/logout", s.logoutSubmit, page...)
	e.GET("/", s.inboxPage, page...)
	e.GET("/inbox", s.inboxPage, page...)
	e.GET("/tickets/:id", s.ticketPage, page...)
	e.GET("/admin/canned", s.cannedPage, append(page, requireRole(desk.RoleSupervisor))...)
	e.GET("/admin/sites", s.sitesPage, append(page, requireRole(desk.RoleAdmin))...)
	e.GET("/admin/agents", s.agentsPage, append(page, requireRole(desk.RoleAdmin))...)
	e.GET("/admin/tokens", s.tokensPage, append(page, requireRole(desk.RoleAdmin))...)
	e.GET("/admin/audit", s.auditPage, append(page, requireRole(desk.RoleAdmin))...)
	e.GET("/supervisor", s.supervisorPage, append(page, requireRole(desk.RoleSupervisor))...)
	e.GET("/admin/sla", s.slaAdminPage, append(page, requireRole(desk.RoleAdmin))...)
	s.emailRoutes(page)
	e.GET("/admin/phone", s.callImportPage, append(page[:len(page):len(page)], requireRole(desk.RoleAdmin))...)
	e.GET("/desk/recordings/:id", s.recording, page...)

	// The live socket answers errors as the API does (JSON, 401 instead
	// of a redirect).
	e.GET("/desk/ws", s.agentWS, s.authenticate)
}

// pageAuth lets a page through with a valid session cookie and sends
// everyone else to the login form, remembering where they were going.
func (s *Server) pageAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		secret := s.sessionFromCookie(c.Request())
		if secret == "" {
			return redirectToLogin(c)
		}
		p, err := s.svc.Authenticate(c.Request().Context(), secret)
		if err != nil {
			if desk.CodeOf(err) == desk.CodeUnauthorized {
				return redirectToLogin(c)
			}
			return err
		}
		if p.Session == nil {
			// An API token pasted into the cookie is not a browser session.
			return redirectToLogin(c)
		}
		c.Set(principalKey, principal{Principal: p, viaCookie: true})
		return next(c)
	}
}

func redirectToLogin(c echo.Context) error {
	target := "/login"
	if r := c.Request(); r.Method == http.MethodGet {
		if n := safeNext(r.URL.RequestURI()); n != "/" {
			target += "?next=" + url.QueryEscape(n)
		}
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// pageErrors renders a failed page as a translated HTML page instead of the
// API's JSON. Only the code decides what the person reads; causes are logged.
func (s *Server) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		code := desk.CodeOf(err)
		var he *echo.HTTPError
		if errors.As(err, &he) {
			code = codeOfStatus[he.Code]
		}
		status, ok := statusOf[code]
		if !ok {
			code, status = desk.CodeInternal, http.StatusInternalServerError
		}
		if status >= 500 && c.Request().Context().Err() == nil {
			s.log.Error("web: page failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		}
		lang := pickLanguage(c.Request())
		key := map[desk.Code]string{
			desk.CodeInvalid: "error.invalid", desk.CodeNotFound: "error.not_found", desk.CodeForbidden: "error.forbidden",
			desk.CodeUnavailable: "error.unavailable", desk.CodeTooLarge: "error.too_large",
		}[code]
		if key == "" {
			key = "error.internal"
		}
		d := pageData{Lang: lang, Title: i18n.T(lang, "error.title"), Page: "error", Data: struct{ Message string }{i18n.T(lang, key)}}
		if rerr := s.render(c, status, "error.html", d); rerr != nil {
			s.log.Error("web: render error page", "err", rerr)
			return err
		}
		return nil
	}
}

// safeNext keeps a post-login or language-switch redirect on this site: a
// relative path only, never another host ("//evil", "/\evil", "https://").
func safeNext(v string) string {
	if v == "" || !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, "/\\") {
		return "/"
	}
	if strings.ContainsAny(v, "\\\r\n\t\x00") {
		return "/"
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return v
}

// statedOrigin is the host a browser says a request came from: the Origin
// header, or failing that (absent or "null") the Referer. stated is false
// when the request says nothing at all; a "null" Origin without a Referer
// (a sandboxed or opaque page) is stated with an empty host, matching no host.
func statedOrigin(r *http.Request) (host string, stated bool) {
	origin := r.Header.Get("Origin")
	src := origin
	if src == "" || src == "null" {
		src = r.Header.Get("Referer")
	}
	if src == "" {
		return "", origin == "null"
	}
	u, err := url.Parse(src)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", true
	}
	return u.Host, true
}

// sameOrigin reports whether a state-changing browser request (a login form
// post) comes from a page of this host. A request that states no origin is
// refused; browsers send Origin on every form post.
func sameOrigin(r *http.Request) bool {
	host, _ := statedOrigin(r)
	return host != "" && strings.EqualFold(host, r.Host)
}

// crossSite reports a request that states an origin other than this host.
// The login API refuses such a request a browser session (as the login form
// does) but lets clients that state nothing, scripts, through.
func crossSite(r *http.Request) bool {
	_, stated := statedOrigin(r)
	return stated && !sameOrigin(r)
}

// originOnly is sameOrigin for websockets, which always carry Origin from a
// browser: a missing Origin is refused rather than read from Referer.
func originOnly(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// setLanguage is the switcher: it remembers the choice for a year and
// goes back to the page it came from.
func (s *Server) setLanguage(c echo.Context) error {
	lang := c.QueryParam("set")
	found := false
	for _, l := range i18n.Languages {
		if l == lang {
			found = true
		}
	}
	if !found {
		return desk.Errorf(desk.CodeInvalid, "unknown language %q", lang)
	}
	c.SetCookie(&http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies || c.Request().TLS != nil,
	})
	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}
