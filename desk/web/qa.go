package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// qaRoutes: quality sampling and scorecards (质检), API and pages. Access
// is decided in desk; the role filters here only answer early.
func (s *Server) qaRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	sup := append(authed[:len(authed):len(authed)], requireRole(desk.RoleSupervisor))
	e.GET(v1+"/qa/scorecards", s.qaListScorecards, authed...)
	e.POST(v1+"/qa/scorecards", s.qaCreateScorecard, sup...)
	e.GET(v1+"/qa/scorecards/:id", s.qaGetScorecard, authed...)
	e.PUT(v1+"/qa/scorecards/:id", s.qaSaveScorecard, sup...)
	e.GET(v1+"/qa/plans", s.qaListPlans, authed...)
	e.POST(v1+"/qa/plans", s.qaCreatePlan, sup...)
	e.PUT(v1+"/qa/plans/:id", s.qaSavePlan, sup...)
	e.POST(v1+"/qa/plans/:id/run", s.qaRunPlan, sup...)
	e.GET(v1+"/qa/queue", s.qaQueue, authed...)
	e.GET(v1+"/qa/results", s.qaResults, authed...)
	e.GET(v1+"/qa/reviews/:id", s.qaGetReview, authed...)
	e.POST(v1+"/qa/reviews/:id/comments", s.qaComment, authed...)
	e.POST(v1+"/qa/reviews/:id/submit", s.qaSubmit, authed...)
	e.POST(v1+"/qa/reviews/:id/acknowledge", s.qaAcknowledge, authed...)
	e.POST(v1+"/qa/reviews/:id/dispute", s.qaDispute, authed...)
	e.POST(v1+"/qa/reviews/:id/settle", s.qaSettle, authed...)
	e.POST(v1+"/qa/calibrations", s.qaCreateCalibration, sup...)
	e.GET(v1+"/qa/calibrations/:id", s.qaGetCalibration, authed...)
	s.qaPageRoutes()
}

type qaScorecardList struct {
	Scorecards []desk.QAScorecard `json:"scorecards"`
}

type qaScorecardRequest struct {
	Name     string             `json:"name"`
	Criteria []desk.QACriterion `json:"criteria"`
}

type qaPlanList struct {
	Plans []desk.QAPlan `json:"plans"`
}

type qaPlanRequest struct {
	Name        string   `json:"name"`
	ScorecardID string   `json:"scorecard_id"`
	TeamID      string   `json:"team_id"`
	PerAgent    int      `json:"per_agent"`
	Rules       []string `json:"rules"`
	Reviewers   []string `json:"reviewers"`
	Active      bool     `json:"active"`
}

type qaRunRequest struct {
	Week string `json:"week"`
}

type qaQueueResponse struct {
	Todo     []desk.QAReview `json:"todo"`
	Disputes []desk.QAReview `json:"disputes"`
}

type qaResultList struct {
	Reviews []desk.QAReview `json:"reviews"`
}

type qaCommentRequest struct {
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
}

type qaSubmitRequest struct {
	Scores []desk.QAScore `json:"scores"`
	Note   string         `json:"note"`
}

type qaDisputeRequest struct {
	Reason string `json:"reason"`
}

type qaSettleRequest struct {
	Outcome string         `json:"outcome"`
	Scores  []desk.QAScore `json:"scores"`
	Note    string         `json:"note"`
}

type qaCalibrationRequest struct {
	TicketID    string   `json:"ticket_id"`
	ScorecardID string   `json:"scorecard_id"`
	Reviewers   []string `json:"reviewers"`
}

type qaCalibrationCreated struct {
	Calibration desk.QACalibration `json:"calibration"`
	Reviews     []desk.QAReview    `json:"reviews"`
}

func (s *Server) qaListScorecards(c echo.Context) error {
	list, err := s.svc.QAScorecards(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, qaScorecardList{Scorecards: list})
}

