package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// slaWeekdays are the calendar's hours keys in the order the form shows.
var slaWeekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

type slaAdminPolicy struct {
	desk.SLAPolicy
	Team, Calendar, Match string
	Steps                 int
}

// slaAdminCalendar is a calendar row with the years of holidays it holds
// and the years it would count with weekends only.
type slaAdminCalendar struct {
	desk.SLACalendar
	Years, WeekendsOnly string
}

// slaAdminPage lists SLA calendars and policies (admins) and holds the
// forms that create and edit them; sla_admin.js writes through the REST
// API (/api/v1/sla/...), whose errors — a schedule's line numbers
// included — it shows as they come.
func (s *Server) slaAdminPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	cals, err := s.svc.SLACalendars(ctx, s.actor(c))
	if err != nil {
		return err
	}
	pols, err := s.svc.SLAPolicies(ctx, s.actor(c))
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	teamNames, calNames := map[string]string{}, map[string]string{}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	for _, cl := range cals {
		calNames[cl.ID] = cl.Name
	}
	var rows []slaAdminPolicy
	for _, p := range pols {
		m := ""
		for _, f := range []string{teamNames[p.TeamID], translateValue(lang, "priority.", p.Priority), p.Category, translateValue(lang, "channel.", p.Channel)} {
			if f != "" {
				if m != "" {
					m += " · "
				}
				m += f
			}
		}
		if m == "" {
			m = i18n.T(lang, "slaadm.any_ticket")
		}
		rows = append(rows, slaAdminPolicy{SLAPolicy: p, Team: teamNames[p.TeamID], Calendar: calNames[p.CalendarID], Match: m, Steps: len(p.Ladder)})
	}
	now := s.svc.Now()
	calRows := make([]slaAdminCalendar, 0, len(cals))
	for _, cl := range cals {
		years, _, _ := cl.CalendarYears()
		calRows = append(calRows, slaAdminCalendar{SLACalendar: cl, Years: joinYears(years), WeekendsOnly: joinYears(cl.WeekendsOnly(now))})
	}
	data := struct {
		Calendars  []slaAdminCalendar
		Policies   []slaAdminPolicy
		Teams      []desk.Team
		Weekdays   []string
		Priorities []string
		Channels   []string
	}{calRows, rows, teams, slaWeekdays, []string{"low", "normal", "high", "urgent"}, s.runningChannels()}
	d := pageData{Lang: lang, Title: i18n.T(lang, "slaadm.title"), Page: "sla-admin", Scripts: []string{"sla_admin.js"}, Data: data}
	d.PageJSON = map[string]any{"teams": teamNames}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_sla.html", d)
}

// slaDuration shows a stored business-time allowance as people say it:
// "2 小时", "1 h 30 min", "45 分钟" — never Go's "2h0m0s".
func slaDuration(lang string, d desk.SLADuration) string {
	if d == 0 {
		return "—"
	}
	return durationText(lang, time.Duration(d))
}

// slaHours are a calendar's working hours by weekday, Monday first, with
// the weekday names in lang; days off are left out.
func slaHours(lang string, hours map[string]string) []slaDayHours {
	var out []slaDayHours
	for _, d := range slaWeekdays {
		if h := hours[d]; h != "" {
			out = append(out, slaDayHours{Day: i18n.T(lang, "slaadm.day."+d), Hours: h})
		}
	}
	return out
}

type slaDayHours struct{ Day, Hours string }
