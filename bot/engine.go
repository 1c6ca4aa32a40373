// Package bot is the dialogue engine in front of the desk: it answers from
// the knowledge base, verifies a customer before telling them anything from
// their record, runs the flows (bot/flows/*.toml) and hands everything else
// to a person. It understands without a language model: KB retrieval plus
// intents with example phrases, pinyin-initial slang and common typos.
// Every turn records Decisions (bot_decisions) and posts as desk.BotActor.
package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"huiliu/desk"
	"huiliu/kb"
)

// TryChannel is the internal channel of the admin console's conversations
// (Engine.Try). It must be one of desk.Options.BotChannels.
const TryChannel = "bot-try"

// Searcher is the knowledge base as the bot uses it; *kb.Service
// implements it.
type Searcher interface {
	Suggest(ctx context.Context, text, locale string, aud kb.Audience, n int) ([]kb.Hit, error)
	Published(ctx context.Context, id, locale string, aud kb.Audience) (kb.Article, error)
}

// FlowSource gives the flows in force (botdesk keeps admin-edited versions
// in SQL); nil uses DefaultFlows.
type FlowSource interface {
	BotFlows(ctx context.Context) (Flows, error)
}

// Options configure an Engine.
type Options struct {
	Desk *desk.Service
	// OTP sends and checks one-time codes; without it account questions
	// hand off to a person.
	OTP      *desk.OTP
	KB       Searcher
	State    StateStore
	Settings Settings   // nil: Default for every site
	Flows    FlowSource // nil: DefaultFlows
	// Default is the [bot] configuration: used where nothing is stored.
	Default SiteSettings
	// Channels the bot answers on (the [bot] channels); TryChannel is
	// always answered.
	Channels []string
	// Threshold is the KB score below which a hit is not an answer
	// (default DefaultThreshold).
	Threshold float64
	// OpenHours says whether agents are at work at t (nil: always); a
	// ModeOffHours site leaves open hours to people, and the callback flow
	// runs outside them.
	OpenHours func(t time.Time) bool
	// ClarifyRatio: a second hit scoring at least this share of the best
	// one makes the bot ask which was meant (default 0.85).
	ClarifyRatio float64
	// Location words promised times (default Asia/Shanghai).
	Location *time.Location
	// WaitPerTicket estimates the wait per ticket ahead in the queue
	// (default 3 minutes).
	WaitPerTicket time.Duration
	// LLM optionally rephrases KB answers; nil keeps the article's words.
	LLM *LLM
	Log *slog.Logger
	Now func() time.Time
	// Workers run turns in the background (default 4).
	Workers int
}

// DefaultThreshold is the KB score a hit needs to be answered with.
const DefaultThreshold = 0.04

// Choice is one numbered option of a reply (clarify, a flow's step).
type Choice struct {
	N     int    `json:"n"`
	Label string `json:"label"`
}

// Reply is what the bot said on one turn.
type Reply struct {
	// Greeting is the greeting posted before the reply when the message
	// opened the conversation ("" otherwise).
	Greeting string `json:"greeting,omitempty"`
	// Text is the reply as posted (with numbered choices written out);
	// empty when the bot stayed silent.
	Text    string   `json:"text"`
	Choices []Choice `json:"choices,omitempty"`
	// HandedOff: the ticket went to the desk on this turn.
	HandedOff bool `json:"handed_off"`
	// Silent: the bot did not answer (the ticket is with a person, or the
	// bot is off for the site).
	Silent bool `json:"silent"`
	// MessageID is the bot's posted message ("" when silent).
	MessageID string `json:"message_id,omitempty"`
	TicketID  string `json:"ticket_id"`
}

// Engine runs the bot. It is a desk.Observer: AfterCommit queues a turn
// for each customer message on a ticket in status bot; Run works the queue.
type Engine struct {
	o Options
	// queues has one queue per worker; a ticket always goes to the same
	// one, so its turns run in order.
	queues []chan turnJob
}

// queueDepth bounds the turns waiting per worker; beyond it a turn is
// handed to a person rather than left unanswered.
const queueDepth = 256

type turnJob struct {
	ticket desk.Ticket
	msg    desk.Message
	opened bool // msg opened the ticket
}

// New builds an engine.
func New(o Options) (*Engine, error) {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.ClarifyRatio <= 0 || o.ClarifyRatio > 1 {
		o.ClarifyRatio = 0.85
	}
	if o.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		o.Location = loc
	}
	if o.WaitPerTicket <= 0 {
		o.WaitPerTicket = 3 * time.Minute
	}
	if o.Desk == nil || o.KB == nil || o.State == nil {
		return nil, errors.New("bot: Desk, KB and State are required")
	}
	if o.Default.Name == "" {
		o.Default.Name = "小汇"
	}
	if o.Default.Mode == "" {
		o.Default.Mode = ModeAlways
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	e := &Engine{o: o}
	for range o.Workers {
		e.queues = append(e.queues, make(chan turnJob, queueDepth))
	}
	return e, nil
}
