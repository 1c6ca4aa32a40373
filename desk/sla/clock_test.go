package sla

import (
	"encoding/json"
	"testing"
	"time"
)

func TestClockPauseResume(t *testing.T) {
	cal := China2026()
	c, err := StartClock(cal, 4*time.Hour, sh(t, "2026-03-06 16:00")) // Friday
	if err != nil {
		t.Fatal(err)
	}
	wantDeadline(t, c, "2026-03-09 11:00")

	steps := []struct {
		name    string
		do      func(c Clock) (Clock, error)
		now     string
		paused  bool
		due     string // "" when paused
		elapsed time.Duration
	}{
		{"running on Friday", nil, "2026-03-06 16:30", false, "2026-03-09 11:00", 30 * time.Minute},
		{"pending on the customer Friday 17:00",
			func(c Clock) (Clock, error) { return c.Pause(cal, sh(t, "2026-03-06 17:00")), nil },
			"2026-03-09 09:30", true, "", time.Hour},
		{"pausing again is a no-op",
			func(c Clock) (Clock, error) { return c.Pause(cal, sh(t, "2026-03-06 17:45")), nil },
			"2026-03-09 09:30", true, "", time.Hour},
		{"customer replies Monday 10:00",
			func(c Clock) (Clock, error) { return c.Resume(cal, sh(t, "2026-03-09 10:00")) },
			"2026-03-09 11:00", false, "2026-03-09 14:30", 2 * time.Hour},
		{"resuming a running clock is a no-op",
			func(c Clock) (Clock, error) { return c.Resume(cal, sh(t, "2026-03-09 11:00")) },
			"2026-03-09 14:30", false, "2026-03-09 14:30", 4 * time.Hour},
		{"overrun after the deadline", nil, "2026-03-09 15:00", false, "2026-03-09 14:30", 4*time.Hour + 30*time.Minute},
	}
	for _, st := range steps {
		if st.do != nil {
			if c, err = st.do(c); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		now := sh(t, st.now)
		if c.Paused() != st.paused {
			t.Errorf("%s: Paused() = %v", st.name, c.Paused())
		}
		due, ok := c.Deadline()
		switch {
		case st.due == "" && ok:
			t.Errorf("%s: Deadline() = %s, true while paused", st.name, fmtT(due))
		case st.due != "" && (!ok || !due.Equal(sh(t, st.due))):
			t.Errorf("%s: Deadline() = %s, %v, want %s", st.name, fmtT(due), ok, st.due)
		}
		if e := c.Elapsed(cal, now); e != st.elapsed {
			t.Errorf("%s: Elapsed(%s) = %v, want %v", st.name, st.now, e, st.elapsed)
		}
		if r := c.Remaining(cal, now); r != 4*time.Hour-st.elapsed {
			t.Errorf("%s: Remaining(%s) = %v, want %v", st.name, st.now, r, 4*time.Hour-st.elapsed)
		}
		if b := c.Breached(cal, now); b != (st.elapsed >= 4*time.Hour) {
			t.Errorf("%s: Breached(%s) = %v", st.name, st.now, b)
		}
	}
	if !c.PausedAt.IsZero() || c.Spent != time.Hour {
		t.Errorf("final state %+v", c)
	}
}

func TestClockHolidayPause(t *testing.T) {
	cal := China2026()
	// Paused across 国庆: the pause stops nothing extra, and the resume on
	// the first working day after it sets a deadline from there.
	c, err := StartClock(cal, 2*time.Hour, sh(t, "2026-09-30 16:30"))
	if err != nil {
		t.Fatal(err)
	}
	wantDeadline(t, c, "2026-10-08 09:30")
	c = c.Pause(cal, sh(t, "2026-09-30 17:00"))
	c, err = c.Resume(cal, sh(t, "2026-10-05 12:00")) // replied during the holiday
	if err != nil {
		t.Fatal(err)
	}
	wantDeadline(t, c, "2026-10-08 10:30")
}

func TestClockEdgeCases(t *testing.T) {
	cal := China2026()
	c, err := StartClock(cal, 30*time.Minute, sh(t, "2026-03-06 16:00"))
	if err != nil {
		t.Fatal(err)
	}
	// Target used up before the pause: due at once on resume.
	c = c.Pause(cal, sh(t, "2026-03-06 17:00"))
	c, err = c.Resume(cal, sh(t, "2026-03-09 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	wantDeadline(t, c, "2026-03-09 10:00")
	if r := c.Remaining(cal, sh(t, "2026-03-09 10:00")); r != -30*time.Minute {
		t.Errorf("Remaining = %v, want -30m", r)
	}

	// A resume stamped before the pause does not count time twice.
	c, _ = StartClock(cal, 2*time.Hour, sh(t, "2026-03-02 09:00"))
	c = c.Pause(cal, sh(t, "2026-03-02 10:00"))
	c, _ = c.Resume(cal, sh(t, "2026-03-02 09:30"))
	if e := c.Elapsed(cal, sh(t, "2026-03-02 10:30")); e != 90*time.Minute {
		t.Errorf("Elapsed = %v, want 1h30m", e)
	}
	// A pause stamped before the running stretch began counts nothing.
	c, _ = StartClock(cal, 2*time.Hour, sh(t, "2026-03-02 09:00"))
	c = c.Pause(cal, sh(t, "2026-03-02 08:00"))
	if c.Spent != 0 || !c.PausedAt.Equal(sh(t, "2026-03-02 09:00")) {
		t.Errorf("early pause: %+v", c)
	}
	if _, err := StartClock(cal, -time.Second, sh(t, "2026-03-02 09:00")); err == nil {
		t.Error("negative target accepted")
	}
}

func TestClockJSON(t *testing.T) {
	cal := China2026()
	c, err := StartClock(cal, 2*time.Hour, sh(t, "2026-03-06 17:00"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []Clock{c, c.Pause(cal, sh(t, "2026-03-06 17:30"))} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var back Clock
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		b2, _ := json.Marshal(back)
		if string(b) != string(b2) || back.Paused() != v.Paused() || back.Elapsed(cal, sh(t, "2026-03-09 10:00")) != v.Elapsed(cal, sh(t, "2026-03-09 10:00")) {
			t.Errorf("round trip changed the clock:\n%s\n%s", b, b2)
		}
		d1, ok1 := v.Deadline()
		d2, ok2 := back.Deadline()
		if ok1 != ok2 || !d1.Equal(d2) {
			t.Errorf("deadline changed: %v %v / %v %v", d1, ok1, d2, ok2)
		}
	}
}

func wantDeadline(t *testing.T, c Clock, want string) {
	t.Helper()
	due, ok := c.Deadline()
	if !ok || !due.Equal(sh(t, want)) {
		t.Fatalf("Deadline() = %s, %v, want %s", fmtT(due), ok, want)
	}
}
