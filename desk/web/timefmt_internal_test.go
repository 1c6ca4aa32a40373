package web

import (
	"testing"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("zone %s: %v", name, err)
	}
	return loc
}

// TestAbsTimeIsTheReadersZoneLabelled: the same instant reads as the wall
// clock of each zone with the offset that applies then — a zone without
// daylight saving keeps one label, New York's changes with the season.
func TestAbsTimeIsTheReadersZoneLabelled(t *testing.T) {
	shanghai, newYork, kolkata := mustZone(t, "Asia/Shanghai"), mustZone(t, "America/New_York"), mustZone(t, "Asia/Kolkata")
	winter := time.Date(2026, 1, 15, 1, 30, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 15, 1, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		loc  *time.Location
		want string
	}{
		{winter, shanghai, "2026-01-15 09:30 UTC+8"},
		{summer, shanghai, "2026-07-15 09:30 UTC+8"},
		{winter, newYork, "2026-01-14 20:30 UTC-5"},
		{summer, newYork, "2026-07-14 21:30 UTC-4"},
		{winter, kolkata, "2026-01-15 07:00 UTC+5:30"},
		{winter, time.UTC, "2026-01-15 01:30 UTC"},
		// The hour New York springs forward (2026-03-08 02:00 local).
		{time.Date(2026, 3, 8, 6, 59, 0, 0, time.UTC), newYork, "2026-03-08 01:59 UTC-5"},
		{time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), newYork, "2026-03-08 03:00 UTC-4"},
	} {
		if got := absTime(tc.at, tc.loc); got != tc.want {
			t.Errorf("absTime(%s, %s) = %q, want %q", tc.at.Format(time.RFC3339), tc.loc, got, tc.want)
		}
	}
	if got := absTime(time.Time{}, shanghai); got != "" {
		t.Errorf("zero time = %q, want empty", got)
	}
}

// TestRelativeTimeFallsBackToTheReadersDate: past a month the inbox shows a
// date, and which date depends on the zone (01:30 UTC is still the day
// before in New York).
func TestRelativeTimeFallsBackToTheReadersDate(t *testing.T) {
	at := time.Date(2026, 1, 15, 1, 30, 0, 0, time.UTC)
	now := at.AddDate(0, 3, 0)
	if got := relativeTime("en", at, now, mustZone(t, "Asia/Shanghai")); got != "2026-01-15" {
		t.Errorf("Shanghai: %q", got)
	}
	if got := relativeTime("en", at, now, mustZone(t, "America/New_York")); got != "2026-01-14" {
		t.Errorf("New York: %q", got)
	}
	if got := relativeTime("zh-CN", at, at.Add(25*time.Minute), time.UTC); got != "25 分钟前" {
		t.Errorf("25 minutes ago: %q", got)
	}
}

// TestDurationsReadAsPeopleSayThem: SLA countdowns and configured
// durations never show Go's "10m0s".
func TestDurationsReadAsPeopleSayThem(t *testing.T) {
	for _, tc := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"zh-CN", 25*time.Minute + 40*time.Second, "还剩 25 分钟（工作时间）"},
		{"en", 25 * time.Minute, "25 min left (business time)"},
		{"zh-CN", -3 * time.Hour, "已超时 3 小时"},
		{"en", -3*time.Hour - 20*time.Second, "3 h overdue"},
		{"zh-TW", -(time.Hour + 5*time.Minute), "已逾時 1 小時 5 分鐘"},
		{"zh-CN", 65 * time.Minute, "还剩 1 小时 5 分钟（工作时间）"},
	} {
		if got := countdownText(tc.lang, tc.d); got != tc.want {
			t.Errorf("countdownText(%s, %v) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"zh-CN", 10 * time.Minute, "10 分钟"},
		{"zh-CN", 65 * time.Minute, "1 小时 5 分钟"},
		{"en", 2 * time.Hour, "2 h"},
		{"en", 0, "0 min"},
	} {
		if got := durationText(tc.lang, tc.d); got != tc.want {
			t.Errorf("durationText(%s, %v) = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

// TestZoneNamesAreOfferedInTheReadersLanguage: the zone control names the
// city in the reader's language with its offset now.
func TestZoneNamesAreOfferedInTheReadersLanguage(t *testing.T) {
	jan := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, zone, want string }{
		{"zh-CN", "Asia/Shanghai", "上海（北京时间） · UTC+8"},
		{"en", "America/New_York", "New York · UTC-5"},
		{"zh-TW", "Asia/Taipei", "台北 · UTC+8"},
		{"en", "Pacific/Chatham", "Pacific/Chatham · UTC+13:45"},
	} {
		if got := zoneName(tc.lang, tc.zone, jan); got != tc.want {
			t.Errorf("zoneName(%s, %s) = %q, want %q", tc.lang, tc.zone, got, tc.want)
		}
	}
	for _, z := range zoneChoices {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("choice %s: %v", z, err)
		}
	}
}
