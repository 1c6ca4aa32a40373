package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// confirmOutcomeRequest is the owner's (or a supervisor's) word that the
// customer was told the outcome; a supervisor confirming for the owner
// gives a reason.
type confirmOutcomeRequest struct {
	Note   string `json:"note"`
	Reason string `json:"reason"`
}

func (s *Server) confirmOutcome(c echo.Context) error {
	var req confirmOutcomeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := s.svc.ConfirmOutcome(c.Request().Context(), current(c).Agent, c.Param("id"), req.Note, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}
