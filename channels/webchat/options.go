package webchat

import (
	"context"
	"log/slog"
	"time"

	"huiliu/channels"
)

// Options configure a Server. Zero limits take the defaults below.
type Options struct {
	Sites   Sites
	Sink    channels.Sink // desk.Service: Ingest returns only after the SQL commit
	History History
	Feed    Feed
	// Files serves agents' attachments behind signed links; nil serves
	// none (messages still list them).
	Files FileStore
	// CheckAgent answers the widget's employee number check from inside
	// the visitor's conversation (agent_check.go); nil: not served.
	CheckAgent func(ctx context.Context, no, caller, ticketID string) (AgentAnswer, error)
	// Verifier sends and checks one-time codes for the widget's verify
	// card; nil answers verify frames "unavailable".
	Verifier Verifier
	// Surveys records answers of the widget's rating card (survey.go);
	// nil answers csat frames "unavailable".
	Surveys Surveys
	// Conversations gives the acknowledgement after a first message (queue
	// place, hours) and takes callback requests (state.go); nil: neither.
	Conversations Conversations
	// MaxUploadBytes bounds a customer's file (upload.go); default 10 MiB.
	MaxUploadBytes int64
	// Limiter counts messages per visitor across nodes; LocalLimiter (the
	// queue layer's in-process one) counts on this node instead while the
	// shared one fails, so a Redis outage never blocks customers. With
	// neither, messages are not rate-limited.
	Limiter      Limiter
	LocalLimiter Limiter
	Logger       *slog.Logger
	Now          func() time.Time

	MaxTextBytes      int           // bytes of text per message; default 4096
	MessagesPerMinute int           // per visitor and site; default 20
	ReadLimit         int64         // bytes per client frame; default 16 KiB; larger closes with 1009
	PingInterval      time.Duration // default 25 s
	PongWait          time.Duration // a connection silent this long is dropped; default 60 s
	WriteWait         time.Duration // per frame write, and per wait on a full send queue; default 10 s
	SendQueue         int           // frames buffered per connection; default 32
	HistoryLimit      int           // messages per History.Messages call; default 200
	TypingInterval    time.Duration // at most one customer typing signal per connection this often; default 2 s
	HelloWait         time.Duration // time to send hello after connecting; default 15 s
	PullConcurrency   int           // History calls in flight per node; default 32
	IngestTimeout     time.Duration // per Sink.Ingest call; default 30 s
	// MaxIngests bounds the customer messages this node stores at once;
	// beyond it a message is answered busy (retry_after_ms) instead of
	// queueing. Default 256.
	MaxIngests int
	// Anonymous flood limits (docs/webchat.md); below zero turns one off.
	NewVisitorsPerAddress int  // visitor ids minted per address and site per 10 min; default 120
	NewTicketsPerAddress  int  // messages that may open a ticket, per address and site per 10 min; default 30
	NewTicketsPerSite     int  // the same per site per minute; default 600
	TrustProxy            bool // count the address a proxy appended to X-Forwarded-For
}

// Defaults of Options.
const (
	DefaultMaxTextBytes          = 4096
	DefaultMessagesPerMinute     = 20
	DefaultReadLimit             = 16 << 10
	DefaultPingInterval          = 25 * time.Second
	DefaultPongWait              = 60 * time.Second
	DefaultWriteWait             = 10 * time.Second
	DefaultSendQueue             = 32
	DefaultHistoryLimit          = 200
	DefaultTypingInterval        = 2 * time.Second
	DefaultHelloWait             = 15 * time.Second
	DefaultPullConcurrency       = 32
	DefaultIngestTimeout         = 30 * time.Second
	DefaultMaxIngests            = 256
	DefaultMaxUploadBytes        = 10 << 20
	DefaultNewVisitorsPerAddress = 120
	DefaultNewTicketsPerAddress  = 30
	DefaultNewTicketsPerSite     = 600
)

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxTextBytes, DefaultMaxTextBytes)
	def(&o.MessagesPerMinute, DefaultMessagesPerMinute)
	if o.ReadLimit <= 0 {
		o.ReadLimit = DefaultReadLimit
	}
	defDur(&o.PingInterval, DefaultPingInterval)
	defDur(&o.PongWait, DefaultPongWait)
	if o.PongWait <= o.PingInterval {
		// Otherwise every healthy connection would time out between pings.
		o.PongWait = 2 * o.PingInterval
	}
	defDur(&o.WriteWait, DefaultWriteWait)
	def(&o.SendQueue, DefaultSendQueue)
	def(&o.HistoryLimit, DefaultHistoryLimit)
	defDur(&o.TypingInterval, DefaultTypingInterval)
	defDur(&o.HelloWait, DefaultHelloWait)
	def(&o.PullConcurrency, DefaultPullConcurrency)
	defDur(&o.IngestTimeout, DefaultIngestTimeout)
	def(&o.MaxIngests, DefaultMaxIngests)
	if o.MaxUploadBytes <= 0 {
		o.MaxUploadBytes = DefaultMaxUploadBytes
	}
	zero := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	zero(&o.NewVisitorsPerAddress, DefaultNewVisitorsPerAddress)
	zero(&o.NewTicketsPerAddress, DefaultNewTicketsPerAddress)
	zero(&o.NewTicketsPerSite, DefaultNewTicketsPerSite)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
