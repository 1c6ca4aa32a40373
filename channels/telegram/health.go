package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
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
}

// Status reports every bot in configuration order.
func (c *Channel) Status() []BotStatus {
	out := make([]BotStatus, 0, len(c.order))
	for _, name := range c.order {
		h := &c.bots[name].health
		h.mu.Lock()
		out = append(out, BotStatus{Name: name, Errors: h.errors, Problem: h.problem})
		h.mu.Unlock()
	}
	return out
}
