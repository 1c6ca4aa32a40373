package desk_test

import (
	"context"
	"slices"
	"testing"

	"huiliu/desk"
	"huiliu/store/storetest"
)

func TestCalendarGapsWarnFromNovemberForCalendarsInUse(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-10-31 23:59"))
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now})
	slaPolicy(t, svc) // on the built-in cn-mainland calendar

	gaps := func() []desk.CalendarGap {
		t.Helper()
		g, err := svc.CalendarGaps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	if g := gaps(); len(g) != 0 {
		t.Fatalf("October: %+v", g)
	}
	// 1 November in Shanghai is still 31 October in UTC.
	clock.Set(cstAt("2026-11-01 00:01"))
	g := gaps()
	if len(g) != 1 || g[0].Name != desk.CalendarCNMainland || !slices.Equal(g[0].Missing, []int{2027}) || !slices.Contains(g[0].Years, 2026) {
		t.Fatalf("November: %+v", g)
	}

	// Calendars no policy uses, and plain weekly ones, are not reported.
	plain, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "weekly", Timezone: "Asia/Shanghai",
		Hours: map[string]string{"mon": "09:00-18:00"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "spare", Timezone: "Asia/Shanghai",
		Hours: map[string]string{"mon": "09:00-18:00"}, Base: desk.CalendarCNMainland}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PutSLAPolicy(ctx, desk.Actor{}, desk.SLAPolicy{Name: "plain", Position: 9, CalendarID: plain.ID,
		FirstResponse: desk.SLADuration(3600e9)}); err != nil {
		t.Fatal(err)
	}
	if g := gaps(); len(g) != 1 || g[0].Name != desk.CalendarCNMainland {
		t.Fatalf("with a plain and an unused calendar: %+v", g)
	}

	// Importing next year's notice closes the gap.
	cals, err := svc.SLACalendars(ctx, desk.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cals {
		if c.Name == desk.CalendarCNMainland {
			c.Schedule = "year 2027\nholiday 2027-01-01 元旦\n"
			if _, err := svc.PutSLACalendar(ctx, desk.Actor{}, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if g := gaps(); len(g) != 0 {
		t.Fatalf("after importing 2027: %+v", g)
	}
	// A year with no schedule at all is reported as well.
	clock.Set(cstAt("2028-03-01 10:00"))
	if g := gaps(); len(g) != 1 || !slices.Equal(g[0].Missing, []int{2028}) {
		t.Fatalf("2028: %+v", g)
	}
}
