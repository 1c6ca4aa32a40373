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
// sink. It answers 200 only
// after the update was committed, so Telegram redelivers anything we did
// not store: 401 for a wrong secret, 400 for an unreadable update, 500
// when the desk failed.
func (c *Channel) WebhookHandler(botName string, sink channels.Sink) http.Handler {
	b, ok := c.bot(botName)
	if !ok || b.cfg.Mode != ModeWebhook {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no such webhook", http.StatusNotFound)
		})
	}
	want := sha256.Sum256([]byte(b.cfg.WebhookSecret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := c.log.With("bot", b.cfg.Name, "remote", r.RemoteAddr)
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Hashing first makes the comparison constant-time in the length too.
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
	})
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
	base, err := url.Parse(strings.TrimRight(publicBaseURL, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return fmt.Errorf("telegram: public base URL %q is not an absolute http(s) URL", publicBaseURL)
	}
	var errs []error
	for _, name := range c.order {
		b := c.bots[name]
		if b.cfg.Mode != ModeWebhook {
			continue
		}
		hook := base.String() + WebhookPath(name)
		err := c.call(ctx, b, "setWebhook", setWebhookParams{URL: hook, SecretToken: b.cfg.WebhookSecret, AllowedUpdates: allowedUpdates}, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w (webhook url %s)", err, hook))
			continue
		}
		c.log.Info("telegram: webhook set", "bot", name, "url", hook)
	}
	return errors.Join(errs...)
}
