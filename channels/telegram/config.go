// Package telegram is the Telegram channel: one adapter for any number of
// bots, receiving by long polling (our own cancellable getUpdates loop) or
// by webhook, and sending plain-text replies split to Telegram's limits.
// Every inbound update is acknowledged to Telegram (offset or HTTP 200)
// only after the sink committed it.
package telegram

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Receiving modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Defaults and bounds of a bot's configuration.
const (
	DefaultPollTimeout = 25 * time.Second
	maxPollTimeout     = 50 * time.Second
	minLinkSecretBytes = 16

	// DefaultMaxFileBytes bounds one downloaded photo or document.
	DefaultMaxFileBytes = 10 << 20
	minMaxFileBytes     = 1 << 10
	// maxMaxFileBytes is Telegram's own cap on what a bot may download
	// (getFile refuses bigger files), so a higher limit would be a lie.
	maxMaxFileBytes = 20 << 20
)

var (
	botNameRE       = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	tokenRE         = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	webhookSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Config is one bot.
type Config struct {
	// Name is the short id used in thread keys and webhook URLs.
	Name  string
	Token string
	// Mode is ModePolling (the default) or ModeWebhook.
	Mode string
	// WebhookSecret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token;
	// required in webhook mode.
	WebhookSecret string
	// AllowGroups lets group chats in; otherwise the bot asks the group,
	// once, to write privately.
	AllowGroups bool
	// APIEndpoint is a fmt pattern taking the token and the method.
	APIEndpoint string
	// FileEndpoint is a fmt pattern taking the token and a getFile
	// file_path; the default is Telegram's.
	FileEndpoint string
	// MaxFileBytes bounds each downloaded attachment (default 10 MiB,
	// 1 KiB to 20 MiB); bigger files are stored as a note instead.
	MaxFileBytes int64
	// LinkSecret is the HMAC key of /start deep links; empty disables them.
	LinkSecret  string
	PollTimeout time.Duration
}

// withDefaults fills the optional fields.
func (c Config) withDefaults() Config {
	if c.Mode == "" {
		c.Mode = ModePolling
	}
	if c.APIEndpoint == "" {
		c.APIEndpoint = tgbotapi.APIEndpoint
	}
	if c.FileEndpoint == "" {
		c.FileEndpoint = tgbotapi.FileEndpoint
	}
	if c.MaxFileBytes == 0 {
		c.MaxFileBytes = DefaultMaxFileBytes
	}
	if c.PollTimeout == 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	return c
}

// Validate reports the first problem of the configuration, defaults
// applied. Errors name the bot, never the token.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("telegram bot %q: "+format, append([]any{c.Name}, args...)...))
	}
	if !botNameRE.MatchString(c.Name) {
		bad("name must be 1-32 characters of a-z, 0-9, _ and -")
	}
	if !tokenRE.MatchString(c.Token) {
		// The token itself is not quoted: it is a credential even when malformed.
		bad("token must look like 123456:ABC-def (digits, a colon, then letters, digits, _ or -)")
	}
	switch c.Mode {
	case ModePolling:
	case ModeWebhook:
		if !webhookSecretRE.MatchString(c.WebhookSecret) {
			bad("webhook mode needs a webhook secret of 1-256 characters A-Z, a-z, 0-9, _ and -")
		}
	default:
		bad("mode %q is not %q or %q", c.Mode, ModePolling, ModeWebhook)
	}
	if strings.Count(c.APIEndpoint, "%s") != 2 || strings.Count(c.APIEndpoint, "%") != 2 {
		bad("api endpoint must be a pattern with two %%s (token, method), like %q", tgbotapi.APIEndpoint)
	} else if !strings.HasPrefix(c.APIEndpoint, "https://") && !strings.HasPrefix(c.APIEndpoint, "http://") {
		bad("api endpoint must be an http(s) URL pattern")
	}
	if strings.Count(c.FileEndpoint, "%s") != 2 || strings.Count(c.FileEndpoint, "%") != 2 {
		bad("file endpoint must be a pattern with two %%s (token, file path), like %q", tgbotapi.FileEndpoint)
	} else if !strings.HasPrefix(c.FileEndpoint, "https://") && !strings.HasPrefix(c.FileEndpoint, "http://") {
		bad("file endpoint must be an http(s) URL pattern")
	}
	if c.MaxFileBytes < minMaxFileBytes || c.MaxFileBytes > maxMaxFileBytes {
		bad("max file bytes %d is not between %d (1 KiB) and %d (20 MiB, Telegram's download cap)", c.MaxFileBytes, minMaxFileBytes, maxMaxFileBytes)
	}
	if c.LinkSecret != "" && len(c.LinkSecret) < minLinkSecretBytes {
		bad("link secret must be at least %d bytes (or empty to disable deep links)", minLinkSecretBytes)
	}
	if c.PollTimeout < time.Second || c.PollTimeout > maxPollTimeout {
		bad("poll timeout %v is not between 1s and %v", c.PollTimeout, maxPollTimeout)
	}
	return errors.Join(errs...)
}

// String masks the secrets so a Config can be printed or logged safely.
func (c Config) String() string {
	return fmt.Sprintf("telegram.Config{Name:%q Mode:%q Token:%s WebhookSecret:%s LinkSecret:%s AllowGroups:%t APIEndpoint:%q FileEndpoint:%q MaxFileBytes:%d PollTimeout:%v}",
		c.Name, c.Mode, mask(c.Token), mask(c.WebhookSecret), mask(c.LinkSecret), c.AllowGroups, c.APIEndpoint, c.FileEndpoint, c.MaxFileBytes, c.PollTimeout)
}

// GoString keeps %#v from printing the secrets too.
func (c Config) GoString() string { return c.String() }

// LogValue masks the secrets in structured logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", c.Name),
		slog.String("mode", c.Mode),
		slog.String("token", mask(c.Token)),
		slog.String("webhook_secret", mask(c.WebhookSecret)),
		slog.String("link_secret", mask(c.LinkSecret)),
		slog.Bool("allow_groups", c.AllowGroups),
		slog.String("api_endpoint", c.APIEndpoint),
		slog.String("file_endpoint", c.FileEndpoint),
		slog.Int64("max_file_bytes", c.MaxFileBytes),
		slog.Duration("poll_timeout", c.PollTimeout),
	)
}

func mask(secret string) string {
	if secret == "" {
		return `""`
	}
	return "***"
}
