package sla

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
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

// ChinaMainlandYears lists the years with a built-in schedule, oldest first.
func ChinaMainlandYears() []int {
	entries, err := chinaData.ReadDir("data")
	if err != nil {
		panic(fmt.Sprintf("sla: built-in schedules: %v", err))
	}
	var years []int
	for _, e := range entries {
		var y int
		if _, err := fmt.Sscanf(e.Name(), "cn%d.txt", &y); err == nil {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return years
}

// ChinaMainland returns a calendar for Asia/Shanghai, Monday to Friday with
// ChinaHours, carrying the built-in public holidays and make-up workdays of
// year. Only years with a data file are known (ChinaMainlandYears); for
// others it returns an error, and the caller can build the calendar with
// NewCalendar and import the official schedule with ParseSchedule and
// Apply. Dates outside year are ordinary days: a deadline running into the
// next year does not see its holidays until that year's schedule is applied.
func ChinaMainland(year int) (*Calendar, error) {
	cal, err := chinaBase(fmt.Sprintf("china-mainland-%d", year))
	if err != nil {
		return nil, err
	}
	if err := applyChinaYear(cal, year); err != nil {
		return nil, err
	}
	return cal, nil
}

// ChinaMainlandAll returns the mainland calendar with every built-in year
// applied; its Years say which years it knows. The data is embedded and
// covered by tests, so a failure here is a build defect and panics.
func ChinaMainlandAll() *Calendar {
	cal, err := chinaBase("china-mainland")
	if err == nil {
		for _, y := range ChinaMainlandYears() {
			if err = applyChinaYear(cal, y); err != nil {
				break
			}
		}
	}
	if err != nil {
		panic(err)
	}
	return cal
}

func chinaBase(name string) (*Calendar, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return nil, fmt.Errorf("sla: china calendar: %w", err)
	}
	return NewCalendar(name, loc, Weekdays(ChinaHours...))
}

func applyChinaYear(cal *Calendar, year int) error {
	raw, err := chinaData.ReadFile(fmt.Sprintf("data/cn%d.txt", year))
	if err != nil {
		return fmt.Errorf("sla: no built-in mainland China schedule for %d; import the State Council notice: %w", year, err)
	}
	s, err := ParseSchedule(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("sla: built-in schedule %d: %w", year, err)
	}
	return cal.Apply(s)
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
