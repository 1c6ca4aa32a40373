package desk

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// TelegramBotDirectory is the Telegram bots as the admin page manages
// them: those of the configuration file (read-only here) and those an
// admin added, kept in SQL, which every node's channel takes up without
// a restart.
type TelegramBotDirectory interface {
	// TelegramBots lists every bot with its standing (live: this node's
	// channel, SQL and Telegram's getWebhookInfo).
	TelegramBots(ctx context.Context) ([]TelegramBotInfo, error)
	// SaveTelegramBot checks the token with Telegram (getMe) and keeps the
	// bot; an empty token or webhook secret keeps the stored one.
	SaveTelegramBot(ctx context.Context, in TelegramBotInput) (TelegramBotInfo, error)
	// RemoveTelegramBot deletes an admin-added bot.
	RemoveTelegramBot(ctx context.Context, name string) error
	// TestTelegramBot sends text from the bot to a chat now.
	TestTelegramBot(ctx context.Context, name string, chatID int64, text string) error
}

// TelegramBotInput is a bot as the admin page submits it. The token and
// the webhook secret are write-only.
type TelegramBotInput struct {
	Name          string `json:"name"`
	Token         string `json:"token"`
	Mode          string `json:"mode"`
	WebhookSecret string `json:"webhook_secret"`
	Disabled      bool   `json:"disabled"`
}

// TelegramBotInfo is one bot as admins see it: never its token.
type TelegramBotInfo struct {
	Name string `json:"name"`
	// Username is the bot's @username from getMe (admin-added bots).
	Username string `json:"username,omitempty"`
	Mode     string `json:"mode"`
	// Source is "config" (the TOML file; read-only on the desk) or
	// "admin" (stored in SQL from the admin page).
	Source   string            `json:"source"`
	Disabled bool              `json:"disabled,omitempty"`
	Status   TelegramBotStatus `json:"status"`
}

// TelegramBotStatus is how a bot is doing.
type TelegramBotStatus struct {
	// Running: this node's channel has the bot (enabled and loaded).
	Running bool `json:"running"`
	// PollingHere: this node holds the bot's poll lease.
	PollingHere bool `json:"polling_here,omitempty"`
	// Problem is why the bot cannot work now (a refused token, Telegram
	// unreachable, a refused webhook); empty when it works.
	Problem string `json:"problem,omitempty"`
	// LastUpdateAt: polling, when any node last acknowledged an update
	// (SQL); webhook, when this node last handled one.
	LastUpdateAt *time.Time `json:"last_update_at,omitempty"`
	// LastError and LastErrorAt: the last failed Bot API call on this
	// node, kept after the bot recovered.
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	// Webhook is Telegram's getWebhookInfo; WebhookInfoError why it could
	// not be read.
	Webhook          *TelegramWebhook `json:"webhook,omitempty"`
	WebhookInfoError string           `json:"webhook_info_error,omitempty"`
}

// TelegramWebhook is what Telegram says about a bot's updates.
type TelegramWebhook struct {
	URL              string     `json:"url"`
	Pending          int        `json:"pending_update_count"`
	LastErrorAt      *time.Time `json:"last_error_at,omitempty"`
	LastErrorMessage string     `json:"last_error_message,omitempty"`
}

// Telegram bot sources.
const (
	SourceConfig = "config"
	SourceAdmin  = "admin"
)

// maxTestMessageRunes bounds a test message: it proves a chat is
// reachable, it is not a broadcast.
const maxTestMessageRunes = 500

// TelegramBots lists the Telegram bots (admins only).
func (s *Service) TelegramBots(ctx context.Context, a Agent) ([]TelegramBotInfo, error) {
	if !a.Role.AtLeast(RoleAdmin) {
		return nil, Errorf(CodeForbidden, "only admins see the Telegram bots")
	}
	if s.telegramBots == nil {
		return []TelegramBotInfo{}, nil
	}
	list, err := s.telegramBots.TelegramBots(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: telegram bots: %w", err)
	}
	return list, nil
}

// SaveTelegramBot adds or changes an admin's Telegram bot; every node's
// channel takes it up within seconds. The change is audited, never with
// the token.
func (s *Service) SaveTelegramBot(ctx context.Context, a Agent, in TelegramBotInput) (TelegramBotInfo, error) {
	if !a.Role.AtLeast(RoleAdmin) {
		return TelegramBotInfo{}, Errorf(CodeForbidden, "only admins change Telegram bots")
	}
	if s.telegramBots == nil {
		return TelegramBotInfo{}, Errorf(CodeUnavailable, "this desk has no Telegram channel")
	}
	in.Name, in.Token, in.WebhookSecret = strings.TrimSpace(in.Name), strings.TrimSpace(in.Token), strings.TrimSpace(in.WebhookSecret)
	for _, v := range []string{in.Name, in.Token, in.Mode, in.WebhookSecret} {
		if len(v) > MaxPartyValueBytes || !ValidText(v) || strings.ContainsAny(v, "\r\n") {
			return TelegramBotInfo{}, Errorf(CodeInvalid, "Telegram bot fields must be one line of at most %d bytes", MaxPartyValueBytes).
				Say("admintg.err_field", "max", fmt.Sprint(MaxPartyValueBytes))
		}
	}
	info, err := s.telegramBots.SaveTelegramBot(ctx, in)
	if err != nil {
		return TelegramBotInfo{}, err
	}
	detail := in.Mode
	if in.Disabled {
		detail += ", disabled"
	}
	s.auditNow(ctx, AgentActor(a), "telegram_bot.save", in.Name, detail)
	return info, nil
}

// RemoveTelegramBot deletes an admin's Telegram bot; its poller stops on
// every node within seconds.
func (s *Service) RemoveTelegramBot(ctx context.Context, a Agent, name string) error {
	if !a.Role.AtLeast(RoleAdmin) {
		return Errorf(CodeForbidden, "only admins change Telegram bots")
	}
	if s.telegramBots == nil {
		return Errorf(CodeNotFound, "Telegram bot not found")
	}
	if err := s.telegramBots.RemoveTelegramBot(ctx, name); err != nil {
		return err
	}
	s.auditNow(ctx, AgentActor(a), "telegram_bot.remove", name, "")
	return nil
}

// TestTelegramBot sends an admin's test message from a bot to a chat id
// and returns Telegram's refusal as the error; audited.
func (s *Service) TestTelegramBot(ctx context.Context, a Agent, name string, chatID int64, text string) error {
	if !a.Role.AtLeast(RoleAdmin) {
		return Errorf(CodeForbidden, "only admins test Telegram bots")
	}
	if s.telegramBots == nil {
		return Errorf(CodeNotFound, "Telegram bot not found")
	}
	text = strings.TrimSpace(text)
	if chatID == 0 || text == "" || len([]rune(text)) > maxTestMessageRunes || !ValidText(text) {
		return Errorf(CodeInvalid, "a test message needs a chat id and a text of at most %d characters", maxTestMessageRunes).
			Say("admintg.err_test_input", "max", fmt.Sprint(maxTestMessageRunes))
	}
	err := s.telegramBots.TestTelegramBot(ctx, name, chatID, text)
	detail := fmt.Sprintf("chat %d", chatID)
	if err != nil {
		detail += ": failed"
	}
	s.auditNow(ctx, AgentActor(a), "telegram_bot.test", name, detail)
	return err
}
