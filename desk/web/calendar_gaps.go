package web

import (
	"context"
	"strconv"
	"strings"

	"huiliu/desk"
)

// calendarGap is a calendar in use lacking a year's holidays, as the
// layout's banner shows it to supervisors and admins.
type calendarGap struct {
	Name, Missing string
}

// calendarGaps are the banner's entries for agent a; nothing for agents,
// who cannot act on it, and nothing when the read fails (the page matters
// more than the banner; /readyz reports the same gaps).
func (s *Server) calendarGaps(ctx context.Context, a desk.Agent) []calendarGap {
	if !a.Role.AtLeast(desk.RoleSupervisor) {
		return nil
	}
	gaps, err := s.svc.CalendarGaps(ctx)
	if err != nil {
		s.log.Warn("web: calendar gaps", "err", err)
		return nil
	}
	out := make([]calendarGap, 0, len(gaps))
	for _, g := range gaps {
		out = append(out, calendarGap{Name: g.Name, Missing: joinYears(g.Missing)})
	}
	return out
}

// joinYears writes years as "2026, 2027".
func joinYears(years []int) string {
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	return strings.Join(parts, ", ")
}
