package web

import (
	"context"
	"strconv"
	"time"

	"huiliu/desk"
	"huiliu/i18n"
)

// slaRow is one line of the ticket page's SLA panel: a target or a
// promised follow-up, with its state in words and as a CSS class.
type slaRow struct {
	Label, State, StateLabel, Countdown string
	AtRisk, Breached                    bool
	Due, MetAt                          time.Time
	FollowupID, Note                    string // follow-ups only
}

// slaPanel is the panel as rendered; the page's script re-reads it as a
// fragment every 30 s and on every event of the ticket, so the countdowns
// are always the server's business-time arithmetic, never the browser's.
type slaPanel struct {
	Policy string
	Rows   []slaRow
}

func (s *Server) slaPanel(ctx context.Context, lang string, a desk.Agent, ticketID string, now time.Time) (slaPanel, error) {
	v, err := s.svc.TicketSLA(ctx, a, ticketID)
	if err != nil {
		return slaPanel{}, err
	}
	p := slaPanel{Policy: v.PolicyName}
	for _, t := range v.Targets {
		r := slaRow{Label: translateValue(lang, "sla.target.", t.Target), State: t.State,
			StateLabel: translateValue(lang, "sla.state.", t.State), AtRisk: t.AtRisk, Breached: t.State == desk.SLABreached}
		if t.Target == desk.TargetNextResponse && t.Cycle > 0 {
			r.Label += " #" + strconv.Itoa(t.Cycle+1)
		}
		if t.DueAt != nil {
			r.Due = *t.DueAt
		}
		if t.MetAt != nil {
			r.MetAt = *t.MetAt
		} else {
			r.Countdown = countdownText(lang, time.Duration(t.Remaining))
		}
		p.Rows = append(p.Rows, r)
	}
	for _, f := range v.Followups {
		r := slaRow{Label: i18n.T(lang, "sla.target.followup"), Due: f.DueAt, FollowupID: f.ID, Note: f.Note, MetAt: f.DoneAt}
		switch {
		case !f.DoneAt.IsZero():
			r.State = desk.SLAMet
		case !now.Before(f.DueAt):
			r.State, r.Breached = desk.SLABreached, true
		default:
			r.State = desk.SLARunning
		}
		r.StateLabel = i18n.T(lang, "sla.state."+r.State)
		if f.DoneAt.IsZero() {
			// A promise is wall-clock time: no business calendar applies.
			r.Countdown = countdownText(lang, f.DueAt.Sub(now).Round(time.Second))
		}
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

// countdownText says a remaining (or, negative, overrun) duration in whole
// minutes, "还剩 25 分钟" / "3 h overdue": a countdown refreshed every 30 s
// needs no seconds.
func countdownText(lang string, d time.Duration) string {
	return countdownWith(lang, "sla.left", "sla.over", d)
}

// countdownWith is countdownText with its own texts for time left and
// overrun, each with a {d} placeholder.
func countdownWith(lang, leftKey, overKey string, d time.Duration) string {
	key := leftKey
	if d < 0 {
		key, d = overKey, -d
	}
	return i18n.T(lang, key, "d", durationText(lang, d.Truncate(time.Minute)))
}

// durationText says a configured duration in whole minutes, leaving out a
// zero part: "2 小时", "1 h 30 min", "45 分钟"; seconds are rounded away.
func durationText(lang string, d time.Duration) string {
	m := int64(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return i18n.T(lang, "sla.dur_m", "m", strconv.FormatInt(m, 10))
	case m%60 == 0:
		return i18n.T(lang, "sla.dur_h", "h", strconv.FormatInt(m/60, 10))
	}
	return i18n.T(lang, "sla.dur_hm", "h", strconv.FormatInt(m/60, 10), "m", strconv.FormatInt(m%60, 10))
}