func (s *Server) qaGetScorecard(c echo.Context) error {
	version := 0
	if v := c.QueryParam("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return desk.Errorf(desk.CodeInvalid, "version is a number from 1")
		}
		version = n
	}
	card, err := s.svc.QAScorecard(c.Request().Context(), s.actor(c), c.Param("id"), version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, card)
}

func (s *Server) qaCreateScorecard(c echo.Context) error {
	return s.qaPutScorecard(c, "", http.StatusCreated)
}

func (s *Server) qaSaveScorecard(c echo.Context) error {
	return s.qaPutScorecard(c, c.Param("id"), http.StatusOK)
}

func (s *Server) qaPutScorecard(c echo.Context, id string, status int) error {
	var req qaScorecardRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	card, err := s.svc.SaveQAScorecard(c.Request().Context(), s.actor(c), id, req.Name, req.Criteria)
	if err != nil {
		return err
	}
	return c.JSON(status, card)
}

func (s *Server) qaListPlans(c echo.Context) error {
	list, err := s.svc.QAPlans(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, qaPlanList{Plans: list})
}

func (s *Server) qaCreatePlan(c echo.Context) error {
	return s.qaPutPlan(c, "", http.StatusCreated)
}

func (s *Server) qaSavePlan(c echo.Context) error {
	return s.qaPutPlan(c, c.Param("id"), http.StatusOK)
}

func (s *Server) qaPutPlan(c echo.Context, id string, status int) error {
	var req qaPlanRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.SaveQAPlan(c.Request().Context(), s.actor(c), desk.QAPlan{ID: id, Name: req.Name, ScorecardID: req.ScorecardID,
		TeamID: req.TeamID, PerAgent: req.PerAgent, Rules: req.Rules, Reviewers: req.Reviewers, Active: req.Active})
	if err != nil {
		return err
	}
	return c.JSON(status, p)
}

func (s *Server) qaRunPlan(c echo.Context) error {
	var req qaRunRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	res, err := s.svc.RunQAPlan(c.Request().Context(), s.actor(c), c.Param("id"), req.Week)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) qaQueue(c echo.Context) error {
	todo, disputes, err := s.svc.QAReviewQueue(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, qaQueueResponse{Todo: todo, Disputes: disputes})
}

func (s *Server) qaResults(c echo.Context) error {
	list, err := s.svc.MyQAResults(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, qaResultList{Reviews: list})
}

func (s *Server) qaGetReview(c echo.Context) error {
	v, err := s.svc.QAReviewScreen(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) qaComment(c echo.Context) error {
	var req qaCommentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, err := s.svc.CommentQAMessage(c.Request().Context(), current(c).Agent, c.Param("id"), req.MessageID, req.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cm)
}

func (s *Server) qaSubmit(c echo.Context) error {
	var req qaSubmitRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rv, err := s.svc.SubmitQAReview(c.Request().Context(), current(c).Agent, c.Param("id"), req.Scores, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rv)
}

func (s *Server) qaAcknowledge(c echo.Context) error {
	rv, err := s.svc.AcknowledgeQAReview(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rv)
}

func (s *Server) qaDispute(c echo.Context) error {
	var req qaDisputeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rv, err := s.svc.DisputeQAReview(c.Request().Context(), current(c).Agent, c.Param("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rv)
}

func (s *Server) qaSettle(c echo.Context) error {
	var req qaSettleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rv, err := s.svc.SettleQAReview(c.Request().Context(), current(c).Agent, c.Param("id"), req.Outcome, req.Scores, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rv)
}

func (s *Server) qaCreateCalibration(c echo.Context) error {
	var req qaCalibrationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cal, reviews, err := s.svc.CreateQACalibration(c.Request().Context(), current(c).Agent, req.TicketID, req.ScorecardID, req.Reviewers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, qaCalibrationCreated{Calibration: cal, Reviews: reviews})
}

func (s *Server) qaGetCalibration(c echo.Context) error {
	res, err := s.svc.QACalibrationResult(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
