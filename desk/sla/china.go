package sla

import (
	"bytes"
	"embed"
	"fmt"
	"time"
)

// The built-in schedules, one file per year (data/cnYYYY.txt). Adding next
// year's notice is dropping in a file; until then admins import it.
//
//go:embed data/cn*.txt
var chinaData embed.FS

// ChinaHours are the default mainland office hours: 09:00-12:00 and
// 13:30-18:00 with a lunch break.
var ChinaHours = []Interval{{At(9, 0), At(12, 0)}, {At(13, 30), At(18, 0)}}

// ChinaMainland returns a calendar for Asia/Shanghai, Monday to Friday with
// ChinaHours, carrying the built-in public holidays and make-up workdays of
// year. Only years with a data file are known (2026); for others it returns
// an error, and the caller can build the calendar with NewCalendar and import
// the official schedule with ParseSchedule and Apply. Dates outside year are
// ordinary days: a deadline running into the next year does not see its
// holidays until that year's schedule is applied.
func ChinaMainland(year int) (*Calendar, error) {
	raw, err := chinaData.ReadFile(fmt.Sprintf("data/cn%d.txt", year))
	if err != nil {
		return nil, fmt.Errorf("sla: no built-in mainland China schedule for %d; import the State Council notice: %w", year, err)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return nil, fmt.Errorf("sla: china calendar: %w", err)
	}
	cal, err := NewCalendar(fmt.Sprintf("china-mainland-%d", year), loc, Weekdays(ChinaHours...))
	if err != nil {
		return nil, err
	}
	s, err := ParseSchedule(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("sla: built-in schedule %d: %w", year, err)
	}
	if err := cal.Apply(s); err != nil {
		return nil, err
	}
	return cal, nil
}

// China2026 returns ChinaMainland(2026). The data is embedded and covered by
// tests, so a failure here is a build defect and panics.
func China2026() *Calendar {
	cal, err := ChinaMainland(2026)
	if err != nil {
		panic(err)
	}
	return cal
}
