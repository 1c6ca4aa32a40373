package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"huiliu/desk"
)

// AfterCommit queues a turn for a customer's message on a ticket the bot
// has (status bot, a bot channel). It never blocks the commit's caller.
func (e *Engine) AfterCommit(ctx context.Context, c desk.Change) error {
	if c.Kind != desk.ChangeIngested || c.Message == nil || c.Ticket.Status != desk.StatusBot ||
		c.Message.Direction != desk.DirIn || c.Ticket.Channel == TryChannel {
		return nil
	}
	if !slices.Contains(e.o.Channels, c.Ticket.Channel) {
		return nil
	}
	job := turnJob{ticket: c.Ticket, msg: *c.Message, opened: c.NewTicket}
	h := fnv.New32a()
	h.Write([]byte(c.Ticket.ID))
	q := e.queues[int(h.Sum32())%len(e.queues)]
	select {
	case q <- job:
		return nil
	default:
		// Overloaded: a person takes it rather than nobody.
		_, err := e.o.Desk.HandOff(context.WithoutCancel(ctx), c.Ticket.ID, "bot busy")
		return err
	}
}

// Run works the queues until ctx ends.
func (e *Engine) Run(ctx context.Context) error {
	done := make(chan struct{})
	for _, q := range e.queues {
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-q:
					if _, _, err := e.process(context.WithoutCancel(ctx), j.ticket, j.msg, j.opened); err != nil {
						e.o.Log.Error("bot: turn failed", "ticket", j.ticket.ID, "message", j.msg.ID, "err", err)
					}
				}
			}
		}()
	}
	for range e.queues {
		<-done
	}
	return nil
}

// process runs the turn for customer message m, at most once per message
// across nodes (the claim in bot_turns), and commits it. opened: m opened
// the conversation (its ticket is new), so the turn may greet first.
func (e *Engine) process(ctx context.Context, t desk.Ticket, m desk.Message, opened bool) (Reply, []Decision, error) {
	ok, err := e.o.State.ClaimBotTurn(ctx, m.ID, t.ID, e.o.Now())
	if err != nil || !ok {
		return Reply{TicketID: t.ID, Silent: true}, nil, err
	}
	// The queued ticket is as the customer's commit left it; an agent may
	// have taken it since, and then the bot says nothing at all.
	if t, err = e.o.Desk.BotTicket(ctx, t.ID); err != nil {
		return Reply{}, nil, err
	}
	if t.Status != desk.StatusBot || t.AssigneeID != "" {
		return Reply{TicketID: t.ID, Silent: true}, nil, nil
	}
	set := e.settings(ctx, t)
	if !set.Enabled || (set.Mode == ModeOffHours && e.open()) {
		// The bot is off here (or it is office hours on an off-hours
		// site): the conversation goes straight to the desk.
		_, err := e.o.Desk.HandOff(ctx, t.ID, "bot off")
		if err != nil && !errors.Is(err, desk.ErrConflict) {
			return Reply{}, nil, err
		}
		return Reply{TicketID: t.ID, Silent: true}, nil, nil
	}
	st, err := e.loadState(ctx, t.ID)
	if err != nil {
		return Reply{}, nil, err
	}
	flows := DefaultFlows()
	if e.o.Flows != nil {
		if flows, err = e.o.Flows.BotFlows(ctx); err != nil {
			e.o.Log.Warn("bot: stored flows unreadable, using the built-in ones", "err", err)
			flows = DefaultFlows()
		}
	}
	tn := &turn{t: t, msg: m, st: &st, flows: flows, name: set.Name}
	tn.lang = language(m.Text, st.Lang)
	st.Lang = tn.lang
	if opened && !st.Greeted && !set.SkipOpenGreeting {
		// Once per conversation: the message opening it is claimed once,
		// and the state and the greeting's idempotency key say so again.
		st.Greeted = true
		tn.greeting = greetingText(set, tn.lang)
		tn.decide(KindGreet, Detail{})
	}
	if err := e.respond(ctx, tn); err != nil {
		return Reply{}, nil, err
	}
	return e.commit(ctx, tn)
}

