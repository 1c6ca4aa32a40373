package desk

import (
	"testing"
	"time"

	"huiliu/desk/sla"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func in(at string) Message {
	return Message{Direction: DirIn, AuthorKind: AuthorContact, CreatedAt: cst(at)}
}
func out(at string) Message {
	return Message{Direction: DirOut, AuthorKind: AuthorAgent, CreatedAt: cst(at)}
}
func note(at string) Message {
	return Message{Direction: DirNote, AuthorKind: AuthorAgent, CreatedAt: cst(at)}
}
func call(at, direction string) Message {
	ev := callEvent(CallRecord{Direction: direction, State: "answered"}, "")
	return Message{Direction: DirIn, AuthorKind: AuthorContact, Kind: MessageKindCall, Event: &ev, CreatedAt: cst(at)}
}
func status(at string, from, to Status) Message {
	return Message{Direction: DirSystem, CreatedAt: cst(at),
		Event: &SystemEvent{Action: "status", Args: map[string]string{"from": string(from), "status": string(to)}}}
}

func TestReplaySLADeadlines(t *testing.T) {
	cn := sla.China2026()
	p := SLAPolicy{ID: "p", FirstResponse: SLADuration(2 * time.Hour), NextResponse: SLADuration(time.Hour),
		Resolution: SLADuration(16 * time.Hour)}
	type want struct {
		target string
		cycle  int
		due    string // "" while paused or met
		met    string
	}
	tests := []struct {
		name    string
		created string
		msgs    []Message
		want    []want
	}{
		// Resolution is 16h of 7.5h days: 30 Sep gives 5.5h, 8 Oct 7.5h,
		// 9 Oct the last 3h by noon.
		{"across the lunch break", "2026-09-30 11:00", nil, []want{
			{TargetFirstResponse, 0, "2026-09-30 14:30", ""}, {TargetResolution, 0, "2026-10-09 12:00", ""}}},
		// 30 Sep 17:00: one hour that day, then the National Day holiday
		// (1–7 Oct) and the worked Saturday 10 Oct are no help before 8 Oct.
		{"into the National Day holiday", "2026-09-30 17:00", nil, []want{
			{TargetFirstResponse, 0, "2026-10-08 10:00", ""}, {TargetResolution, 0, "2026-10-09 18:00", ""}}},
		{"a make-up Saturday counts", "2026-10-09 17:30", nil, []want{
			{TargetFirstResponse, 0, "2026-10-10 10:30", ""}, {TargetResolution, 0, "2026-10-13 09:30", ""}}},
		{"over a weekend", "2026-11-13 17:00", nil, []want{
			{TargetFirstResponse, 0, "2026-11-16 10:00", ""}, {TargetResolution, 0, "2026-11-17 18:00", ""}}},
		{"pending pauses every clock", "2026-11-16 09:00", []Message{
			status("2026-11-16 10:00", StatusOpen, StatusPending)}, []want{
			{TargetFirstResponse, 0, "", ""}, {TargetResolution, 0, "", ""}}},
		// Paused 10:00–15:00 Monday: first response had one hour left, so
		// it is due at 16:00; the customer's message reopened the ticket.
		{"a customer reply resumes", "2026-11-16 09:00", []Message{
			status("2026-11-16 10:00", StatusOpen, StatusPending), in("2026-11-16 15:00")}, []want{
			{TargetFirstResponse, 0, "2026-11-16 16:00", ""}, {TargetResolution, 0, "2026-11-18 15:00", ""}}},
		{"next response cycles", "2026-11-16 09:00", []Message{
			out("2026-11-16 09:30"), in("2026-11-16 10:00"), in("2026-11-16 10:10"), note("2026-11-16 10:20"),
			out("2026-11-16 10:30"), in("2026-11-16 11:30")}, []want{
			{TargetFirstResponse, 0, "", "2026-11-16 09:30"}, {TargetResolution, 0, "2026-11-18 10:00", ""},
			{TargetNextResponse, 2, "2026-11-16 14:00", ""}}},
		// The entry of a call we placed comes in like a customer message;
		// an inbound call starts the clock like any.
		{"a call we placed starts no next response", "2026-11-16 09:00", []Message{
			out("2026-11-16 09:30"), call("2026-11-16 10:00", "out")}, []want{
			{TargetFirstResponse, 0, "", "2026-11-16 09:30"}, {TargetResolution, 0, "2026-11-18 10:00", ""}}},
		{"a call from the customer starts one", "2026-11-16 09:00", []Message{
			out("2026-11-16 09:30"), call("2026-11-16 10:00", "in")}, []want{
			{TargetFirstResponse, 0, "", "2026-11-16 09:30"}, {TargetResolution, 0, "2026-11-18 10:00", ""},
			{TargetNextResponse, 1, "2026-11-16 11:00", ""}}},
		{"resolved meets resolution, a reopen resumes it", "2026-11-16 09:00", []Message{
			out("2026-11-16 09:10"), status("2026-11-16 10:00", StatusOpen, StatusResolved), in("2026-11-17 09:00")}, []want{
			{TargetFirstResponse, 0, "", "2026-11-16 09:10"}, {TargetResolution, 0, "2026-11-18 18:00", ""},
			{TargetNextResponse, 1, "2026-11-17 10:00", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tk := Ticket{ID: "t", Status: StatusOpen, CreatedAt: cst(tc.created)}
			clocks, err := replaySLA(p, cn, tk, tc.msgs)
			if err != nil {
				t.Fatal(err)
			}
			if len(clocks) != len(tc.want) {
				t.Fatalf("clocks %+v, want %d", clocks, len(tc.want))
			}
			for i, w := range tc.want {
				c := clocks[i]
				due, running := c.Clock.Deadline()
				gotDue := ""
				if running && c.MetAt.IsZero() {
					gotDue = due.In(shanghai).Format("2006-01-02 15:04")
				}
				gotMet := ""
				if !c.MetAt.IsZero() {
					gotMet = c.MetAt.In(shanghai).Format("2006-01-02 15:04")
				}
				if c.Target != w.target || c.Cycle != w.cycle || gotDue != w.due || gotMet != w.met {
					t.Errorf("clock %d = %s cycle %d due %q met %q, want %+v", i, c.Target, c.Cycle, gotDue, gotMet, w)
				}
			}
		})
	}
}

func TestPendingStepsAtShareAndAfterBreach(t *testing.T) {
	cn := sla.China2026()
	p := SLAPolicy{FirstResponse: SLADuration(2 * time.Hour), Ladder: []EscalationStep{
		{Target: TargetFirstResponse, Percent: 80},
		{Target: TargetFirstResponse, AfterBreach: SLADuration(30 * time.Minute)},
	}}
	clocks, err := replaySLA(p, cn, Ticket{ID: "t", Status: StatusOpen, CreatedAt: cst("2026-09-30 11:00")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := pendingSteps(p, cn, "t", clocks, nil, map[EscalationKey]bool{})
	if err != nil {
		t.Fatal(err)
	}
	// 80 % of 2h is 96 minutes: 60 before lunch, 36 after it.
	if len(steps) != 2 || !steps[0].at.Equal(cst("2026-09-30 14:06")) || !steps[1].at.Equal(cst("2026-09-30 15:00")) {
		t.Fatalf("steps %+v", steps)
	}
	taken := map[EscalationKey]bool{steps[0].key: true}
	if steps, _ = pendingSteps(p, cn, "t", clocks, nil, taken); len(steps) != 1 || steps[0].key.Step != 1 {
		t.Fatalf("after taking step 1: %+v", steps)
	}
}

func TestReplaySLAOverTheYearEndWithAnImportedSchedule(t *testing.T) {
	c := SLACalendar{Name: "cn", Timezone: "Asia/Shanghai", Base: CalendarCNMainland,
		Hours:    map[string]string{"mon": "09:00-12:00,13:30-18:00", "tue": "09:00-12:00,13:30-18:00", "wed": "09:00-12:00,13:30-18:00", "thu": "09:00-12:00,13:30-18:00", "fri": "09:00-12:00,13:30-18:00"},
		Schedule: "year 2027\nholiday 2027-01-01 2027-01-03 元旦\n"}
	cal, err := c.Build()
	if err != nil {
		t.Fatal(err)
	}
	p := SLAPolicy{FirstResponse: SLADuration(2 * time.Hour)}
	clocks, err := replaySLA(p, cal, Ticket{Status: StatusOpen, CreatedAt: cst("2026-12-31 17:00")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One hour on 31 Dec, New Year's Day holiday (Fri) and the weekend,
	// the second hour on Monday 4 Jan.
	if due, _ := clocks[0].Clock.Deadline(); !due.Equal(cst("2027-01-04 10:00")) {
		t.Fatalf("due %v", due.In(shanghai))
	}
}
