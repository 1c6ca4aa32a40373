package telegram

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// adminTimeout bounds each call an admin's page makes (token check,
// webhook info, test message): they wait on Telegram while a person waits.
const adminTimeout = 15 * time.Second

// Identity is what getMe says about a bot.
type Identity struct {
	ID        int64  `json:"id"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
}

// Check asks Telegram who cfg's token belongs to (getMe), so a mistyped
// or revoked token is refused before it is saved. cfg is checked first;
// it need not be one of the channel's bots.
func (c *Channel) Check(ctx context.Context, cfg Config) (Identity, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Identity{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	var me Identity
	// A bot of its own: the check must not mark a running bot's health.
	err := c.call(ctx, &bot{cfg: cfg}, "getMe", struct{}{}, &me)
	return me, err
}

// WebhookInfo is Telegram's getWebhookInfo about a bot: where updates go
// and what went wrong delivering them (webhook mode), and how many wait
// to be fetched (either mode).
type WebhookInfo struct {
	URL                string    `json:"url"`
	PendingUpdateCount int       `json:"pending_update_count"`
	LastErrorAt        time.Time `json:"last_error_at,omitzero"`
	LastErrorMessage   string    `json:"last_error_message,omitempty"`
}

// WebhookInfo asks Telegram about bot's updates (getWebhookInfo).
func (c *Channel) WebhookInfo(ctx context.Context, botName string) (WebhookInfo, error) {
	b, ok := c.bot(botName)
	if !ok {
		return WebhookInfo{}, fmt.Errorf("telegram: bot %q is not configured", botName)
	}
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	var raw struct {
		URL                string `json:"url"`
		PendingUpdateCount int    `json:"pending_update_count"`
		LastErrorDate      int64  `json:"last_error_date"`
		LastErrorMessage   string `json:"last_error_message"`
	}
	if err := c.call(ctx, b, "getWebhookInfo", struct{}{}, &raw); err != nil {
		return WebhookInfo{}, err
	}
	info := WebhookInfo{URL: raw.URL, PendingUpdateCount: raw.PendingUpdateCount, LastErrorMessage: raw.LastErrorMessage}
	if raw.LastErrorDate > 0 {
		info.LastErrorAt = time.Unix(raw.LastErrorDate, 0)
	}
	return info, nil
}

// SendTest sends text to chatID from bot, now and once (no outbox): an
// admin checking that the bot can reach a chat wants Telegram's answer,
// e.g. "Bad Request: chat not found", not a retry later.
func (c *Channel) SendTest(ctx context.Context, botName string, chatID int64, text string) error {
	b, ok := c.bot(botName)
	if !ok {
		return fmt.Errorf("telegram: bot %q is not configured", botName)
	}
	if chatID == 0 || strings.TrimSpace(text) == "" {
		return fmt.Errorf("telegram %s: a test message needs a chat id and a text", botName)
	}
	if err := c.take(ctx, b); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, adminTimeout)
	defer cancel()
	_, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chatID, Text: truncateUnits(text, maxMessageUnits)})
	return err
}
