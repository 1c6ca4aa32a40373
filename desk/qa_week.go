package desk

import (
	"fmt"
	"time"
)

// QAZone is the clock sampling weeks follow: ISO weeks, Monday 00:00 to
// Monday 00:00 China Standard Time (no daylight saving, so a fixed zone).
var QAZone = time.FixedZone("CST", 8*60*60)

// QAWeekOf names the ISO week holding t, as 2026-W49.
func QAWeekOf(t time.Time) string {
	y, w := t.In(QAZone).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// QAWeekRange is the start and end of an ISO week named like 2026-W49.
func QAWeekRange(week string) (time.Time, time.Time, error) {
	var y, w int
	if n, err := fmt.Sscanf(week, "%4d-W%2d", &y, &w); err != nil || n != 2 || len(week) != 8 || y < 2000 || y > 9999 || w < 1 || w > 53 {
		return time.Time{}, time.Time{}, Errorf(CodeInvalid, "a week is written like 2026-W49")
	}
	// 4 January is always in week 1; its Monday starts the year's weeks.
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, QAZone)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	if QAWeekOf(monday) != week {
		return time.Time{}, time.Time{}, Errorf(CodeInvalid, "%d has no week %d", y, w)
	}
	return monday, monday.AddDate(0, 0, 7), nil
}
