package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

// ActiveSLAs reads the SLA rows of open and pending tickets the visibility
// lets see, with their team and the due time of the earliest open follow-up
// overdue at now.
//
// Whether a target is at risk depends on the instant and on business
// hours, so SQL cannot tell; the desk evaluates the clocks. The query is
// therefore bounded instead: it walks tickets in one status (open,
// pending; closed and resolved tickets, the bulk of the table, are never
// read) joined by primary key to ticket_sla, and stops at limit rows. A
// desk with more active tickets under SLA than limit sees the first limit
// by id, which the caller states.
func (r reader) ActiveSLAs(ctx context.Context, vis *desk.Visibility, now time.Time, limit int) ([]desk.ActiveSLA, error) {
	where, args, err := ticketWhere(desk.TicketFilter{Visible: vis, Status: []desk.Status{desk.StatusOpen, desk.StatusPending}})
	if err != nil {
		return nil, err
	}
	args = append(args, ms(now), limit)
	nowArg, limitArg := fmt.Sprintf("$%d", len(args)-1), fmt.Sprintf("$%d", len(args))
	overdue := `EXISTS (SELECT 1 FROM ticket_followups f WHERE f.ticket_id = t.id AND f.done_at = 0 AND f.due_at <= ` + nowArg + `)`
	rows, err := r.q.QueryContext(ctx, `SELECT t.id, t.team_id, COALESCE(s.policy_id, ''), COALESCE(s.calendar_id, ''),
		COALESCE(s.clocks, '[]'), COALESCE((SELECT MIN(f.due_at) FROM ticket_followups f
			WHERE f.ticket_id = t.id AND f.done_at = 0 AND f.due_at <= `+nowArg+`), 0)
		FROM tickets t LEFT JOIN ticket_sla s ON s.ticket_id = t.id
		WHERE `+where+` AND (COALESCE(s.policy_id, '') <> '' OR `+overdue+`)
		ORDER BY t.id LIMIT `+limitArg, args...)
	if err != nil {
		return nil, wrap(err, "active sla rows")
	}
	defer rows.Close()
	var out []desk.ActiveSLA
	for rows.Next() {
		var a desk.ActiveSLA
		var clocks string
		var late int64
		if err := rows.Scan(&a.TicketID, &a.TeamID, &a.PolicyID, &a.CalendarID, &clocks, &late); err != nil {
			return nil, wrap(err, "active sla rows")
		}
		if err := json.Unmarshal([]byte(clocks), &a.Clocks); err != nil {
			return nil, fmt.Errorf("store: sla of ticket %s: clocks: %w", a.TicketID, err)
		}
		if late != 0 {
			a.FollowupOverdue, a.FollowupDue = true, fromMs(late)
		}
		out = append(out, a)
	}
	return out, wrap(rows.Err(), "active sla rows")
}

func (r reader) SLADues(ctx context.Context, ticketIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(ticketIDs) == 0 {
		return out, nil
	}
	ps := make([]string, len(ticketIDs))
	args := make([]any, len(ticketIDs))
	for i, id := range ticketIDs {
		ps[i], args[i] = "$"+strconv.Itoa(i+1), id
	}
	rows, err := r.q.QueryContext(ctx, `SELECT ticket_id, due_at FROM ticket_sla
		WHERE due_at > 0 AND ticket_id IN (`+strings.Join(ps, ", ")+`)`, args...)
	if err != nil {
		return nil, wrap(err, "sla deadlines")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var due int64
		if err := rows.Scan(&id, &due); err != nil {
			return nil, wrap(err, "sla deadlines")
		}
		out[id] = fromMs(due)
	}
	return out, wrap(rows.Err(), "sla deadlines")
}
