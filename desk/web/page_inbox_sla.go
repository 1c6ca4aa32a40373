package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"huiliu/desk"
)

// slaViewTickets lists the tickets of the at-risk or breached view: the
// alerts the desk evaluates now (desk.SLAAlerts, bounded), narrowed by the
// page's status, channel and search filters, at most one page. The views
// are short by nature, so they have no cursor; their order is the alerts':
// breached tickets the most overdue first, at-risk ones by ticket id
// (creation order), the longest waiting first.
func (s *Server) slaViewTickets(ctx context.Context, a desk.Agent, view string, f desk.TicketFilter) ([]desk.Ticket, error) {
	al, err := s.svc.SLAAlerts(ctx, a)
	if err != nil {
		return nil, err
	}
	rows := al.AtRisk
	if view == viewBreached {
		rows = al.Breached
	}
	q := strings.ToLower(f.Query)
	var out []desk.Ticket
	for _, r := range rows {
		if len(out) >= inboxPageSize {
			break
		}
		// The alert was read a moment ago; the ticket may have moved since.
		t, err := s.svc.VisibleTicket(ctx, a, r.TicketID)
		if errors.Is(err, desk.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("web: %s view: %w", view, err)
		}
		if len(f.Status) > 0 && !slices.Contains(f.Status, t.Status) {
			continue
		}
		if (f.Channel != "" && t.Channel != f.Channel) || (q != "" && !strings.Contains(strings.ToLower(t.Subject+" "+t.Preview), q)) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}
