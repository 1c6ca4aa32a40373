package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Check states on /readyz.
const (
	checkOK       = "ok"
	checkDegraded = "degraded" // failing, but the node still serves without it
	checkDown     = "down"     // failing, and the node cannot do its work
)

// healthz says the process is alive; it touches nothing else.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

type readiness struct {
	Ready  bool              `json:"ready"`
	Status string            `json:"status"` // ok, degraded or down
	Checks map[string]string `json:"checks"` // name: ok, degraded or down
	// Detail says why each failing check fails.
	Detail map[string]string `json:"detail,omitempty"`
}

// readyz says whether the node can do its work. A required check failing
// (the database) answers 503 so a load balancer stops sending work to a
// node that cannot commit it; an optional one failing (Redis, a Telegram
// bot) answers 200 "degraded" with the reason, as the node still serves.
func (s *Server) readyz(c echo.Context) error {
	r := s.readiness(c.Request().Context())
	status := http.StatusOK
	if !r.Ready {
		status = http.StatusServiceUnavailable
	}
	return c.JSON(status, r)
}

// readiness runs every check, each failing one logged with its reason.
func (s *Server) readiness(ctx context.Context) readiness {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	r := readiness{Ready: true, Status: checkOK, Checks: map[string]string{}}
	for _, ch := range s.opts.Ready {
		err := ch.Ping(ctx)
		if err == nil {
			r.Checks[ch.Name] = checkOK
			continue
		}
		if r.Detail == nil {
			r.Detail = map[string]string{}
		}
		r.Detail[ch.Name] = err.Error()
		if ch.Optional {
			s.log.Warn("web: degraded", "check", ch.Name, "err", err)
			r.Checks[ch.Name] = checkDegraded
			if r.Status == checkOK {
				r.Status = checkDegraded
			}
			continue
		}
		s.log.Warn("web: not ready", "check", ch.Name, "err", err)
		r.Checks[ch.Name] = checkDown
		r.Status, r.Ready = checkDown, false
	}
	return r
}

// healthIssue is a failing check as the supervisor page lists it.
type healthIssue struct {
	Name, State, Detail string
}

// healthIssues are the failing checks in the order they are configured,
// so a wrong Telegram token shows on the overview, not only in the log.
func (s *Server) healthIssues(ctx context.Context) []healthIssue {
	r := s.readiness(ctx)
	var out []healthIssue
	for _, ch := range s.opts.Ready {
		if st := r.Checks[ch.Name]; st != checkOK {
			out = append(out, healthIssue{Name: ch.Name, State: st, Detail: r.Detail[ch.Name]})
		}
	}
	return out
}
