package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// coverageWarnFrom is the month from which a calendar missing next year's
// holiday schedule is reported: the State Council usually publishes the
// notice in November or December, and a deadline running past New Year must
// already see the next Spring Festival.
const coverageWarnFrom = time.November

// CalendarGap is a business calendar in use by an SLA policy that lacks the
// official holiday schedule of a year it will count time in soon: that year
// has only weekends as days off until an admin imports the notice.
type CalendarGap struct {
	CalendarID string `json:"calendar_id"`
	Name       string `json:"name"`
	// Years are the years whose holidays the calendar holds.
	Years []int `json:"years"`
	// Missing are the years it lacks: this year, and from November next year.
	Missing []int `json:"missing"`
}

// CalendarYears says which years of holidays a stored calendar holds, and
// whether it keeps holidays at all: a calendar with neither a built-in base
// nor an imported schedule is a plain weekly one by choice and never
// reported.
func (c SLACalendar) CalendarYears() (years []int, keepsHolidays bool, err error) {
	cal, err := c.Build()
	if err != nil {
		return nil, false, err
	}
	return cal.Years, !c.AlwaysOpen && (c.Base != "" || strings.TrimSpace(c.Schedule) != ""), nil
}

// WeekendsOnly are the years among now's and the next in which c, a
// calendar that keeps holidays, has only weekends as days off; the SLA page
// says so plainly whatever the month.
func (c SLACalendar) WeekendsOnly(now time.Time) []int {
	years, keeps, err := c.CalendarYears()
	if err != nil || !keeps {
		return nil
	}
	if loc, err := time.LoadLocation(c.Timezone); err == nil {
		now = now.In(loc)
	}
	var out []int
	for _, y := range []int{now.Year(), now.Year() + 1} {
		if !slices.Contains(years, y) {
			out = append(out, y)
		}
	}
	return out
}

// CalendarGaps lists the calendars in use by an SLA policy that lack a
// year's holiday schedule they need at now. Nobody's data is shown, so it
// takes no actor: the desk banner, /readyz and the log all report it.
func (s *Service) CalendarGaps(ctx context.Context) ([]CalendarGap, error) {
	now := s.now()
	cals, err := s.store.SLACalendars(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: calendar gaps: %w", err)
	}
	pols, err := s.store.SLAPolicies(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: calendar gaps: %w", err)
	}
	used := map[string]bool{}
	for _, p := range pols {
		used[p.CalendarID] = true
	}
	var gaps []CalendarGap
	for _, c := range cals {
		if !used[c.ID] {
			continue
		}
		years, keeps, err := c.CalendarYears()
		if err != nil || !keeps {
			continue // a calendar that does not build is refused when saved
		}
		if missing := missingYears(years, now, c.Timezone); len(missing) > 0 {
			gaps = append(gaps, CalendarGap{CalendarID: c.ID, Name: c.Name, Years: years, Missing: missing})
		}
	}
	return gaps, nil
}

// missingYears are the years among the current one and, from November,
// the next one (in the calendar's own zone) that years lacks.
func missingYears(years []int, now time.Time, zone string) []int {
	if loc, err := time.LoadLocation(zone); err == nil {
		now = now.In(loc)
	}
	need := []int{now.Year()}
	if now.Month() >= coverageWarnFrom {
		need = append(need, now.Year()+1)
	}
	var missing []int
	for _, y := range need {
		if !slices.Contains(years, y) {
			missing = append(missing, y)
		}
	}
	return missing
}
