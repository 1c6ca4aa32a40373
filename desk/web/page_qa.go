package web

import (
	"cmp"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

func (s *Server) qaPageRoutes() {
	e := s.echo
	page := []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}
	sup := append(page[:len(page):len(page)], requireRole(desk.RoleSupervisor))
	e.GET("/qa", s.qaQueuePage, page...)
	e.GET("/qa/mine", s.qaMinePage, page...)
	e.GET("/qa/reviews/:id", s.qaReviewPage, page...)
	e.GET("/qa/calibrations/:id", s.qaCalibrationPage, page...)
	e.GET("/qa/scorecards", s.qaScorecardsPage, sup...)
}

// qaRow is one review in a list.
type qaRow struct {
	desk.QAReview
	AgentName, ReviewerName string
}

func qaRows(list []desk.QAReview, names map[string]desk.Agent) []qaRow {
	out := make([]qaRow, len(list))
	for i, r := range list {
		out[i] = qaRow{QAReview: r, AgentName: names[r.AgentID].Name, ReviewerName: names[r.ReviewerID].Name}
	}
	return out
}

// qaQueueView is the reviewer's queue; supervisors also see the disputes,
// the plans with "run now", and the plan and calibration forms.
type qaQueueView struct {
	Todo, Disputes []qaRow
	Plans          []desk.QAPlan
	Cards          []desk.QAScorecard
	Reviewers      []desk.Agent
	Teams          []desk.Team
	Rules          []string
	Names          map[string]desk.Agent
	Supervisor     bool
	LastWeek       string
}

func (s *Server) qaQueuePage(c echo.Context) error {
	ctx := c.Request().Context()
	a := current(c).Agent
	if !desk.CanReviewQA(a) {
		return c.Redirect(http.StatusSeeOther, "/qa/mine")
	}
	todo, disputes, err := s.svc.QAReviewQueue(ctx, a)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	v := qaQueueView{Todo: qaRows(todo, names), Disputes: qaRows(disputes, names), Names: names, Rules: desk.QARules,
		Supervisor: a.Role.AtLeast(desk.RoleSupervisor), LastWeek: desk.QAWeekOf(time.Now().AddDate(0, 0, -7))}
	if v.Supervisor {
		if v.Plans, err = s.svc.QAPlans(ctx, s.actor(c)); err != nil {
			return err
		}
		if v.Cards, err = s.svc.QAScorecards(ctx, s.actor(c)); err != nil {
			return err
		}
		if v.Teams, err = s.svc.Teams(ctx); err != nil {
			return err
		}
		for _, ag := range names {
			if ag.Active && desk.CanReviewQA(ag) {
				v.Reviewers = append(v.Reviewers, ag)
			}
		}
	}
	return s.qaRender(c, "qa_queue.html", "qa.title", "qa-queue", v, nil)
}

func (s *Server) qaMinePage(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.svc.MyQAResults(ctx, current(c).Agent)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	return s.qaRender(c, "qa_mine.html", "qa.mine.title", "qa-mine", qaRows(list, names), nil)
}

// qaCriterionRow is one line of the scorecard form, in the reader's
// language.
type qaCriterionRow struct {
	Key, Name, Description string
	Weight                 int
	Score                  int
	Scored                 bool
	Note                   string
}

// qaEntry is one message of the reviewed timeline with its comments.
type qaEntry struct {
	desk.Message
	Author   string
	Comments []qaCommentRow
}

type qaCommentRow struct {
	desk.QAComment
	Author string
}

type qaReviewPageView struct {
	desk.QAReviewView
	Criteria      []qaCriterionRow
	Entries       []qaEntry
	AgentName     string
	ReviewerName  string
	SettledByName string
	Scores        []int
	Editable      bool
	Outcomes      []string
}

// qaText picks a card text in lang, else zh-CN, else English, else any.
func qaText(m map[string]string, lang string) string {
	if v := cmp.Or(m[lang], m[i18n.ZhCN], m[i18n.En]); v != "" {
		return v
	}
	for _, v := range m {
		return v
	}
	return ""
}

func (s *Server) qaReviewPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	v, err := s.svc.QAReviewScreen(ctx, current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	pv := qaReviewPageView{QAReviewView: v, AgentName: v.Agents[v.Review.AgentID], ReviewerName: v.Agents[v.Review.ReviewerID],
		SettledByName: v.Agents[v.Review.SettledBy], Editable: v.May.Score || v.May.Settle,
		Scores: []int{0, 1, 2, 3, 4, 5}, Outcomes: []string{desk.QAUpheld, desk.QAAmended}}
	scored := map[string]desk.QAScore{}
	for _, sc := range v.Review.Scores {
		scored[sc.Key] = sc
	}
	weights := map[string]int{}
	for _, cr := range v.Scorecard.Criteria {
		sc, ok := scored[cr.Key]
		pv.Criteria = append(pv.Criteria, qaCriterionRow{Key: cr.Key, Name: qaText(cr.Name, lang), Description: qaText(cr.Description, lang),
			Weight: cr.Weight, Score: sc.Score, Scored: ok, Note: sc.Note})
		weights[cr.Key] = cr.Weight
	}
	byMsg := map[string][]qaCommentRow{}
	for _, cm := range v.Comments {
		byMsg[cm.MessageID] = append(byMsg[cm.MessageID], qaCommentRow{QAComment: cm, Author: v.Agents[cm.AuthorID]})
	}
	for _, m := range v.Messages {
		if m.Direction == desk.DirSystem {
			m.Text = systemText(lang, m)
		}
		author := m.AuthorName
		if m.AuthorKind == desk.AuthorAgent {
			author = cmp.Or(v.Agents[m.AuthorID], author)
		}
		pv.Entries = append(pv.Entries, qaEntry{Message: m, Author: author, Comments: byMsg[m.ID]})
	}
	pj := map[string]any{"review": v.Review.ID, "weights": weights, "max": desk.QAMaxScore}
	return s.qaRender(c, "qa_review.html", "qa.review.title", "qa-review", pv, pj)
}

type qaCalibrationView struct {
	desk.QACalibrationResult
	Criteria []qaCalibrationRow
}

type qaCalibrationRow struct {
	Name string
	desk.QASpread
}

func (s *Server) qaCalibrationPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	res, err := s.svc.QACalibrationResult(ctx, current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	v := qaCalibrationView{QACalibrationResult: res}
	for i, sp := range res.Criteria {
		v.Criteria = append(v.Criteria, qaCalibrationRow{Name: qaText(res.Scorecard.Criteria[i].Name, lang), QASpread: sp})
	}
	return s.qaRender(c, "qa_calibration.html", "qa.calibration.title", "qa-calibration", v, nil)
}

func (s *Server) qaScorecardsPage(c echo.Context) error {
	cards, err := s.svc.QAScorecards(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return s.qaRender(c, "qa_scorecards.html", "qa.cards.title", "qa-cards", cards, map[string]any{"cards": cards, "languages": i18n.Languages})
}

func (s *Server) qaRender(c echo.Context, file, titleKey, page string, data any, pageJSON map[string]any) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, titleKey), Page: page, Scripts: []string{"qa.js"}, Data: data}
	if pageJSON != nil {
		d.PageJSON = pageJSON
	}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, file, d)
}
