package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
)

// slaServices run the SLA worker (bound to the service in openApp, so every
// committed change queues its ticket's recompute). Each node runs one;
// timers are claimed atomically across them.
func (a *app) slaServices() []services.Service {
	return []services.Service{{Name: "sla", Run: func(ctx context.Context) error { a.sla.Run(ctx); return nil }}}
}

// SLACalendarConfig is a [[sla_calendar]] table: a business calendar kept
// in step with the file at every start, matched by name.
type SLACalendarConfig struct {
	Name     string            `toml:"name"`
	Timezone string            `toml:"timezone"`
	Hours    map[string]string `toml:"hours"` // mon = "09:00-12:00,13:30-18:00"
	Base     string            `toml:"base"`  // "cn-mainland" or empty
	Schedule string            `toml:"schedule"`
	// ScheduleFile is read instead of Schedule (a year's holiday notice).
	ScheduleFile string `toml:"schedule_file"`
	AlwaysOpen   bool   `toml:"always_open"`
}

// SLAPolicyConfig is a [[sla_policy]] table, matched by name. Team and
// Calendar are names; durations are Go durations of business time.
type SLAPolicyConfig struct {
	Name          string          `toml:"name"`
	Position      int             `toml:"position"`
	Team          string          `toml:"team"`
	Priority      string          `toml:"priority"`
	Category      string          `toml:"category"`
	Channel       string          `toml:"channel"`
	Calendar      string          `toml:"calendar"`
	FirstResponse string          `toml:"first_response"`
	NextResponse  string          `toml:"next_response"`
	Resolution    string          `toml:"resolution"`
	Ladder        []SLAStepConfig `toml:"ladder"`
}

// SLAStepConfig is one [[sla_policy.ladder]] step; Team is a team name.
type SLAStepConfig struct {
	Target        string   `toml:"target"`
	Percent       int      `toml:"percent"`
	AfterBreach   string   `toml:"after_breach"`
	Notify        []string `toml:"notify"`
	RaisePriority bool     `toml:"raise_priority"`
	Team          string   `toml:"team"`
	Tag           string   `toml:"tag"`
}

// applySLAConfig writes the file's calendars and policies where they differ
// from SQL, so a deployment's SLA setup is reproducible; an unchanged file
// writes nothing and so recomputes nothing.
func (a *app) applySLAConfig(ctx context.Context) error {
	st := a.db
	for _, c := range a.cfg.SLACalendars {
		want := desk.SLACalendar{Name: c.Name, Timezone: c.Timezone, Hours: c.Hours, Base: c.Base, Schedule: c.Schedule, AlwaysOpen: c.AlwaysOpen}
		if c.ScheduleFile != "" {
			b, err := os.ReadFile(c.ScheduleFile)
			if err != nil {
				return fmt.Errorf("sla_calendar %q: %w", c.Name, err)
			}
			want.Schedule = string(b)
		}
		if want.Hours == nil {
			want.Hours = map[string]string{}
		}
		old, err := st.SLACalendarByName(ctx, c.Name)
		switch {
		case err == nil:
			if old.Timezone == want.Timezone && maps.Equal(old.Hours, want.Hours) && old.Base == want.Base &&
				old.Schedule == want.Schedule && old.AlwaysOpen == want.AlwaysOpen {
				continue
			}
			want.ID = old.ID
		case !errors.Is(err, desk.ErrNotFound):
			return fmt.Errorf("sla_calendar %q: %w", c.Name, err)
		}
		if _, err := a.svc.PutSLACalendar(ctx, desk.Actor{}, want); err != nil {
			return fmt.Errorf("sla_calendar %q: %w", c.Name, err)
		}
	}
	if len(a.cfg.SLAPolicies) == 0 {
		return nil
	}
	existing, err := st.SLAPolicies(ctx)
	if err != nil {
		return fmt.Errorf("sla policies: %w", err)
	}
	for _, pc := range a.cfg.SLAPolicies {
		p, err := a.slaPolicyFromConfig(ctx, pc)
		if err != nil {
			return fmt.Errorf("sla_policy %q: %w", pc.Name, err)
		}
		if i := slices.IndexFunc(existing, func(e desk.SLAPolicy) bool { return e.Name == pc.Name }); i >= 0 {
			old := existing[i]
			p.ID = old.ID
			p.CreatedAt, p.UpdatedAt = old.CreatedAt, old.UpdatedAt
			if reflect.DeepEqual(old, p) {
				continue
			}
		}
		if _, err := a.svc.PutSLAPolicy(ctx, desk.Actor{}, p); err != nil {
			return fmt.Errorf("sla_policy %q: %w", pc.Name, err)
		}
	}
	return nil
}

func (a *app) slaPolicyFromConfig(ctx context.Context, pc SLAPolicyConfig) (desk.SLAPolicy, error) {
	st := a.db
	p := desk.SLAPolicy{Name: pc.Name, Position: pc.Position, Priority: pc.Priority, Category: pc.Category,
		Channel: pc.Channel, Ladder: []desk.EscalationStep{}}
	team := func(name string) (string, error) {
		if name == "" {
			return "", nil
		}
		t, err := st.TeamByName(ctx, name)
		if err != nil {
			return "", fmt.Errorf("team %q: %w", name, err)
		}
		return t.ID, nil
	}
	dur := func(field, s string) (desk.SLADuration, error) {
		var d desk.SLADuration
		if s == "" {
			return 0, nil
		}
		if err := d.UnmarshalText([]byte(s)); err != nil {
			return 0, fmt.Errorf("%s: %w", field, err)
		}
		return d, nil
	}
	var err error
	if p.TeamID, err = team(pc.Team); err != nil {
		return p, err
	}
	cal, err := st.SLACalendarByName(ctx, pc.Calendar)
	if err != nil {
		return p, fmt.Errorf("calendar %q: %w", pc.Calendar, err)
	}
	p.CalendarID = cal.ID
	if p.FirstResponse, err = dur("first_response", pc.FirstResponse); err != nil {
		return p, err
	}
	if p.NextResponse, err = dur("next_response", pc.NextResponse); err != nil {
		return p, err
	}
	if p.Resolution, err = dur("resolution", pc.Resolution); err != nil {
		return p, err
	}
	for i, sc := range pc.Ladder {
		s := desk.EscalationStep{Target: sc.Target, Percent: sc.Percent, Notify: sc.Notify, RaisePriority: sc.RaisePriority, Tag: sc.Tag}
		if s.AfterBreach, err = dur(fmt.Sprintf("ladder step %d after_breach", i+1), sc.AfterBreach); err != nil {
			return p, err
		}
		if strings.TrimSpace(sc.AfterBreach) != "" && s.AfterBreach == 0 && s.Percent == 0 {
			s.Percent = 100 // "0 after the breach" is the breach itself, as the API reads it
		}
		if s.Team, err = team(sc.Team); err != nil {
			return p, fmt.Errorf("ladder step %d: %w", i+1, err)
		}
		p.Ladder = append(p.Ladder, s)
	}
	return p, nil
}
