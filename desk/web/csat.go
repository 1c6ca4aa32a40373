package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// csatRoutes: the agents' read of a ticket's surveys, the admins' settings
// (API and page), and the customers' public survey page and JSON answer.
func (s *Server) csatRoutes(v1 string, authed, admin []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/tickets/:id/survey", s.ticketSurveys, authed...)
	e.GET(v1+"/csat/settings", s.csatSettings, admin...)
	e.PUT(v1+"/csat/settings", s.saveCSATSettings, admin...)
	e.DELETE(v1+"/csat/settings/:id", s.deleteCSATSettings, admin...)
	e.POST(v1+"/public/survey-answers", s.answerSurveyJSON)

	e.GET("/survey/:token", s.surveyPage, s.pageErrors)
	e.POST("/survey/:token", s.surveySubmit, s.pageErrors)
	e.GET("/admin/csat", s.csatAdminPage, s.pageErrors, s.pageAuth, requireRole(desk.RoleAdmin))
}

// csat is the survey service, or the refusal a desk without it answers.
func (s *Server) csat() (*desk.CSAT, error) {
	if s.opts.CSAT == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "satisfaction surveys are not configured")
	}
	return s.opts.CSAT, nil
}

type surveysResponse struct {
	Surveys []desk.Survey `json:"surveys"`
}

func (s *Server) ticketSurveys(c echo.Context) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	list, err := cs.TicketSurveys(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, surveysResponse{Surveys: list})
}

func (s *Server) csatSettings(c echo.Context) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	list, err := cs.CSATSettingsFor(c.Request().Context(), desk.AgentActor(current(c).Agent))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// csatSettingsRequest is one scope's settings ("" the desk's, else a team id).
type csatSettingsRequest struct {
	Scope     string            `json:"scope"`
	Enabled   bool              `json:"enabled"`
	Threshold int               `json:"threshold"`
	Notify    bool              `json:"notify"`
	Reopen    bool              `json:"reopen"`
	Flag      bool              `json:"flag"`
	Wording   map[string]string `json:"wording"`
}

func (s *Server) saveCSATSettings(c echo.Context) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	var req csatSettingsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	set, err := cs.SaveCSATSettings(c.Request().Context(), desk.AgentActor(current(c).Agent), desk.CSATSettings{
		Scope: req.Scope, Enabled: req.Enabled, Threshold: req.Threshold, Notify: req.Notify, Reopen: req.Reopen,
		Flag: req.Flag, Wording: req.Wording})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, set)
}

func (s *Server) deleteCSATSettings(c echo.Context) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	if err := cs.DeleteCSATSettings(c.Request().Context(), desk.AgentActor(current(c).Agent), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// surveyAnswer is a customer's answer. The token travels in the body, so
// it stays out of URLs and access logs.
type surveyAnswer struct {
	Token   string `json:"token"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

type surveyAnswered struct {
	Score      int    `json:"score"`
	Comment    string `json:"comment"`
	AnsweredAt string `json:"answered_at"`
}

// answerSurveyJSON lets an API-channel integration (or any client holding
// the token) answer for its customer. The token is the credential; a
// browser page on another site is refused as the form is.
func (s *Server) answerSurveyJSON(c echo.Context) error {
	if crossSite(c.Request()) {
		return desk.Errorf(desk.CodeForbidden, "surveys are answered from this site or by a server")
	}
	cs, err := s.csat()
	if err != nil {
		return err
	}
	var req surveyAnswer
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	sv, err := cs.Answer(c.Request().Context(), req.Token, req.Score, req.Comment)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, surveyAnswered{Score: sv.Score, Comment: sv.Comment, AnsweredAt: sv.AnsweredAt.UTC().Format("2006-01-02T15:04:05.000Z07:00")})
}

// surveyView is what the public page shows.
type surveyView struct {
	Token    string
	Question string
	Scores   []int
	Score    int
	Comment  string
	Answered bool
	// Error is a refusal in the reader's words; Closed: nothing to answer.
	Error  string
	Closed bool
}

// surveyLang is the page's language: the reader's choice on the switcher,
// else the language the question was asked in.
func surveyLang(c echo.Context, sv desk.Survey) string {
	if hasLangCookie(c.Request()) || sv.Lang == "" {
		return pickLanguage(c.Request())
	}
	return sv.Lang
}

func (s *Server) surveyPage(c echo.Context) error {
	return s.survey(c, false)
}

// surveySubmit takes the page's form. The token in the path is the
// credential (no session), so a form posted from another site is refused
// by its stated origin; without JavaScript it is a plain POST.
func (s *Server) surveySubmit(c echo.Context) error {
	if crossSite(c.Request()) {
		return desk.Errorf(desk.CodeForbidden, "surveys are answered from this site")
	}
	return s.survey(c, true)
}

func (s *Server) survey(c echo.Context, submit bool) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	token := c.Param("token")
	v := surveyView{Token: token, Scores: []int{5, 4, 3, 2, 1}}
	status := http.StatusOK
	sv, err := cs.SurveyFor(ctx, token)
	lang := pickLanguage(c.Request())
	if err == nil {
		lang = surveyLang(c, sv)
		v.Question = cs.Question(ctx, sv, lang)
	}
	if err == nil && submit {
		v.Score, _ = strconv.Atoi(c.FormValue("score"))
		v.Comment = c.FormValue("comment")
		sv, err = cs.Answer(ctx, token, v.Score, v.Comment)
	}
	var de *desk.Error
	switch {
	case err == nil && sv.AnsweredAt != nil:
		v.Answered, v.Score, v.Comment = true, sv.Score, ""
	case err == nil:
		if sv.State(cs.Now()) == desk.SurveyExpired {
			status, v.Error, v.Closed = http.StatusGone, i18n.T(lang, "csat.err_expired"), true
		}
	case !errors.As(err, &de) || de.Key == "":
		return err
	default:
		v.Error = i18n.T(lang, de.Key, "max", strconv.Itoa(desk.MaxSurveyComment))
		switch de.Code {
		case desk.CodeNotFound:
			status, v.Closed = http.StatusNotFound, true
		case desk.CodeConflict:
			status, v.Closed = http.StatusConflict, true
		case desk.CodeTooLarge:
			status = http.StatusRequestEntityTooLarge
		default:
			status = http.StatusBadRequest
		}
	}
	return s.render(c, status, "survey.html", pageData{Lang: lang, Title: i18n.T(lang, "csat.page.title"), Page: "survey", Data: v})
}

// csatAdminView is the admin page: the saved settings, the teams to pick
// from and the languages of the wording.
type csatAdminView struct {
	Settings desk.CSATSettingsList
	Teams    []desk.Team
	Langs    []string
}

func (s *Server) csatAdminPage(c echo.Context) error {
	cs, err := s.csat()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := current(c).Agent
	list, err := cs.CSATSettingsFor(ctx, desk.AgentActor(a))
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	return s.render(c, http.StatusOK, "admin_csat.html", pageData{Lang: lang, Title: i18n.T(lang, "csat.admin.title"), Page: "csat-admin",
		Scripts: []string{"csat_admin.js"}, PageJSON: list, Data: csatAdminView{Settings: list, Teams: teams, Langs: i18n.Languages}})
}

// TeamName names a saved scope on the page (an id of a deleted team shows
// as itself).
func (v csatAdminView) TeamName(id string) string {
	for _, t := range v.Teams {
		if t.ID == id {
			return t.Name
		}
	}
	return id
}
