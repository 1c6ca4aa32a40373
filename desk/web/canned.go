package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type cannedResponse struct {
	CannedReplies []desk.CannedReply `json:"canned_replies"`
}

func (s *Server) listCanned(c echo.Context) error {
	list, err := s.svc.CannedReplies(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	if err := s.cannedFromArticles(c, list); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cannedResponse{CannedReplies: list})
}

type createCannedRequest struct {
	TeamID string `json:"team_id"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	// ArticleID makes the reply stand for a knowledge-base article.
	ArticleID string `json:"article_id"`
}

func (s *Server) createCanned(c echo.Context) error {
	var req createCannedRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.cannedArticleExists(c, req.ArticleID); err != nil {
		return err
	}
	cr, err := s.svc.CreateCannedReply(c.Request().Context(), s.actor(c), desk.CannedReply{TeamID: req.TeamID, Title: req.Title, Text: req.Text, ArticleID: req.ArticleID})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cr)
}

// updateCanned replaces a canned reply's team, title, text and article.
func (s *Server) updateCanned(c echo.Context) error {
	var req createCannedRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.cannedArticleExists(c, req.ArticleID); err != nil {
		return err
	}
	cr, err := s.svc.UpdateCannedReply(c.Request().Context(), s.actor(c), c.Param("id"), desk.CannedReply{TeamID: req.TeamID, Title: req.Title, Text: req.Text, ArticleID: req.ArticleID})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cr)
}

func (s *Server) deleteCanned(c echo.Context) error {
	if err := s.svc.DeleteCannedReply(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
