package sla

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	iv := func(s string) Interval {
		i, err := ParseInterval(s)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	base := func() *Calendar {
		return &Calendar{Name: "t", Location: shanghai, Hours: Weekdays(iv("09:00-12:00"), iv("13:30-18:00"))}
	}
	tests := []struct {
		name    string
		mutate  func(c *Calendar)
		wantErr string // "" means valid
	}{
		{"valid", func(*Calendar) {}, ""},
		{"24:00 end", func(c *Calendar) { c.Hours[time.Saturday] = []Interval{{At(20, 0), Midnight24}} }, ""},
		{"24x7 needs no hours", func(c *Calendar) { c.Hours = nil; c.AlwaysOpen = true }, ""},
		{"nil location", func(c *Calendar) { c.Location = nil }, "no time zone"},
		{"overlap", func(c *Calendar) {
			c.Hours[time.Monday] = []Interval{iv("09:00-12:00"), iv("11:00-14:00")}
		}, "overlap"},
		{"end before start", func(c *Calendar) { c.Hours[time.Tuesday] = []Interval{{At(12, 0), At(9, 0)}} }, "end is not after start"},
		{"empty interval", func(c *Calendar) { c.Hours[time.Tuesday] = []Interval{{At(9, 0), At(9, 0)}} }, "end is not after start"},
		{"past midnight", func(c *Calendar) { c.Hours[time.Tuesday] = []Interval{{At(22, 0), At(25, 0)}} }, "outside 00:00-24:00"},
		{"out of order", func(c *Calendar) {
			c.Hours[time.Monday] = []Interval{iv("13:30-18:00"), iv("09:00-12:00")}
		}, "not in order"},
		{"unknown weekday", func(c *Calendar) { c.Hours[time.Weekday(9)] = []Interval{iv("09:00-10:00")} }, "unknown weekday 9"},
		{"no working time", func(c *Calendar) { c.Hours = map[time.Weekday][]Interval{time.Monday: nil} }, "no working time"},
		{"holiday and workday", func(c *Calendar) {
			c.Holidays = map[Date]string{d("2026-10-10"): "x"}
			c.Workdays = map[Date]string{d("2026-10-10"): "y"}
		}, "2026-10-10 is both a holiday and a make-up workday"},
		{"bad holiday date", func(c *Calendar) { c.Holidays = map[Date]string{{2026, 2, 30}: ""} }, "not a real date"},
		{"make-up day without hours", func(c *Calendar) {
			delete(c.Hours, time.Monday)
			c.Workdays = map[Date]string{d("2026-10-10"): ""}
		}, "MakeupHours is empty"},
		{"bad make-up hours", func(c *Calendar) { c.MakeupHours = []Interval{{At(10, 0), At(9, 0)}} }, "make-up hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.mutate(c)
			err := c.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate() = %v, want error containing %q", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), `calendar "t"`) {
				t.Errorf("error %q does not name the calendar", err)
			}
		})
	}
	c := base()
	c.Hours = nil
	if err := c.Validate(); !errors.Is(err, ErrNoWorkingTime) {
		t.Errorf("Validate() = %v, want ErrNoWorkingTime", err)
	}
}

func TestParseHours(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{"09:00-12:00, 13:30-18:00", "[09:00-12:00 13:30-18:00]", ""},
		{"00:00-24:00", "[00:00-24:00]", ""},
		{"", "[]", ""},
		{"9:00-12:00", "", "want HH:MM"},
		{"09:00-24:01", "", "out of range"},
		{"09:60-10:00", "", "out of range"},
		{"09:00", "", "want HH:MM-HH:MM"},
		{"12:00-09:00", "", "end is not after start"},
		{"09:00-12:00,11:00-13:00", "", "overlap"},
	}
	for _, tc := range tests {
		got, err := ParseHours(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseHours(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseHours(%q) = %v", tc.in, err)
			continue
		}
		if fmtIvs(got) != tc.want {
			t.Errorf("ParseHours(%q) = %s, want %s", tc.in, fmtIvs(got), tc.want)
		}
	}
}

func fmtIvs(ivs []Interval) string {
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = iv.String()
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(1).String(); got != "2027-01-01" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.Weekday(); got != time.Thursday {
		t.Errorf("Weekday = %v, want Thursday", got)
	}
	if n := (Date{2026, 1, 1}).DaysUntil(d); n != 364 {
		t.Errorf("DaysUntil = %d, want 364", n)
	}
	for _, bad := range []string{"2026-02-29", "2026-13-01", "2026-1-1", "26-01-01", "2026-01-01x"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if (Date{2026, 2, 29}).Valid() {
		t.Error("2026-02-29 is valid")
	}
}
