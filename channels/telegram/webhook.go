package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"huiliu/channels"
)

const (
	// maxWebhookBody is far above any real update (4096 characters of
	// text plus entities) and keeps a flood of junk cheap.
	maxWebhookBody = 1 << 20
	secretHeader   = "X-Telegram-Bot-Api-Secret-Token"
)

// WebhookPath is where a bot's webhook is served: /telegram/<bot>/webhook.
func WebhookPath(bot string) string { return "/telegram/" + bot + "/webhook" }

// WebhookHandler serves Telegram's POSTs for bot, storing updates in
// sink. It answers 200 only after the update was committed, so Telegram
// redelivers anything we did not store: 401 for a wrong secret, 400 for an
// unreadable update, 500 when the desk failed, 404 while the bot is not
// (or no longer) a webhook bot. The bot is looked up on every request, so
// Replace takes effect at once.
func (c *Channel) WebhookHandler(botName string, sink channels.Sink) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.serveWebhook(w, r, botName, sink)
	})
}

// Webhooks serves every bot's webhook under one route, reading the bot
// from the path (/telegram/<bot>/webhook), so bots added by Replace are
// served without a new route.
func (c *Channel) Webhooks(sink channels.Sink) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, _ := strings.CutPrefix(r.URL.Path, "/telegram/")
		name, ok := strings.CutSuffix(rest, "/webhook")
		if !ok || strings.Contains(name, "/") {
			http.Error(w, "no such webhook", http.StatusNotFound)
			return
		}
		c.serveWebhook(w, r, name, sink)
	})
}

func (c *Channel) serveWebhook(w http.ResponseWriter, r *http.Request, botName string, sink channels.Sink) {
	b, ok := c.bot(botName)
	if !ok || b.cfg.Mode != ModeWebhook {
		http.Error(w, "no such webhook", http.StatusNotFound)
		return
	}
	log := c.log.With("bot", b.cfg.Name, "remote", r.RemoteAddr)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Hashing both makes the comparison constant-time in the length too.
	want := sha256.Sum256([]byte(b.cfg.WebhookSecret))
	got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		log.Warn("telegram: webhook call with a wrong or missing secret")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			log.Warn("telegram: webhook body too large", "limit", maxWebhookBody)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if _, err := c.handleUpdate(r.Context(), b, sink, body); err != nil {
		if errors.Is(err, errUndecodable) {
			http.Error(w, "malformed update", http.StatusBadRequest)
			return
		}
		log.Error("telegram: webhook update not stored; Telegram will redeliver", "err", err)
		http.Error(w, "not stored, try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

type setWebhookParams struct {
	URL            string   `json:"url"`
	SecretToken    string   `json:"secret_token"`
	AllowedUpdates []string `json:"allowed_updates"`
	// Keep pending updates: they are customers' messages not yet stored.
	DropPendingUpdates bool `json:"drop_pending_updates"`
}

// SetWebhooks registers <publicBaseURL>/telegram/<bot>/webhook with its
// secret for every bot in webhook mode.
func (c *Channel) SetWebhooks(ctx context.Context, publicBaseURL string) error {
	if _, err := webhookBase(publicBaseURL); err != nil {
		return err
	}
	set := c.current()
	var errs []error
	for _, name := range set.order {
		b := set.byName[name]
		if b.cfg.Mode != ModeWebhook {
			continue
		}
		if err := c.setWebhook(ctx, b, publicBaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// webhookBase checks the desk's public base URL.
func webhookBase(publicBaseURL string) (string, error) {
	base, err := url.Parse(strings.TrimRight(publicBaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return "", fmt.Errorf("telegram: public base URL %q is not an absolute http(s) URL", publicBaseURL)
	}
	return base.String(), nil
}

// setWebhook registers one bot's webhook.
func (c *Channel) setWebhook(ctx context.Context, b *bot, publicBaseURL string) error {
	base, err := webhookBase(publicBaseURL)
	if err != nil {
		return err
	}
	hook := base + WebhookPath(b.cfg.Name)
	if err := c.call(ctx, b, "setWebhook", setWebhookParams{URL: hook, SecretToken: b.cfg.WebhookSecret, AllowedUpdates: allowedUpdates}, nil); err != nil {
		return fmt.Errorf("%w (webhook url %s)", err, hook)
	}
	c.log.Info("telegram: webhook set", "bot", b.cfg.Name, "url", hook)
	return nil
}
