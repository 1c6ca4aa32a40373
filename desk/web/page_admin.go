package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// cannedPage manages canned replies per team; the form and list are driven
// by admin.js through the REST API.
func (s *Server) cannedPage(c echo.Context) error {
	ctx := c.Request().Context()
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "canned.title"), Page: "canned", Scripts: []string{"admin.js", "kb_admin.js"},
		Data: struct {
			Teams any
			Vars  string
		}{teams, "{{" + strings.Join(desk.CannedVariables, "}} {{") + "}}"}}
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	d.PageJSON = map[string]any{"teams": names}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_canned.html", d)
}

// sitesPage manages website chat sites (admins): keys, secrets, allowed
// origins and the embed snippet.
func (s *Server) sitesPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	scheme := "http"
	if c.Request().TLS != nil || s.opts.SecureCookies {
		scheme = "https"
	}
	origin := scheme + "://" + c.Request().Host
	d := pageData{Lang: lang, Title: i18n.T(lang, "sites.title"), Page: "sites", Scripts: []string{"admin.js"},
		Data: struct{ Origin string }{origin}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_sites.html", d)
}
