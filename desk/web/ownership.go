package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
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

// confirmView is the ticket page's outcome confirmation form; ForOwner
// means a supervisor confirms on the owner's behalf and must give a reason.
type confirmView struct {
	ForOwner bool
}

// confirmOffer says whether agent a may confirm t's outcome now, the same
// rule desk.ConfirmOutcome enforces.
func confirmOffer(a desk.Agent, t desk.Ticket) *confirmView {
	switch {
	case !t.ConfirmationRequired:
		return nil
	case a.ID == t.OwnerID:
		return &confirmView{}
	case a.Role.AtLeast(desk.RoleSupervisor):
		return &confirmView{ForOwner: true}
	}
	return nil
}
