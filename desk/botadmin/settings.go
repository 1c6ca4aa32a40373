package botadmin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/sla"
)

// Limits of the bot's settings.
const (
	MaxNameRunes     = 40
	MaxGreetingRunes = 500
	maxSiteKeyBytes  = 100
	// DefaultTimezone is the zone of weekly hours given without one.
	DefaultTimezone = "Asia/Shanghai"
)

// Weekdays are the keys of Settings.Hours, in display order.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var weekdayOf = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

var channelPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ListSettings lists every place's stored settings, for admins.
func (s *Service) ListSettings(ctx context.Context, a desk.Agent) ([]Settings, error) {
	if err := requireAdmin(a, "read the bot's settings"); err != nil {
		return nil, err
	}
	list, err := s.store.BotSettingsList(ctx)
	if err != nil {
		return nil, fmt.Errorf("botadmin: settings: %w", err)
	}
	return list, nil
}

// SaveSettings validates and stores one place's settings, for admins.
func (s *Service) SaveSettings(ctx context.Context, a desk.Agent, in Settings) (Settings, error) {
	if err := requireAdmin(a, "change the bot's settings"); err != nil {
		return Settings{}, err
	}
	if err := s.validate(ctx, &in); err != nil {
		return Settings{}, err
	}
	in.UpdatedBy, in.UpdatedAt = a.ID, s.now().UTC()
	if err := s.store.PutBotSettings(ctx, in); err != nil {
		return Settings{}, fmt.Errorf("botadmin: save settings %s/%s: %w", in.Channel, in.SiteKey, err)
	}
	return in, nil
}

// validate checks in and fills its defaults; every refusal names the
// field.
func (s *Service) validate(ctx context.Context, in *Settings) error {
	in.Channel, in.SiteKey = strings.TrimSpace(in.Channel), strings.TrimSpace(in.SiteKey)
	in.Name, in.Timezone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Timezone)
	if !channelPattern.MatchString(in.Channel) {
		return desk.Errorf(desk.CodeInvalid, "channel: %q is not a channel name (webchat, telegram, …)", in.Channel)
	}
	if len(in.SiteKey) > maxSiteKeyBytes || !oneLine(in.SiteKey) {
		return desk.Errorf(desk.CodeInvalid, "site_key: one line of at most %d bytes", maxSiteKeyBytes)
	}
	if in.Mode == "" {
		in.Mode = bot.ModeAlways
	}
	if in.Mode != bot.ModeAlways && in.Mode != bot.ModeOffHours {
		return desk.Errorf(desk.CodeInvalid, "mode: %q: want %s or %s", in.Mode, bot.ModeAlways, bot.ModeOffHours)
	}
	if utf8.RuneCountInString(in.Name) > MaxNameRunes || !oneLine(in.Name) {
		return desk.Errorf(desk.CodeInvalid, "name: one line of at most %d characters", MaxNameRunes)
	}
	greeting := map[string]string{}
	for lang, text := range in.Greeting {
		if !slices.Contains(bot.Languages, lang) {
			return desk.Errorf(desk.CodeInvalid, "greeting: unknown language %q (want %s)", lang, strings.Join(bot.Languages, ", "))
		}
		text = strings.TrimSpace(text)
		if utf8.RuneCountInString(text) > MaxGreetingRunes || !desk.ValidText(text) {
			return desk.Errorf(desk.CodeInvalid, "greeting %s: at most %d characters of text", lang, MaxGreetingRunes)
		}
		if text != "" {
			greeting[lang] = text
		}
	}
	in.Greeting = greeting
	hours := map[string]string{}
	for day, spec := range in.Hours {
		if _, ok := weekdayOf[day]; !ok {
			return desk.Errorf(desk.CodeInvalid, "hours: %q is not a weekday; use %s", day, strings.Join(Weekdays, ", "))
		}
		if spec = strings.TrimSpace(spec); spec == "" {
			continue
		}
		if _, err := sla.ParseHours(spec); err != nil {
			return desk.Errorf(desk.CodeInvalid, "hours of %s: %v", day, err)
		}
		hours[day] = spec
	}
	in.Hours = hours
	if in.Timezone == "" {
		in.Timezone = DefaultTimezone
	}
	if _, err := time.LoadLocation(in.Timezone); err != nil {
		return desk.Errorf(desk.CodeInvalid, "timezone: %q is not an IANA zone such as Asia/Shanghai", in.Timezone)
	}
	if in.CalendarID != "" {
		if _, err := s.calendar(ctx, in.CalendarID); err != nil {
			return err
		}
	}
	if in.Mode == bot.ModeOffHours && in.CalendarID == "" && len(in.Hours) == 0 {
		return desk.Errorf(desk.CodeInvalid, "mode %s needs business hours: name a calendar or give weekly hours", bot.ModeOffHours)
	}
	return nil
}

