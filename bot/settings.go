package bot

import "context"

// Modes of SiteSettings.Mode.
const (
	ModeAlways   = "always"    // the bot takes every new conversation
	ModeOffHours = "off_hours" // only outside the desk's business hours
)

// SiteSettings is how the bot behaves on one site (a webchat site key) or
// one channel (Telegram bot name): botdesk stores them, the engine reads
// them through Settings, and the [bot] configuration is the default.
type SiteSettings struct {
	Enabled bool   `json:"enabled"`
	Mode    string `json:"mode"` // ModeAlways or ModeOffHours
	// Name is shown as the bot's name (always labelled as a bot).
	Name string `json:"name"`
	// Greeting per language (zh-CN, zh-TW, en); an empty one uses the
	// catalog's bot.greeting.
	Greeting map[string]string `json:"greeting"`
	// SkipOpenGreeting turns off the greeting the bot sends when a
	// visitor's first message opens a conversation (on by default).
	SkipOpenGreeting bool `json:"skip_open_greeting"`
}

// Settings reads stored per-site settings. A site without stored settings
// answers desk.ErrNotFound and the engine uses its configured default.
type Settings interface {
	BotSettings(ctx context.Context, channel, siteKey string) (SiteSettings, error)
}
