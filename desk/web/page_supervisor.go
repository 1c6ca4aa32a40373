package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// supervisorPage is the per-team overview for supervisors and admins:
// queues, SLA alerts, the oldest waiting ticket and who is at the desk
// with what load. supervisor.js re-reads its table (fragment=teams) on
// desk events, as the inbox does its rows.
func (s *Server) supervisorPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	rows, err := s.svc.SupervisorOverview(ctx, current(c).Agent)
	if err != nil {
		return err
	}
	d := pageData{Lang: lang, Title: translate(lang, "sup.title"), Page: "supervisor", Scripts: []string{"supervisor.js"},
		Data: struct{ Teams, Health any }{rows, s.healthIssues(ctx)}}
	if c.QueryParam("fragment") == "teams" {
		return s.renderTemplate(c, http.StatusOK, "supervisor.html", "supervisor_fragment", d)
	}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "supervisor.html", d)
}
