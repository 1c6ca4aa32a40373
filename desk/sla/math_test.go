package sla

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestAddChina2026(t *testing.T) {
	cal := China2026()
	h := time.Hour
	tests := []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"inside the morning", "2026-03-02 09:00", 2 * h, "2026-03-02 11:00"},
		{"skips lunch", "2026-03-02 11:00", 2 * h, "2026-03-02 14:30"},
		{"lands on lunch start, not after it", "2026-03-02 11:00", h, "2026-03-02 12:00"},
		{"one minute after lunch start", "2026-03-02 12:00", time.Minute, "2026-03-02 13:31"},
		{"starts before opening", "2026-03-02 07:00", h, "2026-03-02 10:00"},
		{"starts during lunch", "2026-03-02 12:30", h, "2026-03-02 14:30"},
		{"starts after closing", "2026-03-02 19:00", h, "2026-03-03 10:00"},
		{"starts on a Sunday", "2026-03-01 10:00", h, "2026-03-02 10:00"},
		{"starts on a Saturday", "2026-03-07 23:59", h, "2026-03-09 10:00"},
		{"lands on closing time", "2026-03-02 17:00", h, "2026-03-02 18:00"},
		{"a full day is 7h30m", "2026-03-02 09:00", 7*h + 30*time.Minute, "2026-03-02 18:00"},
		{"a minute more is next morning", "2026-03-02 09:00", 7*h + 31*time.Minute, "2026-03-03 09:01"},
		{"crosses a weekend", "2026-03-06 17:00", 2 * h, "2026-03-09 10:00"},
		{"two weeks", "2026-03-02 09:00", 75 * h, "2026-03-13 18:00"},
		{"two weeks and a minute", "2026-03-02 09:00", 75*h + time.Minute, "2026-03-16 09:01"},
		{"crosses a month end", "2026-03-31 17:00", 2 * h, "2026-04-01 10:00"},
		{"year end 2025 into 元旦 and its Sunday make-up day", "2025-12-31 17:00", 2 * h, "2026-01-04 10:00"},
		{"春节 make-up Saturday counts", "2026-02-13 17:00", 2 * h, "2026-02-14 10:00"},
		{"春节 week pushes the deadline", "2026-02-14 17:00", 2 * h, "2026-02-24 10:00"},
		{"second 春节 make-up Saturday", "2026-02-27 17:00", 2 * h, "2026-02-28 10:00"},
		{"清明 long weekend", "2026-04-03 17:00", 2 * h, "2026-04-07 10:00"},
		{"劳动节", "2026-04-30 17:00", 2 * h, "2026-05-06 10:00"},
		{"劳动节 make-up Saturday", "2026-05-08 17:00", 2 * h, "2026-05-09 10:00"},
		{"端午", "2026-06-18 17:00", 2 * h, "2026-06-22 10:00"},
		{"国庆 make-up Sunday before 中秋", "2026-09-18 17:00", 2 * h, "2026-09-20 10:00"},
		{"中秋 Friday", "2026-09-24 17:00", 2 * h, "2026-09-28 10:00"},
		{"国庆 week pushes the deadline", "2026-09-30 17:00", 2 * h, "2026-10-08 10:00"},
		{"国庆 week, a full day after", "2026-09-30 17:00", 8 * h, "2026-10-08 17:30"},
		{"国庆 make-up Saturday", "2026-10-09 17:00", 2 * h, "2026-10-10 10:00"},
		{"ordinary Saturday after it is off", "2026-10-17 10:00", h, "2026-10-19 10:00"},
		{"year end without 2027 data: Jan 1 2027 is a Friday", "2026-12-31 17:00", 2 * h, "2027-01-01 10:00"},
		{"zero returns start even when closed", "2026-03-01 10:00", 0, "2026-03-01 10:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start, want := sh(t, tc.start), sh(t, tc.want)
			got, err := cal.Add(start, tc.d)
			if err != nil {
				t.Fatalf("Add(%s, %v) error: %v", tc.start, tc.d, err)
			}
			if !got.Equal(want) {
				t.Fatalf("Add(%s, %v) = %s, want %s", tc.start, tc.d, fmtT(got), fmtT(want))
			}
			// The same deadline, asked for from inside business time, is
			// reached after exactly d of business time.
			if b := cal.Between(start, got); b != tc.d {
				t.Errorf("Between(%s, %s) = %v, want %v", tc.start, fmtT(got), b, tc.d)
			}
		})
	}
}

