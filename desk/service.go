package desk

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"
)

// Publisher fans events out to live clients; queue.Bus implements it.
type Publisher interface {
	Publish(ctx context.Context, stream string, data []byte) (int64, error)
}

// RateLimiter counts attempts; queue.Limiter implements it.
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// Service is the desk: every change to tickets, messages, contacts and
// accounts goes through it, so the rules (ownership, visibility, audit,
// idempotency) hold whichever transport the request came from.
type Service struct {
	store   Store
	events  Publisher
	limiter RateLimiter
	log     *slog.Logger
	now     func() time.Time
	// presence says whether a ticket's owner is at the desk; nil: unknown.
	presence PresenceReader
	// wake nudges the outbox sender after a commit that queued something.
	wake chan struct{}
	auth authCache
	// observers follow every commit (desk/observer.go): the built-in owner
	// return first, then Options.Observers in order.
	observers []Observer
	// router, when one is among the observers, routes new tickets by its
	// rules inside their transaction; nil: no routing.
	router *Router
	// botChannels are the channels whose new tickets start with the bot.
	botChannels []string
	// sla, when an SLA worker is among the observers, recomputes what a
	// policy change made stale.
	sla *SLAWorker
	// facts reads customer records; nil: none configured. factPolicy is
	// the configured policy (the desk's saved one wins) and verifiedFor how
	// long a proof recorded here holds without activity.
	facts       FactsSource
	factPolicy  FactPolicy
	verifiedFor time.Duration
	// purgers run when the retention purge lets a contact go.
	purgers []PersonalDataPurger
	// mailboxes lists the email mailboxes (desk/email_start.go); nil: none.
	mailboxes MailboxDirectory
	// telegramBots manages the Telegram bots (desk/telegram_bots.go); nil: none.
	telegramBots TelegramBotDirectory
	// csat, when a CSAT step is among the observers, asks for ratings
	// (desk/csat_request.go).
	csat *CSAT
	// callbackWithin is each phone line's callback time (desk/phone.go).
	callbackWithin map[string]time.Duration
	dialer         Dialer
}

// Options configures a Service.
type Options struct {
	Store   Store
	Events  Publisher
	Limiter RateLimiter
	Logger  *slog.Logger
	Now     func() time.Time // defaults to time.Now
	// Presence, when set, lets a returning customer's message go back to
	// the ticket's owner while they are at the desk (desk/owner_return.go).
	Presence PresenceReader
	// Observers run after each commit of Ingest, Post, ChangeTicket and
	// HandOff, in order (desk/observer.go). A Router or an SLAWorker listed
	// here is bound to the service by NewService.
	Observers []Observer
	// BotChannels are the channels whose new tickets start in StatusBot,
	// with the bot, until HandOff gives them to the desk.
	BotChannels []string
	// Facts reads customer records for the contact panel, the disclosure
	// guard and code destinations (desk/facts.go); nil: none.
	Facts FactsSource
	// FactPolicy overrides DefaultFactPolicy per fact until a supervisor
	// saves one on the desk. VerifiedFor is how long a knowledge
	// verification holds without activity (default 30 minutes).
	FactPolicy  FactPolicy
	VerifiedFor time.Duration
	// Purgers remove what other parts keep about a contact when the
	// retention purge lets it go (desk/retention.go).
	Purgers []PersonalDataPurger
	// Mailboxes lists the email mailboxes agents send from and admins see
	// (desk/email_start.go, desk/email_mailboxes.go); nil: no email.
	Mailboxes MailboxDirectory
	// TelegramBots manages the Telegram bots on the admin page
	// (desk/telegram_bots.go); nil: no Telegram page.
	TelegramBots TelegramBotDirectory
	// CallbackWithin is the business time to call back a missed caller,
	// per phone line (default DefaultCallbackWithin; desk/phone.go).
	CallbackWithin map[string]time.Duration
	// Dialer places click-to-call calls through a phone line's platform
	// (channels/phone.Dialer); nil: no click-to-call.
	Dialer Dialer
}

// NewService builds the desk service.
func NewService(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Service{
		store:    o.Store,
		events:   o.Events,
		limiter:  o.Limiter,
		log:      o.Logger,
		now:      o.Now,
		presence: o.Presence,
		wake:     make(chan struct{}, 1),

		botChannels:  o.BotChannels,
		facts:        o.Facts,
		factPolicy:   o.FactPolicy,
		verifiedFor:  o.VerifiedFor,
		purgers:      o.Purgers,
		mailboxes:    o.Mailboxes,
		telegramBots: o.TelegramBots,

		callbackWithin: o.CallbackWithin,
		dialer:         o.Dialer,
	}
	if s.verifiedFor <= 0 {
		s.verifiedFor = defaultOTPIdle
	}
	s.observers = append([]Observer{ownerReturn{s}}, o.Observers...)
	for _, ob := range o.Observers {
		if b, ok := ob.(serviceBound); ok {
			b.bindService(s)
		}
	}
	return s
}

// publish sends ev on the desk stream. The commit already happened, so a
// failure here only delays live views (clients resume or reload from SQL);
// it is logged, never returned.
func (s *Service) publish(ctx context.Context, ev Event) {
	if !eventTypes[ev.Type] {
		// A programming error: fail the test that reached it, and in
		// production keep the unknown type off the desks' streams.
		if testing.Testing() {
			panic("desk: publish of unlisted event type " + ev.Type)
		}
		s.log.Error("desk: publish of unlisted event type", "type", ev.Type)
		return
	}
	if s.events == nil {
		return
	}
	ev.At = s.now().UTC()
	data, err := json.Marshal(ev)
	if err != nil {
		s.log.Error("desk: encode event", "type", ev.Type, "err", err)
		return
	}
	// The commit already happened: a caller that hangs up now must not
	// keep the event from the desks that are watching.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), publishTimeout)
	defer cancel()
	if _, err := s.events.Publish(ctx, StreamDesk, data); err != nil {
		s.log.Warn("desk: publish event", "stream", StreamDesk, "type", ev.Type, "err", err)
	}
}

// publishTimeout bounds how long a committed request waits on the bus.
const publishTimeout = 5 * time.Second

// MessageEventData is the payload of message and ticket events: the ticket
// as it is after the change and the message that changed it, so a live view
// renders both without a query.
type MessageEventData struct {
	Ticket  Ticket  `json:"ticket"`
	Message Message `json:"message"`
}

// messageEvent is one event per committed message.
func messageEvent(typ string, t Ticket, m Message) Event {
	ev := ticketEvent(typ, t, MessageEventData{Ticket: t, Message: m})
	ev.MessageID, ev.MessageSeq = m.ID, m.Seq
	return ev
}

// ticketEvent describes a ticket change with what live views need to decide
// who may see it.
func ticketEvent(typ string, t Ticket, data any) Event {
	ev := Event{
		Type:       typ,
		TicketID:   t.ID,
		TeamID:     t.TeamID,
		OwnerID:    t.OwnerID,
		AssigneeID: t.AssigneeID,
	}
	if data != nil {
		ev.Data, _ = json.Marshal(maskEventData(data))
	}
	return ev
}

// nudge wakes the outbox sender without blocking.
func (s *Service) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
