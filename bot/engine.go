// Package bot is the dialogue engine in front of the desk: it answers from
// the knowledge base, verifies a customer before telling them anything from
// their record, runs the flows (bot/flows/*.toml) and hands everything else
// to a person. It understands without a language model: KB retrieval plus
// intents with example phrases, pinyin-initial slang and common typos.
// Every turn records Decisions (bot_decisions) and posts as desk.BotActor.
package bot

import (
	"context"
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
	OTP       *desk.OTP
	KB        Searcher
	Decisions DecisionStore
	State     StateStore
	Settings  Settings   // nil: Default for every site
	Flows     FlowSource // nil: DefaultFlows
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
	// LLM optionally rephrases KB answers; nil keeps the article's words.
	LLM  *LLM
	Log  *slog.Logger
	Now  func() time.Time
	// Workers run turns in the background (default 4).
	Workers int
}

// DefaultThreshold is the KB score a hit needs to be answered with.
const DefaultThreshold = 0.6

// Choice is one numbered option of a reply (clarify, a flow's step).
type Choice struct {
	N     int    `json:"n"`
	Label string `json:"label"`
}

// Reply is what the bot said on one turn.
type Reply struct {
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
	o     Options
	queue chan turnJob
}

type turnJob struct {
	ticket desk.Ticket
	msg    desk.Message
}

// New builds an engine.
func New(o Options) (*Engine, error) {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
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
	return &Engine{o: o, queue: make(chan turnJob, 1024)}, nil
}