func oneLine(v string) bool { return desk.ValidText(v) && !strings.ContainsAny(v, "\r\n") }

// calendar is the SLA calendar id, built.
func (s *Service) calendar(ctx context.Context, id string) (*sla.Calendar, error) {
	cals, err := s.desk.SLACalendars(ctx, desk.Actor{})
	if err != nil {
		return nil, fmt.Errorf("botadmin: calendars: %w", err)
	}
	for _, c := range cals {
		if c.ID == id {
			return c.Build()
		}
	}
	return nil, desk.Errorf(desk.CodeInvalid, "calendar_id: calendar %s not found", id)
}

// BotSettings implements bot.Settings: the site's own settings, else the
// channel's (site key ""), else desk.ErrNotFound (the engine's default).
// Off-hours mode is resolved here against the place's own hours, which
// the engine does not know: within them the answer is Enabled false,
// outside them Enabled true, and either way Mode always, so the engine's
// desk-wide OpenHours does not judge the place a second time.
func (s *Service) BotSettings(ctx context.Context, channel, siteKey string) (bot.SiteSettings, error) {
	b, err := s.store.BotSettingsOf(ctx, channel, siteKey)
	if errors.Is(err, desk.ErrNotFound) && siteKey != "" {
		b, err = s.store.BotSettingsOf(ctx, channel, "")
	}
	if err != nil {
		return bot.SiteSettings{}, err
	}
	out := b.SiteSettings
	out.Greeting = maps.Clone(out.Greeting)
	if out.Enabled && out.Mode == bot.ModeOffHours {
		open, err := s.openAt(ctx, b, s.now())
		if err != nil {
			return bot.SiteSettings{}, err
		}
		out.Enabled, out.Mode = !open, bot.ModeAlways
	}
	return out, nil
}

// OpenAt reports whether t is within the place's business hours.
func (s *Service) OpenAt(ctx context.Context, channel, siteKey string, t time.Time) (bool, error) {
	b, err := s.store.BotSettingsOf(ctx, channel, siteKey)
	if err != nil {
		return false, err
	}
	return s.openAt(ctx, b, t)
}

func (s *Service) openAt(ctx context.Context, b Settings, t time.Time) (bool, error) {
	var cal *sla.Calendar
	if b.CalendarID != "" {
		c, err := s.calendar(ctx, b.CalendarID)
		if err == nil {
			cal = c
		} else if desk.CodeOf(err) != desk.CodeInvalid {
			return false, err
		}
		// A calendar deleted since: fall back to the weekly hours.
	}
	if cal == nil {
		var err error
		if cal, err = weeklyCalendar(b); err != nil {
			return false, err
		}
	}
	return within(cal, t), nil
}

// weeklyCalendar is the settings' weekly hours as a calendar without
// holidays. No hours at all: never open, so off-hours mode answers always.
func weeklyCalendar(b Settings) (*sla.Calendar, error) {
	loc, err := time.LoadLocation(b.Timezone)
	if err != nil || b.Timezone == "" {
		loc = time.FixedZone("CST", 8*3600)
	}
	hours := map[time.Weekday][]sla.Interval{}
	for day, spec := range b.Hours {
		ivs, err := sla.ParseHours(spec)
		if err != nil {
			return nil, fmt.Errorf("botadmin: hours of %s: %w", day, err)
		}
		hours[weekdayOf[day]] = ivs
	}
	return &sla.Calendar{Name: "bot", Location: loc, Hours: hours}, nil
}

// within reports whether t falls in one of cal's working intervals.
func within(cal *sla.Calendar, t time.Time) bool {
	t = t.In(cal.Location)
	now := sla.At(t.Hour(), t.Minute())
	for _, iv := range cal.HoursOn(sla.DateOf(t)) {
		if iv.Start <= now && now < iv.End {
			return true
		}
	}
	return false
}
