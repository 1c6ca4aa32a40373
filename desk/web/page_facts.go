package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// factsPages are the desk pages of this part: the verification policy
// (supervisors and admins) with the facts import (admins).
func (s *Server) factsPages(e *echo.Echo) {
	e.GET("/admin/verification", s.verificationPage, s.pageErrors, s.pageAuth, requireRole(desk.RoleSupervisor))
}

type policyRow struct {
	Fact  string
	Level int
}

// verificationPage shows the policy in force as a form; facts_admin.js
// saves it through PUT /api/v1/verification/policy and uploads imports to
// POST /api/v1/facts/import.
func (s *Server) verificationPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	set, err := s.svc.FactPolicy(ctx)
	if err != nil {
		return err
	}
	var rows []policyRow
	for _, f := range desk.Facts {
		rows = append(rows, policyRow{Fact: f, Level: set.Policy.Need(f)})
	}
	by := ""
	if set.UpdatedBy != "" {
		names, err := s.agentNames(ctx)
		if err != nil {
			return err
		}
		by = agentLabel(names, set.UpdatedBy)
	}
	data := struct {
		Rows    []policyRow
		Levels  []int
		Saved   desk.FactPolicySettings
		By      string
		IsAdmin bool
	}{rows, []int{desk.LevelNone, desk.LevelChannel, desk.LevelOTP, desk.LevelKnowledge}, set, by,
		current(c).Agent.Role.AtLeast(desk.RoleAdmin)}
	d := pageData{Lang: lang, Title: i18n.T(lang, "facts.policy_title"), Page: "verification-admin",
		Scripts: []string{"facts_admin.js"}, Data: data}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_verification.html", d)
}
