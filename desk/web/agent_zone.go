package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type changeMeRequest struct {
	// TimeZone: an IANA zone such as Asia/Shanghai; "" for the desk's.
	TimeZone *string `json:"time_zone"`
}

// changeMe is an agent's own settings (PATCH /api/v1/me): for now the
// zone their desk shows times in.
func (s *Server) changeMe(c echo.Context) error {
	var req changeMeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a := current(c).Agent
	if req.TimeZone != nil {
		var err error
		if a, err = s.svc.SetOwnTimeZone(c.Request().Context(), s.actor(c), *req.TimeZone); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, meResponse{Agent: a})
}
