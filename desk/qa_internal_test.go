package desk

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"huiliu/desk/sla"
)

func TestQASLABreached(t *testing.T) {
	closed := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	enc := func(cs ...SLAClock) string {
		b, _ := json.Marshal(cs)
		return string(b)
	}
	met := SLAClock{Target: TargetFirstResponse, MetAt: closed, Clock: sla.Clock{Target: time.Hour, Spent: 59 * time.Minute, PausedAt: closed}}
	late := SLAClock{Target: TargetResolution, MetAt: closed, Clock: sla.Clock{Target: time.Hour, Spent: 61 * time.Minute, PausedAt: closed}}
	running := SLAClock{Target: TargetFirstResponse, Clock: sla.Clock{Target: time.Hour, Since: closed.Add(-2 * time.Hour), Due: closed.Add(-time.Hour)}}
	ahead := SLAClock{Target: TargetFirstResponse, Clock: sla.Clock{Target: time.Hour, Since: closed.Add(-time.Minute), Due: closed.Add(time.Hour)}}
	for name, tc := range map[string]struct {
		clocks string
		want   bool
	}{
		"none": {"", false}, "garbage": {"{", false}, "met in time": {enc(met), false},
		"one late": {enc(met, late), true}, "running past due": {enc(running), true}, "running ahead": {enc(ahead), false},
	} {
		if got := qaSLABreached(tc.clocks, closed); got != tc.want {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
}

// The split over channels: busiest first, one each in turn, a channel
// that runs out leaves its share to the others; the seed fixes the pick.
func TestQAPickStratified(t *testing.T) {
	var cands []QACandidate
	for i, ch := range []string{"api", "api", "api", "api", "api", "email", "email", "telegram"} {
		cands = append(cands, QACandidate{TicketID: string(rune('a' + i)), Channel: ch})
	}
	count := func(n int, seed uint64) map[string]int {
		m := map[string]int{}
		for _, c := range qaPickStratified(append([]QACandidate(nil), cands...), n, rand.New(rand.NewPCG(seed, 1))) {
			m[c.Channel]++
		}
		return m
	}
	for n, want := range map[int]map[string]int{
		1: {"api": 1}, 2: {"api": 1, "email": 1}, 3: {"api": 1, "email": 1, "telegram": 1},
		5: {"api": 2, "email": 2, "telegram": 1}, 7: {"api": 4, "email": 2, "telegram": 1}, 20: {"api": 5, "email": 2, "telegram": 1},
	} {
		got := count(n, 7)
		if len(got) != len(want) {
			t.Errorf("n=%d: %v, want %v", n, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("n=%d: %v, want %v", n, got, want)
			}
		}
	}
	pick := func(seed uint64) string {
		var s string
		for _, c := range qaPickStratified(append([]QACandidate(nil), cands...), 2, rand.New(rand.NewPCG(seed, 1))) {
			s += c.TicketID
		}
		return s
	}
	if first, again := pick(1), pick(1); first != again {
		t.Fatal("the same seed picked differently")
	}
	seen := map[string]bool{}
	for seed := range uint64(20) {
		seen[pick(seed)] = true
	}
	if len(seen) < 3 {
		t.Fatalf("20 seeds picked only %v", seen)
	}
}

func TestQAWeeks(t *testing.T) {
	for week, monday := range map[string]string{"2026-W01": "2025-12-29", "2026-W48": "2026-11-23", "2020-W53": "2020-12-28"} {
		from, to, err := QAWeekRange(week)
		if err != nil || from.Format(time.DateOnly) != monday || to.Sub(from) != 7*24*time.Hour || QAWeekOf(from) != week || QAWeekOf(to.Add(-time.Millisecond)) != week {
			t.Errorf("%s: %v %v %v", week, from, to, err)
		}
	}
	for _, bad := range []string{"", "2026-W00", "2026-W54", "2025-W53", "2026W48", "26-W48", "2026-W4"} {
		if _, _, err := QAWeekRange(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// Sunday 23:30 in China is still that week, though it is Sunday 15:30 UTC.
	if w := QAWeekOf(time.Date(2026, 11, 29, 15, 30, 0, 0, time.UTC)); w != "2026-W48" {
		t.Errorf("Sunday night: %s", w)
	}
	if w := QAWeekOf(time.Date(2026, 11, 29, 16, 30, 0, 0, time.UTC)); w != "2026-W49" {
		t.Errorf("Monday 00:30 CST: %s", w)
	}
}

// FuzzQAWeek: a week name from a request either is refused or names a
// week that starts on a Monday in China time, lasts seven days and is
// named the same way back.
func FuzzQAWeek(f *testing.F) {
	for _, s := range []string{"2026-W48", "2020-W53", "2026-W00", "", "9999-W52", "2026-W5\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, week string) {
		from, to, err := QAWeekRange(week)
		if err != nil {
			return
		}
		if QAWeekOf(from) != week || to.Sub(from) != 7*24*time.Hour || from.In(QAZone).Weekday() != time.Monday {
			t.Fatalf("%q: %v – %v", week, from, to)
		}
	})
}
