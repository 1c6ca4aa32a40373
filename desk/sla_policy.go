package desk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"huiliu/desk/sla"
)

// SLA targets a policy sets and clocks run for.
const (
	TargetFirstResponse = "first_response"
	TargetNextResponse  = "next_response"
	TargetResolution    = "resolution"
	// TargetFollowup prefixes the target of a promised follow-up
	// ("followup:<id>"), which has a wall-clock deadline of its own.
	TargetFollowup = "followup"
)

// CalendarCNMainland is the built-in calendar's name and base: mainland
// China office hours with the holiday data desk/sla ships.
const CalendarCNMainland = "cn-mainland"

// SLADuration is a duration written as "2h30m" in JSON.
type SLADuration time.Duration

// MarshalText writes the duration in Go's syntax, trimmed to the form
// as people write it in the form ("2h", "1h30m", "45m"), not Go's "2h0m0s".
func (d SLADuration) MarshalText() ([]byte, error) {
	s := time.Duration(d).String()
	if len(s) > 2 && strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if len(s) > 2 && strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return []byte(s), nil
}

// UnmarshalText reads "90m", "2h", "1h30m".
func (d *SLADuration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: write it like 30m, 2h or 1h30m", b)
	}
	*d = SLADuration(v)
	return nil
}

// SLACalendar is a business calendar as stored: weekly hours by weekday
// ("mon" … "sun", each "09:00-12:00,13:30-18:00"), an optional built-in base
// of holidays, and an imported holiday/make-up schedule in the desk/sla
// schedule format.
type SLACalendar struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Timezone   string            `json:"timezone"`
	Hours      map[string]string `json:"hours"`
	Base       string            `json:"base"`
	Schedule   string            `json:"schedule"`
	AlwaysOpen bool              `json:"always_open"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

var weekdayNames = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// Build turns the stored form into a validated calendar. Errors are
// CodeInvalid with the field or schedule line at fault.
func (c SLACalendar) Build() (*sla.Calendar, error) {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		return nil, Errorf(CodeInvalid, "timezone %q is not an IANA zone such as Asia/Shanghai", c.Timezone)
	}
	if c.AlwaysOpen {
		return sla.AlwaysOpenCalendar(c.Name, loc), nil
	}
	hours := map[time.Weekday][]sla.Interval{}
	for name, spec := range c.Hours {
		wd, ok := weekdayNames[strings.ToLower(name)]
		if !ok {
			return nil, Errorf(CodeInvalid, "hours: %q is not a weekday; use mon, tue, wed, thu, fri, sat, sun", name)
		}
		ivs, err := sla.ParseHours(spec)
		if err != nil {
			return nil, Errorf(CodeInvalid, "hours of %s: %v", name, err)
		}
		hours[wd] = ivs
	}
	cal := &sla.Calendar{Name: c.Name, Location: loc, Hours: hours}
	switch c.Base {
	case "":
	case CalendarCNMainland:
		base := sla.ChinaMainlandAll()
		cal.Holidays, cal.Workdays, cal.Years = base.Holidays, base.Workdays, base.Years
	default:
		return nil, Errorf(CodeInvalid, "base %q is unknown; use %q or leave it empty", c.Base, CalendarCNMainland)
	}
	cal = cal.Clone()
	if err := cal.Validate(); err != nil {
		return nil, Errorf(CodeInvalid, "%v", err)
	}
	if strings.TrimSpace(c.Schedule) != "" {
		s, err := sla.ParseSchedule(strings.NewReader(c.Schedule))
		if err != nil {
			return nil, Errorf(CodeInvalid, "schedule: %v", err)
		}
		if err := cal.Apply(s); err != nil {
			return nil, Errorf(CodeInvalid, "schedule: %v", err)
		}
	}
	return cal, nil
}

// SLAPolicy sets targets for the tickets it matches. Policies are tried in
// Position order; the first whose non-empty match fields all equal the
// ticket's applies, and a ticket no policy matches has no SLA.
type SLAPolicy struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	TeamID   string `json:"team_id"`
	Priority string `json:"priority"`
	Category string `json:"category"`
	Channel  string `json:"channel"`
	// CalendarID is the business calendar the targets count on.
	CalendarID    string           `json:"calendar_id"`
	FirstResponse SLADuration      `json:"first_response"`
	NextResponse  SLADuration      `json:"next_response"`
	Resolution    SLADuration      `json:"resolution"`
	Ladder        []EscalationStep `json:"ladder"`
	CreatedAt     time.Time        `json:"created_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
}

// Matches reports whether the policy applies to t.
func (p SLAPolicy) Matches(t Ticket) bool {
	return (p.TeamID == "" || p.TeamID == t.TeamID) &&
		(p.Priority == "" || p.Priority == string(t.Priority)) &&
		(p.Category == "" || p.Category == t.Category) &&
		(p.Channel == "" || p.Channel == t.Channel)
}

