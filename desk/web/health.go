package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz says the process is alive; it touches nothing else.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

// readyz says whether the database and the queue backend answer, so a load
// balancer stops sending work to a node that cannot commit it.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	status := http.StatusOK
	for _, ch := range s.opts.Ready {
		if err := ch.Ping(ctx); err != nil {
			s.log.Warn("web: not ready", "check", ch.Name, "err", err)
			checks[ch.Name] = "unavailable"
			status = http.StatusServiceUnavailable
			continue
		}
		checks[ch.Name] = "ok"
	}
	return c.JSON(status, map[string]any{"ready": status == http.StatusOK, "checks": checks})
}
