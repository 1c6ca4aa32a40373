package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// contactMergeRoutes: merging two contacts by hand and undoing it.
func (s *Server) contactMergeRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/contacts/:id/merge-preview", s.previewMerge, authed...)
	e.GET(v1+"/contacts/:id/merges", s.listContactMerges, authed...)
	e.POST(v1+"/contacts/:id/merges", s.mergeContacts, authed...)
	e.POST(v1+"/contact-merges/:id/undo", s.undoContactMerge, authed...)
}

// mergePreviewResponse is the preview with the reason a merge would be
// refused in the reader's language (absent: it may go ahead).
type mergePreviewResponse struct {
	desk.MergePreview
	Refusal *errorDetail `json:"refusal,omitempty"`
}

func (s *Server) previewMerge(c echo.Context) error {
	p, err := s.svc.PreviewMerge(c.Request().Context(), current(c).Agent, c.Param("id"), c.QueryParam("from"))
	if err != nil {
		return err
	}
	out := mergePreviewResponse{MergePreview: p}
	if p.Refusal != nil {
		out.Refusal = &errorDetail{Code: p.Refusal.Code, Message: spokenMessage(c.Request(), p.Refusal)}
	}
	return c.JSON(http.StatusOK, out)
}

type contactMergesResponse struct {
	Merges []desk.ContactMerge `json:"merges"`
}

func (s *Server) listContactMerges(c echo.Context) error {
	ms, err := s.svc.ContactMerges(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, contactMergesResponse{Merges: ms})
}

type mergeRequest struct {
	FromID string `json:"from_id"`
}

func (s *Server) mergeContacts(c echo.Context) error {
	var req mergeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	m, err := s.svc.MergeContactsByHand(c.Request().Context(), s.actor(c), c.Param("id"), req.FromID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

func (s *Server) undoContactMerge(c echo.Context) error {
	m, err := s.svc.UndoContactMerge(c.Request().Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
