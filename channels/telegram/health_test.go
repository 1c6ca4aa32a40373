package telegram

import (
	"strings"
	"testing"
)

// A token the Bot API refuses shows as the bot's problem (for /readyz and
// the admin pages), not only as log lines; a working bot has none.
func TestStatusNamesARefusedToken(t *testing.T) {
	f := newFixture(t)
	bad := f.channel(t, func(c *Config, _ *Deps) { c.Token = "123:wrong" })
	stopBad := run(t, bad)
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
	stop := run(t, good)
	polls := f.fake.Calls("getUpdates")
	waitFor(t, "a poll", func() bool { return f.fake.Calls("getUpdates") > polls })
	stop()
	if st := good.Status(); len(st) != 1 || st[0].Problem != nil {
		t.Fatalf("working bot: %+v", st)
	}
}
