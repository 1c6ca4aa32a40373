package web

import (
	"strconv"
	"time"

	"huiliu/desk"
	"huiliu/i18n"
)

// The desk shows every time in the reading agent's zone, labelled with its
// offset from UTC ("2026-03-08 09:30 UTC+8"). These are the server's
// helpers; desk.js HL.absTime does the same for the scripts.

// deskZone is the desk's configured zone (reports_timezone), the default
// of agents who chose none.
func (s *Server) deskZone() *time.Location {
	if s.opts.KPI != nil {
		return s.opts.KPI.Zone()
	}
	return time.UTC
}

// zoneOf is the zone a's pages show times in: their own setting, else the
// desk's. A setting the server cannot load (a zone database older than
// the one that accepted it) falls back to the desk's zone.
func (s *Server) zoneOf(a desk.Agent) *time.Location {
	if a.TimeZone != "" {
		if loc, err := time.LoadLocation(a.TimeZone); err == nil {
			return loc
		}
	}
	return s.deskZone()
}

// absTime is t as a wall-clock time in loc with the offset that applies at
// that instant, so a time in summer and one in winter are each labelled
// right in a zone with daylight saving.
func absTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return t.Format("2006-01-02 15:04") + " " + zoneLabel(t)
}

// zoneLabel is t's offset as "UTC+8", "UTC-4", "UTC+5:30" or "UTC".
func zoneLabel(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	s := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += ":" + strconv.Itoa(m/10) + strconv.Itoa(m%10)
	}
	return s
}

// zoneChoices are the zones offered on the agent's zone control and the
// agents page: where the desk's users work, most of them without daylight
// saving. An agent may also keep any other IANA zone set through the API.
var zoneChoices = []string{
	"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Macau", "Asia/Singapore", "Asia/Kuala_Lumpur",
	"Asia/Manila", "Asia/Jakarta", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Tokyo", "Asia/Seoul",
	"Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Moscow",
	"America/New_York", "America/Chicago", "America/Los_Angeles", "Australia/Sydney", "UTC",
}

// zoneName is how a zone is offered: its city in lang and its offset now,
// "上海（北京时间） · UTC+8"; a zone with no translated city shows its IANA
// name.
func zoneName(lang, name string, now time.Time) string {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return name
	}
	city := name
	if i18n.Has(lang, "zone.city."+name) {
		city = i18n.T(lang, "zone.city."+name)
	}
	return i18n.T(lang, "zone.choice", "city", city, "offset", zoneLabel(now.In(loc)))
}