func (p SLAPolicy) target(name string) time.Duration {
	switch name {
	case TargetFirstResponse:
		return time.Duration(p.FirstResponse)
	case TargetNextResponse:
		return time.Duration(p.NextResponse)
	case TargetResolution:
		return time.Duration(p.Resolution)
	}
	return 0
}

// EscalationStep is one rung of a policy's ladder: when a share of a target
// is used up (Percent, 1–100; 100 is the breach) or a wall-clock time after
// the breach (AfterBreach), it notifies people and changes the ticket.
type EscalationStep struct {
	Target      string      `json:"target"`
	Percent     int         `json:"percent,omitempty"`
	AfterBreach SLADuration `json:"after_breach,omitempty"`
	// Notify names recipients: owner, assignee, supervisors (of the
	// ticket's team).
	Notify        []string `json:"notify,omitempty"`
	RaisePriority bool     `json:"raise_priority,omitempty"`
	// Team, a team id, takes the ticket (the assignee is cleared).
	Team string `json:"team,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// UnmarshalJSON reads a step. An after_breach given as zero ("0", "0m")
// means at the breach itself and is kept as percent 100, the same instant,
// so an admin who writes "0 after the breach" gets what they meant rather
// than a refusal.
func (e *EscalationStep) UnmarshalJSON(b []byte) error {
	type plain EscalationStep
	var v struct {
		plain
		AfterBreach *SLADuration `json:"after_breach"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = EscalationStep(v.plain)
	if v.AfterBreach != nil {
		e.AfterBreach = *v.AfterBreach
		if e.AfterBreach == 0 && e.Percent == 0 {
			e.Percent = 100
		}
	}
	return nil
}

// breach reports whether the step fires at or after the breach.
func (e EscalationStep) breach() bool { return e.Percent >= 100 || e.AfterBreach > 0 }

// EncodeLadder is the stored form of a ladder.
func EncodeLadder(l []EscalationStep) string {
	if l == nil {
		l = []EscalationStep{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// DecodeLadder reads the stored form.
func DecodeLadder(s string) ([]EscalationStep, error) {
	var l []EscalationStep
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.DisallowUnknownFields()
	if err := d.Decode(&l); err != nil {
		return nil, err
	}
	return l, nil
}

func (p *SLAPolicy) validate() error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len(p.Name) > 100 || !ValidText(p.Name) {
		return Errorf(CodeInvalid, "name: give the policy a name of at most 100 bytes")
	}
	if p.Priority != "" && !Priority(p.Priority).Valid() {
		return Errorf(CodeInvalid, "priority: must be empty (any), low, normal, high or urgent")
	}
	if p.CalendarID == "" {
		return Errorf(CodeInvalid, "calendar_id: name the business calendar the targets count on")
	}
	for name, d := range map[string]SLADuration{"first_response": p.FirstResponse, "next_response": p.NextResponse, "resolution": p.Resolution} {
		if d < 0 || time.Duration(d) > 365*24*time.Hour {
			return Errorf(CodeInvalid, "%s: must be between 0 (no target) and a year", name)
		}
	}
	if p.FirstResponse == 0 && p.NextResponse == 0 && p.Resolution == 0 {
		return Errorf(CodeInvalid, "set at least one of first_response, next_response and resolution")
	}
	if len(p.Ladder) > 20 {
		return Errorf(CodeInvalid, "ladder: at most 20 steps")
	}
	for i, st := range p.Ladder {
		if p.target(st.Target) == 0 {
			return Errorf(CodeInvalid, "ladder step %d: target must be a target the policy sets (first_response, next_response, resolution)", i+1)
		}
		if (st.Percent > 0) == (st.AfterBreach > 0) || st.Percent < 0 || st.Percent > 100 || st.AfterBreach < 0 {
			return Errorf(CodeInvalid, "ladder step %d: set either percent (1-100) or after_breach", i+1)
		}
		for _, n := range st.Notify {
			if n != "owner" && n != "assignee" && n != "supervisors" {
				return Errorf(CodeInvalid, "ladder step %d: notify %q: use owner, assignee or supervisors", i+1, n)
			}
		}
		tags, err := normalizeTags([]string{st.Tag})
		if err != nil {
			return Errorf(CodeInvalid, "ladder step %d: %v", i+1, err)
		}
		p.Ladder[i].Tag = ""
		if len(tags) == 1 {
			p.Ladder[i].Tag = tags[0]
		}
	}
	if p.Ladder == nil {
		p.Ladder = []EscalationStep{}
	}
	return nil
}
