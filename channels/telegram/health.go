package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// health is what a bot's Bot API calls say about it, for /readyz and the
// metrics: a wrong token otherwise shows only as a repeating log line.
type health struct {
	mu     sync.Mutex
	errors uint64
	// problem is why the bot cannot work: its token refused, Telegram
	// unreachable, or a call that sets the bot up (getUpdates, setWebhook)
	// failing. problemMethod is set for the last kind, which only a success
	// of that method clears.
	problem       error
	problemMethod string
	// lastError is the last failed call's error, kept after the bot
	// recovered so an admin can see what went wrong and when;
	// lastUpdate is when an update was last handled on this node.
	lastError   string
	lastErrorAt time.Time
	lastUpdate  time.Time
	polling     bool
}

// setPolling records whether this node is polling the bot now.
func (h *health) setPolling(on bool) {
	h.mu.Lock()
	h.polling = on
	h.mu.Unlock()
}

// updated records an update handled at t.
func (h *health) updated(t time.Time) {
	h.mu.Lock()
	h.lastUpdate = t
	h.mu.Unlock()
}

// setupMethods keep the bot receiving; their failures are the bot's
// problem, except the transient 409 (another poller during a hand-over)
// and 429.
var setupMethods = map[string]bool{"getUpdates": true, "setWebhook": true, "deleteWebhook": true, "getMe": true}

// note records the outcome of one Bot API call. Refusals about one chat or
// message (a blocked user, a rate limit) count as errors but are no
// problem of the bot.
func (h *health) note(method string, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		if h.problemMethod == "" || h.problemMethod == method {
			h.problem, h.problemMethod = nil, ""
		}
		return
	}
	h.errors++
	h.lastError, h.lastErrorAt = err.Error(), time.Now()
	var api *APIError
	switch {
	case !errors.As(err, &api):
		h.problem, h.problemMethod = err, "" // transport: Telegram or the proxy to it is unreachable
	case api.Code == http.StatusUnauthorized || api.Code == http.StatusNotFound:
		// The Bot API answers 404 to a token of the wrong form and 401 to a
		// revoked one.
		h.problem = fmt.Errorf("telegram bot %s: the Bot API refuses the token (%d %s); check it with @BotFather", api.Bot, api.Code, api.Description)
		h.problemMethod = ""
	case setupMethods[method] && api.Code != http.StatusConflict && api.Code != http.StatusTooManyRequests:
		h.problem, h.problemMethod = err, method
	}
}

// BotStatus is one bot's standing.
type BotStatus struct {
	Name string
	// Errors counts failed Bot API calls since the start.
	Errors uint64
	// Problem is why the bot cannot work now; nil when its last calls went
	// through.
	Problem error
	// Mode is the bot's receiving mode (ModePolling or ModeWebhook).
	Mode string
	// Polling: this node holds the bot's poll lease and is polling it.
	Polling bool
	// LastUpdate is when this node last handled an update of the bot;
	// LastError and LastErrorAt are the last failed Bot API call on this
	// node, kept after it recovered. Zero when none.
	LastUpdate  time.Time
	LastError   string
	LastErrorAt time.Time
}

// Status reports every bot in configuration order.
func (c *Channel) Status() []BotStatus {
	set := c.current()
	out := make([]BotStatus, 0, len(set.order))
	for _, name := range set.order {
		b := set.byName[name]
		h := &b.health
		h.mu.Lock()
		out = append(out, BotStatus{Name: name, Errors: h.errors, Problem: h.problem, Mode: b.cfg.Mode, Polling: h.polling,
			LastUpdate: h.lastUpdate, LastError: h.lastError, LastErrorAt: h.lastErrorAt})
		h.mu.Unlock()
	}
	return out
}
