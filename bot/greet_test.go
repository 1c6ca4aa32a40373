package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/desk"
)

// siteSettings answers per site key; unknown sites use the default.
type siteSettings map[string]bot.SiteSettings

func (s siteSettings) BotSettings(_ context.Context, _, key string) (bot.SiteSettings, error) {
	if v, ok := s[key]; ok {
		return v, nil
	}
	return bot.SiteSettings{}, desk.ErrNotFound
}

// The opening greeting: once when a visitor's first message opens a
// conversation (before the answer), never on a later message, never a
// second time when another node hears the same message, not where the
// place turned it off, not when an agent took the ticket before the turn
// ran, and not during office hours on an off-hours place.
func TestOpeningGreeting(t *testing.T) {
	t.Parallel()
	var officeHours atomic.Bool
	r := newRig(t, func(o *bot.Options) {
		o.Settings = siteSettings{
			"quiet": {Enabled: true, Name: "小汇", SkipOpenGreeting: true},
			"shop":  {Enabled: true, Name: "小汇", Greeting: map[string]string{"zh-CN": "您好，我是小汇（机器人）。"}},
			"night": {Enabled: true, Name: "小汇", Mode: bot.ModeOffHours},
		}
		o.OpenHours = func(time.Time) bool { return officeHours.Load() }
		// One queue: a turn that says nothing is known to be done once a
		// later one has spoken.
		o.Workers = 1
	})
	other := newEngineOn(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.eng.Run(ctx)
	go other.Run(ctx)

	type sent struct{ ticket, message string }
	// queue hands message m of ticket id to eng as the desk's observer
	// would; opened is what the commit reported.
	queue := func(eng *bot.Engine, tk desk.Ticket, id, text string, opened bool) {
		t.Helper()
		m := desk.Message{ID: id, TicketID: tk.ID, Direction: desk.DirIn, Text: text, Channel: "webchat"}
		if err := eng.AfterCommit(ctx, desk.Change{Kind: desk.ChangeIngested, Ticket: tk, Message: &m, NewTicket: opened}); err != nil {
			t.Fatal(err)
		}
	}
	ingest := func(site, visitor, id, text string) (sent, desk.Ticket) {
		t.Helper()
		rc, err := r.svc.Ingest(ctx, channels.Inbound{Channel: "webchat", ExternalID: id, ThreadKey: site,
			From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: text})
		if err != nil {
			t.Fatal(err)
		}
		tk, err := r.svc.BotTicket(ctx, rc.TicketID)
		if err != nil {
			t.Fatal(err)
		}
		return sent{rc.TicketID, rc.MessageID}, tk
	}
	opened := map[string]bool{}
	send := func(eng *bot.Engine, site, visitor, id, text string) sent {
		t.Helper()
		s, tk := ingest(site, visitor, id, text)
		queue(eng, tk, s.message, text, !opened[s.ticket])
		opened[s.ticket] = true
		return s
	}
	decided := func(ticket string) []string {
		ds, err := r.db.BotDecisions(ctx, bot.DecisionFilter{TicketID: ticket})
		if err != nil {
			t.Fatal(err)
		}
		return kinds(ds)
	}
	botSaid := func(ticket string) []string {
		tl, err := r.svc.CustomerTimeline(ctx, ticket, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range tl {
			if m.From == desk.AuthorBot {
				out = append(out, m.Text)
			}
		}
		return out
	}
	waitDecided := func(ticket string, n int) []string {
		t.Helper()
		waitFor(t, "the bot's turn", func() bool { return len(decided(ticket)) >= n })
		return decided(ticket)
	}
	sentinels := 0
	// settle waits until every turn queued on r.eng before it has run.
	settle := func() {
		t.Helper()
		sentinels++
		s := send(r.eng, "quiet", fmt.Sprintf("v-sentinel-%d", sentinels), fmt.Sprintf("s%d", sentinels), "有哪些还款方式")
		waitDecided(s.ticket, 1)
	}

	// A new conversation: the site's greeting, then the answer.
	a := send(r.eng, "shop", "v-open", "o1", "有哪些还款方式")
	if got := waitDecided(a.ticket, 2); !slices.Equal(got, []string{"greet", "answer"}) {
		t.Fatalf("opening turn decided %v", got)
	}
	if out := botSaid(a.ticket); len(out) != 2 || out[0] != "您好，我是小汇（机器人）。" || !strings.Contains(out[1], "/help/a/repay-methods") {
		t.Fatalf("the customer sees %q", out)
	}
	// The same message heard again on another node (a reconnect, a
	// redelivery): nothing. The next message, a hello: greeted as a
	// hello, not as an opening.
	queue(other, r.ticketOf(t, a.ticket), a.message, "有哪些还款方式", true)
	send(other, "shop", "v-open", "o2", "你好")
	if got := waitDecided(a.ticket, 3); !slices.Equal(got, []string{"greet", "answer", "greet"}) || len(botSaid(a.ticket)) != 3 {
		t.Fatalf("after a redelivery and a hello: %v, the bot said %q", got, botSaid(a.ticket))
	}
	// "你好" as the very first message is greeted once, not twice.
	c := send(r.eng, "shop", "v-hello", "h1", "你好")
	settle()
	if got := decided(c.ticket); !slices.Equal(got, []string{"greet"}) || len(botSaid(c.ticket)) != 1 {
		t.Fatalf("a hello opening: %v, the bot said %q", got, botSaid(c.ticket))
	}
	// A place that turned it off answers without greeting.
	q := send(r.eng, "quiet", "v-quiet", "q1", "有哪些还款方式")
	if got := waitDecided(q.ticket, 1); !slices.Equal(got, []string{"answer"}) {
		t.Fatalf("greeting turned off: %v", got)
	}
	// An agent took the conversation before the bot's turn ran: silence.
	g, queued := ingest("shop", "v-taken", "g1", "有哪些还款方式")
	if _, err := r.svc.HandOff(ctx, g.ticket, "agent picked it"); err != nil {
		t.Fatal(err)
	}
	queue(r.eng, queued, g.message, "有哪些还款方式", true)
	// Office hours on an off-hours place: the desk has it, no greeting.
	officeHours.Store(true)
	n := send(r.eng, "night", "v-day", "n1", "有哪些还款方式")
	settle()
	for _, tk := range []string{g.ticket, n.ticket} {
		if got := decided(tk); len(got) != 0 || len(botSaid(tk)) != 0 {
			t.Fatalf("ticket %s: the bot spoke (%v, %q)", tk, got, botSaid(tk))
		}
	}
}

func (r *rig) ticketOf(t *testing.T, id string) desk.Ticket {
	t.Helper()
	tk, err := r.svc.BotTicket(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}