// commit posts the reply, files the task, hands off, and records the
// decisions and the state.
func (e *Engine) commit(ctx context.Context, tn *turn) (Reply, []Decision, error) {
	r := Reply{TicketID: tn.t.ID}
	actor := e.actor(tn)
	if tn.greeting != "" {
		if _, _, err := e.o.Desk.Post(ctx, actor, desk.PostRequest{TicketID: tn.t.ID, Kind: desk.KindReply, Text: tn.greeting,
			IdempotencyKey: "bot-greet:" + tn.t.ID}); err != nil {
			return r, nil, fmt.Errorf("bot: greeting on %s: %w", tn.t.ID, err)
		}
		r.Greeting = tn.greeting
	}
	if tn.task != nil {
		if _, err := e.o.Desk.FileBotTask(ctx, actor, tn.t.ID, *tn.task); err != nil {
			return r, nil, err
		}
	}
	if tn.note != "" {
		if _, _, err := e.o.Desk.Post(ctx, actor, desk.PostRequest{TicketID: tn.t.ID, Kind: desk.KindNote, Text: tn.note,
			IdempotencyKey: "bot-note:" + tn.msg.ID}); err != nil {
			return r, nil, err
		}
	}
	if tn.handoff != "" {
		if _, err := e.o.Desk.HandOff(ctx, tn.t.ID, tn.handoff); err != nil && !errors.Is(err, desk.ErrConflict) {
			return r, nil, err
		}
		r.HandedOff = true
		if !tn.quiet {
			e.queueLine(ctx, tn)
		}
	}
	for i, c := range tn.choices {
		r.Choices = append(r.Choices, Choice{N: i + 1, Label: c})
	}
	r.Text = replyText(tn)
	if r.Text != "" {
		msg, _, err := e.o.Desk.Post(ctx, actor, desk.PostRequest{TicketID: tn.t.ID, Kind: desk.KindReply, Text: r.Text,
			IdempotencyKey: "bot:" + tn.msg.ID})
		if err != nil {
			return r, nil, fmt.Errorf("bot: reply on %s: %w", tn.t.ID, err)
		}
		r.MessageID = msg.ID
	} else if tn.greeting == "" {
		r.Silent = true
	}
	now := e.o.Now().UTC()
	text := cutRunes(tn.msg.Text, MaxDecisionTextRunes)
	for i := range tn.decisions {
		d := &tn.decisions[i]
		d.ID, d.TicketID, d.MessageID, d.Channel = desk.NewID(), tn.t.ID, tn.msg.ID, tn.t.Channel
		d.Lang, d.Text, d.CreatedAt = tn.lang, text, now
	}
	raw, err := json.Marshal(tn.st)
	if err != nil {
		return r, nil, fmt.Errorf("bot: state of %s: %w", tn.t.ID, err)
	}
	if err := e.o.State.SaveBotTurn(ctx, tn.t.ID, string(raw), tn.decisions, now); err != nil {
		return r, nil, err
	}
	return r, tn.decisions, nil
}

// queueLine tells the customer their place in the queue and the wait.
func (e *Engine) queueLine(ctx context.Context, tn *turn) {
	pos, err := e.o.Desk.QueuePosition(ctx, tn.t.ID)
	if err != nil {
		e.o.Log.Warn("bot: queue position", "ticket", tn.t.ID, "err", err)
		return
	}
	switch {
	case pos > 1:
		mins := int((time.Duration(pos-1) * e.o.WaitPerTicket).Minutes())
		tn.say("bot.handoff_queue", "ahead", strconv.Itoa(pos-1), "minutes", strconv.Itoa(max(mins, 1)))
	case pos == 1:
		// Nobody ahead: still a place in the queue the customer is told.
		tn.say("bot.handoff_next")
	}
}

// replyText writes the lines and numbered choices as one message.
func replyText(tn *turn) string {
	var b strings.Builder
	b.WriteString(strings.Join(tn.lines, "\n"))
	for i, c := range tn.choices {
		fmt.Fprintf(&b, "\n%d. %s", i+1, c)
	}
	return strings.TrimSpace(b.String())
}

func (e *Engine) actor(tn *turn) desk.Actor {
	name := tn.name
	if name == "" {
		name = e.o.Default.Name
	}
	return desk.BotActor(name)
}

// open says whether agents are at work now.
func (e *Engine) open() bool {
	return e.o.OpenHours == nil || e.o.OpenHours(e.o.Now())
}

// settings are the site's stored settings, else the configured default.
func (e *Engine) settings(ctx context.Context, t desk.Ticket) SiteSettings {
	if t.Channel == TryChannel {
		// The console tries the bot whether or not it is on anywhere.
		d := e.o.Default
		d.Enabled, d.Mode = true, ModeAlways
		return d
	}
	if e.o.Settings == nil {
		return e.o.Default
	}
	key := t.ThreadKey
	if t.Channel != "webchat" {
		// Telegram's thread key is bot:chat; its settings are the bot's.
		key, _, _ = strings.Cut(key, ":")
	}
	s, err := e.o.Settings.BotSettings(ctx, t.Channel, key)
	if err != nil {
		if !errors.Is(err, desk.ErrNotFound) {
			e.o.Log.Warn("bot: site settings unreadable, using the default", "channel", t.Channel, "err", err)
		}
		return e.o.Default
	}
	if s.Name == "" {
		s.Name = e.o.Default.Name
	}
	if s.Mode == "" {
		s.Mode = ModeAlways
	}
	return s
}
