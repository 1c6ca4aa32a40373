package telegram

import (
	"errors"
	"strings"
	"testing"
)

// A token the Bot API refuses shows as the bot's problem (for /readyz and
// the admin pages), not only as log lines; a working bot has none.
func TestStatusNamesARefusedToken(t *testing.T) {
	f := newFixture(t)
	bad := f.channel(t, func(c *Config, _ *Deps) { c.Token = "123:wrong" })
	stopBad := f.run(t, bad)
	waitFor(t, "the refused token to show", func() bool {
		st := bad.Status()
		return len(st) == 1 && st[0].Problem != nil
	})
	st := bad.Status()[0]
	if st.Name != "main" || st.Errors == 0 || !strings.Contains(st.Problem.Error(), "refuses the token") || strings.Contains(st.Problem.Error(), "wrong") {
		t.Fatalf("status = %+v (the token itself must not show)", st)
	}

	stopBad() // it holds the poll lease of "main"

	good := f.channel(t, nil)
	stop := f.run(t, good)
	polls := f.fake.Calls("getUpdates")
	waitFor(t, "a poll", func() bool { return f.fake.Calls("getUpdates") > polls })
	stop()
	if st := good.Status(); len(st) != 1 || st[0].Problem != nil {
		t.Fatalf("working bot: %+v", st)
	}
}

func TestHealthNotesWhatStopsTheBot(t *testing.T) {
	var h health
	h.note("sendMessage", &APIError{Bot: "main", Method: "sendMessage", Code: 403, Description: "Forbidden: bot was blocked by the user"})
	h.note("getUpdates", &APIError{Bot: "main", Method: "getUpdates", Code: 409, Description: "Conflict"})
	if h.problem != nil || h.errors != 2 {
		t.Fatalf("a blocked user and a poll hand-over are no problem of the bot: %v (%d errors)", h.problem, h.errors)
	}
	h.note("setWebhook", &APIError{Bot: "main", Method: "setWebhook", Code: 400, Description: "Bad Request: bad webhook: HTTPS url must be provided"})
	h.note("sendMessage", nil)
	if h.problem == nil || !strings.Contains(h.problem.Error(), "HTTPS url") {
		t.Fatalf("a failed setWebhook must stay until setWebhook succeeds: %v", h.problem)
	}
	h.note("setWebhook", nil)
	if h.problem != nil {
		t.Fatalf("after setWebhook succeeded: %v", h.problem)
	}
	h.note("getUpdates", errors.New("dial tcp: connection refused"))
	h.note("sendMessage", nil)
	if h.problem != nil {
		t.Fatalf("any success shows Telegram is reachable again: %v", h.problem)
	}
}