func TestAddYearEnd2027Holiday(t *testing.T) {
	cal := China2026()
	s, err := ParseSchedule(strings.NewReader("holiday 2027-01-01 元旦\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cal.Apply(s); err != nil {
		t.Fatal(err)
	}
	got, err := cal.Add(sh(t, "2026-12-31 17:00"), 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := sh(t, "2027-01-04 10:00"); !got.Equal(want) {
		t.Fatalf("Add = %s, want %s", fmtT(got), fmtT(want))
	}
}

func TestAddInputZone(t *testing.T) {
	cal := China2026()
	start := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai
	got, err := cal.Add(start, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := sh(t, "2026-03-02 10:00"); !got.Equal(want) || got.Location().String() != "Asia/Shanghai" {
		t.Fatalf("Add = %v, want %v in Asia/Shanghai", got, want)
	}
}

func TestAddErrors(t *testing.T) {
	cal := China2026()
	if _, err := cal.Add(sh(t, "2026-03-02 09:00"), -time.Minute); err == nil {
		t.Error("negative duration accepted")
	}
	// Holidays covering every day: validation passes (there are weekly
	// hours) but no working time exists, so the search must stop.
	closed := cal.Clone()
	for d := (Date{2026, 1, 1}); d.Year < 2031; d = d.AddDays(1) {
		closed.Holidays[d] = "closed"
	}
	closed.Workdays = map[Date]string{}
	if err := closed.Validate(); err != nil {
		t.Fatal(err)
	}
	_, err := closed.Add(sh(t, "2026-03-02 09:00"), time.Hour)
	if !errors.Is(err, ErrSearchLimit) {
		t.Errorf("Add on a calendar without working time = %v, want ErrSearchLimit", err)
	}
	if _, err := closed.NextOpen(sh(t, "2026-03-02 09:00")); !errors.Is(err, ErrSearchLimit) {
		t.Errorf("NextOpen = %v, want ErrSearchLimit", err)
	}
	// A very long target is fine while within the limit: 250 working days.
	if _, err := cal.Add(sh(t, "2026-03-02 09:00"), 250*7*time.Hour+250*30*time.Minute); err != nil {
		t.Errorf("Add of a year's business time: %v", err)
	}
}

func TestBetween(t *testing.T) {
	cal := China2026()
	tests := []struct {
		a, b string
		want time.Duration
	}{
		{"2026-03-02 11:00", "2026-03-02 14:30", 2 * time.Hour},
		{"2026-03-02 12:00", "2026-03-02 13:30", 0},
		{"2026-03-02 00:00", "2026-03-09 00:00", 37*time.Hour + 30*time.Minute},
		{"2026-03-06 17:00", "2026-03-09 10:00", 2 * time.Hour},
		{"2026-09-30 18:00", "2026-10-08 09:00", 0},
		{"2026-10-09 17:00", "2026-10-10 10:00", 2 * time.Hour},
		{"2026-03-02 10:00", "2026-03-02 10:00", 0},
		{"2026-03-02 11:00", "2026-03-02 10:00", 0},
		// Whole 2026: 261 weekdays - 19 weekday holidays + 6 make-up days = 248 days of 7h30m.
		{"2026-01-01 00:00", "2027-01-01 00:00", 248 * (7*time.Hour + 30*time.Minute)},
	}
	for _, tc := range tests {
		if got := cal.Between(sh(t, tc.a), sh(t, tc.b)); got != tc.want {
			t.Errorf("Between(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestIsOpenNextOpen(t *testing.T) {
	cal := China2026()
	tests := []struct {
		t    string
		open bool
		next string
	}{
		{"2026-03-02 08:59", false, "2026-03-02 09:00"},
		{"2026-03-02 09:00", true, "2026-03-02 09:00"},
		{"2026-03-02 11:59", true, "2026-03-02 11:59"},
		{"2026-03-02 12:00", false, "2026-03-02 13:30"},
		{"2026-03-02 13:30", true, "2026-03-02 13:30"},
		{"2026-03-02 18:00", false, "2026-03-03 09:00"},
		{"2026-03-06 18:00", false, "2026-03-09 09:00"},
		{"2026-10-01 10:00", false, "2026-10-08 09:00"},
		{"2026-10-09 19:00", false, "2026-10-10 09:00"},
		{"2026-10-10 10:00", true, "2026-10-10 10:00"},
		{"2026-02-14 10:00", true, "2026-02-14 10:00"},
		{"2026-02-15 10:00", false, "2026-02-24 09:00"},
	}
	for _, tc := range tests {
		v := sh(t, tc.t)
		if got := cal.IsOpen(v); got != tc.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tc.t, got, tc.open)
		}
		got, err := cal.NextOpen(v)
		if err != nil {
			t.Errorf("NextOpen(%s): %v", tc.t, err)
			continue
		}
		if want := sh(t, tc.next); !got.Equal(want) {
			t.Errorf("NextOpen(%s) = %s, want %s", tc.t, fmtT(got), fmtT(want))
		}
	}
}

func TestAlwaysOpen(t *testing.T) {
	cal := AlwaysOpenCalendar("24x7", newYork)
	if err := cal.Validate(); err != nil {
		t.Fatal(err)
	}
	a := at(t, newYork, "2026-03-07 12:00")
	got, err := cal.Add(a, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// 24 real hours across the spring-forward night end at 13:00 local.
	if want := at(t, newYork, "2026-03-08 13:00"); !got.Equal(want) {
		t.Errorf("Add = %s, want %s", fmtT(got), fmtT(want))
	}
	if b := cal.Between(a, got); b != 24*time.Hour {
		t.Errorf("Between = %v", b)
	}
	if !cal.IsOpen(a) {
		t.Error("24x7 calendar closed")
	}
}

func TestDST(t *testing.T) {
	office, err := NewCalendar("ny", newYork, Weekdays(Interval{At(9, 0), At(17, 0)}))
	if err != nil {
		t.Fatal(err)
	}
	allDay := map[time.Weekday][]Interval{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		allDay[d] = []Interval{{0, Midnight24}}
	}
	round, err := NewCalendar("ny-days", newYork, allDay)
	if err != nil {
		t.Fatal(err)
	}
	night, err := NewCalendar("ny-night", newYork, map[time.Weekday][]Interval{
		time.Sunday: {{At(0, 30), At(3, 30)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ny := func(s string) time.Time { return at(t, newYork, s) }

	// Office hours across the spring-forward weekend: the offset changes but
	// 09:00 is still 09:00.
	got, err := office.Add(ny("2026-03-06 16:00"), 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("office Add = %s, want %s (10:00 EDT)", fmtT(got), want)
	}
	got, err = office.Add(ny("2026-10-30 16:00"), 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("office Add = %s, want %s (10:00 EST)", fmtT(got), want)
	}

	betweenTests := []struct {
		cal  *Calendar
		a, b string
		want time.Duration
	}{
		{round, "2026-03-08 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{round, "2026-11-01 00:00", "2026-11-02 00:00", 25 * time.Hour},
		{round, "2026-03-07 00:00", "2026-03-08 00:00", 24 * time.Hour},
		{night, "2026-03-08 00:00", "2026-03-09 00:00", 2 * time.Hour},   // 00:30 EST to 03:30 EDT
		{night, "2026-11-01 00:00", "2026-11-02 00:00", 4 * time.Hour},   // 00:30 EDT to 03:30 EST
		{night, "2026-03-01 00:00", "2026-03-02 00:00", 3 * time.Hour},   // an ordinary Sunday
		{office, "2026-03-02 00:00", "2026-03-16 00:00", 80 * time.Hour}, // two weeks across the change
	}
	for _, tc := range betweenTests {
		if got := tc.cal.Between(ny(tc.a), ny(tc.b)); got != tc.want {
			t.Errorf("%s Between(%s, %s) = %v, want %v", tc.cal.Name, tc.a, tc.b, got, tc.want)
		}
	}
	got, err = round.Add(ny("2026-03-08 00:00"), 23*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := ny("2026-03-09 00:00"); !got.Equal(want) {
		t.Errorf("round Add = %s, want %s", fmtT(got), fmtT(want))
	}
	got, err = night.Add(ny("2026-11-01 00:00"), 4*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if want := ny("2026-11-01 03:30"); !got.Equal(want) {
		t.Errorf("night Add = %s, want %s", fmtT(got), fmtT(want))
	}
}

// TestAddBetweenInverse checks Between(s, Add(s, d)) == d for random starts
// (inside and outside business time) and durations, and that Add lands on
// business time or an interval's end.
func TestAddBetweenInverse(t *testing.T) {
	gap, err := NewCalendar("ny-gap", newYork, map[time.Weekday][]Interval{
		time.Sunday:   {{At(1, 0), At(2, 30)}, {At(2, 45), At(4, 0)}}, // parts fall into the DST gap
		time.Tuesday:  {{At(9, 0), At(17, 0)}},
		time.Saturday: {{At(0, 0), Midnight24}},
	})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2026, 1))
	for _, cal := range []*Calendar{China2026(), gap} {
		loc := cal.Location
		base := time.Date(2025, 12, 1, 0, 0, 0, 0, loc)
		for i := range 3000 {
			s := base.Add(time.Duration(rng.IntN(400*24*60)) * time.Minute)
			d := time.Duration(rng.IntN(200*60*60)) * time.Second
			end, err := cal.Add(s, d)
			if err != nil {
				t.Fatalf("%s #%d Add(%s, %v): %v", cal.Name, i, fmtT(s), d, err)
			}
			if b := cal.Between(s, end); b != d {
				t.Fatalf("%s #%d Between(%s, Add(s, %v) = %s) = %v", cal.Name, i, fmtT(s), d, fmtT(end), b)
			}
			if d > 0 && !cal.IsOpen(end.Add(-time.Nanosecond)) {
				t.Fatalf("%s #%d Add(%s, %v) = %s, just before it is not business time", cal.Name, i, fmtT(s), d, fmtT(end))
			}
			if cal.IsOpen(s) {
				// From inside business time, Add inverts Between.
				back, err := cal.Add(s, cal.Between(s, end))
				if err != nil || !back.Equal(end) && d > 0 {
					t.Fatalf("%s #%d Add(s, Between(s, %s)) = %s, %v", cal.Name, i, fmtT(end), fmtT(back), err)
				}
			}
		}
	}
}

// TestAgainstReference compares Add with a per-minute walk that uses only
// wall-clock fields, independent of the interval-to-instant conversion.
func TestAgainstReference(t *testing.T) {
	cal := China2026()
	open := func(v time.Time) bool {
		v = v.In(shanghai)
		d := DateOf(v)
		if _, ok := cal.Holidays[d]; ok {
			return false
		}
		_, makeup := cal.Workdays[d]
		if !makeup && (v.Weekday() == time.Saturday || v.Weekday() == time.Sunday) {
			return false
		}
		m := v.Hour()*60 + v.Minute()
		return m >= 9*60 && m < 12*60 || m >= 13*60+30 && m < 18*60
	}
	rng := rand.New(rand.NewPCG(7, 7))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)
	for i := range 300 {
		s := base.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute)
		minutes := 1 + rng.IntN(20*60)
		want := s
		for left := minutes; left > 0; want = want.Add(time.Minute) {
			if open(want) {
				left--
			}
		}
		got, err := cal.Add(s, time.Duration(minutes)*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Fatalf("#%d Add(%s, %dm) = %s, reference %s", i, fmtT(s), minutes, fmtT(got), fmtT(want))
		}
	}
}

// TestDSTGap covers working intervals that begin, end or lie inside the hour
// skipped on 2026-03-08 in New York (02:00-03:00 does not exist).
func TestDSTGap(t *testing.T) {
	ny := func(s string) time.Time { return at(t, newYork, s) }
	utc := func(h, m int) time.Time { return time.Date(2026, 3, 8, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		hours []Interval
		want  time.Duration // business time on that Sunday
		open  time.Time     // NextOpen from Sunday 00:00
	}{
		{"starts in the gap", []Interval{{At(2, 30), At(5, 0)}}, 2 * time.Hour, utc(7, 0)},
		{"inside the gap", []Interval{{At(2, 0), At(2, 30)}, {At(6, 0), At(7, 0)}}, time.Hour, utc(10, 0)},
		{"ends in the gap", []Interval{{At(1, 0), At(2, 30)}}, time.Hour, utc(6, 0)},
		{"around the gap", []Interval{{At(1, 0), At(1, 45)}, {At(2, 15), At(3, 30)}}, 75 * time.Minute, utc(6, 0)},
	}
	for _, tc := range tests {
		cal, err := NewCalendar(tc.name, newYork, map[time.Weekday][]Interval{time.Sunday: tc.hours})
		if err != nil {
			t.Fatal(err)
		}
		if got := cal.Between(ny("2026-03-08 00:00"), ny("2026-03-09 00:00")); got != tc.want {
			t.Errorf("%s: Between = %v, want %v", tc.name, got, tc.want)
		}
		got, err := cal.NextOpen(ny("2026-03-08 00:00"))
		if err != nil || !got.Equal(tc.open) {
			t.Errorf("%s: NextOpen = %v, %v, want %v", tc.name, got.UTC(), err, tc.open)
		}
		end, err := cal.Add(ny("2026-03-08 00:00"), tc.want)
		if err != nil || cal.Between(ny("2026-03-08 00:00"), end) != tc.want {
			t.Errorf("%s: Add = %v, %v", tc.name, end, err)
		}
	}
}
