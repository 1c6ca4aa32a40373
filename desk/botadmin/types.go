// Package botadmin is the desk side of the chatbot (issue 13): the bot's
// settings per site or channel, its flows document with versions, the
// admins' try console, the supervisors' analytics and the ticket page's
// bot panel. It implements the engine's readers (bot.Settings and the
// flows source) over SQL; every write is for admins and is checked here,
// not only by the routes.
package botadmin

import (
	"context"
	"time"

	"huiliu/bot"
)

// Settings is how the bot behaves in one place: a webchat site key, a
// Telegram bot name, or a whole channel (SiteKey ""). Business hours, for
// bot.ModeOffHours, come from the SLA calendar CalendarID when one is
// named, else from Hours ({"mon": "09:00-18:00", …}) in Timezone.
type Settings struct {
	Channel string `json:"channel"`
	SiteKey string `json:"site_key"`
	bot.SiteSettings
	CalendarID string            `json:"calendar_id"`
	Hours      map[string]string `json:"hours"`
	Timezone   string            `json:"timezone"`
	UpdatedBy  string            `json:"updated_by"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// FlowVersion is one saved flows document. Version 0 is the built-in
// document (bot.DefaultFlowsTOML), in force until an admin saves one.
type FlowVersion struct {
	Version int64  `json:"version"`
	Source  string `json:"source,omitempty"`
	// AuthorID is the admin who saved it ("" for the built-in one).
	AuthorID string `json:"author_id"`
	Note     string `json:"note"`
	// RestoredFrom is the version a restore copied (0: an edit).
	RestoredFrom int64     `json:"restored_from"`
	CreatedAt    time.Time `json:"created_at"`
}

// DecisionRow is what the analytics read of one decision.
type DecisionRow struct {
	TicketID  string
	Channel   string
	Kind      bot.Kind
	Detail    bot.Detail
	Lang      string
	Text      string
	CreatedAt time.Time
}

// Store is what the bot's administration keeps in SQL; *store.DB
// implements it.
type Store interface {
	// BotSettingsList lists every stored place by channel and site key.
	BotSettingsList(ctx context.Context) ([]Settings, error)
	// BotSettingsOf is one place's settings (desk.ErrNotFound: none).
	BotSettingsOf(ctx context.Context, channel, siteKey string) (Settings, error)
	PutBotSettings(ctx context.Context, s Settings) error

	// BotFlowVersions lists saved versions newest first, without source.
	BotFlowVersions(ctx context.Context, limit int) ([]FlowVersion, error)
	// BotFlowVersion is one saved version with its source
	// (desk.ErrNotFound: none).
	BotFlowVersion(ctx context.Context, version int64) (FlowVersion, error)
	// LatestBotFlowVersion is the highest saved version number (0: none).
	LatestBotFlowVersion(ctx context.Context) (int64, error)
	// InsertBotFlowVersion stores v as version base+1 if base is still
	// the latest; otherwise desk.ErrConflict and nothing is stored.
	InsertBotFlowVersion(ctx context.Context, v FlowVersion, base int64) (FlowVersion, error)

	// EachBotDecision calls fn for every decision created in [since,
	// until), oldest first, of channel ("" any).
	EachBotDecision(ctx context.Context, since, until time.Time, channel string, fn func(DecisionRow) error) error
	// BotTicketStatuses gives the status of each ticket with a decision
	// created in [since, until) of channel ("" any).
	BotTicketStatuses(ctx context.Context, since, until time.Time, channel string) (map[string]string, error)
	// BotDecisions lists one ticket's (or a filter's) decisions.
	BotDecisions(ctx context.Context, f bot.DecisionFilter) ([]bot.Decision, error)
}
