package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"huiliu/channels"
	"huiliu/channels/poller"
)

// ChannelName is the adapter's name in envelopes and outbox rows.
const ChannelName = "telegram"

// OffsetStore keeps, per bot, the next update id to ask Telegram for. It
// must be durable: the offset is the acknowledgement to Telegram.
type OffsetStore interface {
	Offset(ctx context.Context, bot string) (int64, error)
	SetOffset(ctx context.Context, bot string, next int64) error
}

// Limiter counts hits in fixed windows shared by all nodes.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// Deps are what the channel needs from the rest of the system.
type Deps struct {
	// Offsets and Leases are required when a bot polls; Leases give one
	// node at a time the right to poll a bot.
	Offsets OffsetStore
	Leases  poller.Leases
	// Limiter caps sends per bot across nodes; nil leaves only Telegram's
	// own 429 answers as the limit.
	Limiter    Limiter
	Logger     *slog.Logger
	Now        func() time.Time
	HTTPClient *http.Client
	// CheckAgent answers the /agent command (is this employee number a
	// current agent's, and does that agent handle this chat's
	// conversation?). Nil: /agent is an ordinary message.
	CheckAgent func(ctx context.Context, q AgentQuery) (AgentAnswer, error)
	// ReportImpostor takes "/report what happened" (a suspected fake
	// agent) from the chat's customer. Nil: /report is an ordinary message.
	ReportImpostor func(ctx context.Context, q ReportQuery) (ReportAnswer, error)
	// HelpSearch answers the /help command with the knowledge base's top
	// public articles for query in lang (zh-CN, zh-TW or en). Nil: /help
	// is an ordinary message.
	HelpSearch func(ctx context.Context, query, lang string) ([]HelpArticle, error)
	// Codes runs one-time code verification in private chats (/code, the
	// code button, the code typed back); nil: those are ordinary messages.
	Codes CodeFlow
	// Survey records a satisfaction score tapped on a survey's buttons
	// (survey.go); nil: the taps are only acknowledged.
	Survey SurveyAnswer
	// PublicURL is the desk's public base URL: Run registers the webhook
	// of every bot in webhook mode under it. Empty: webhooks are left as
	// they are (SetWebhooks registers them).
	PublicURL string
}

// ReportQuery is one /report: what happened, in the customer's words,
// from whom, counted under Caller.
type ReportQuery struct {
	What, Caller string
	From         channels.Party
}

// ReportAnswer: Invalid, the desk refused the text (too long); Wait > 0,
// too many reports.
type ReportAnswer struct {
	Invalid bool
	Wait    time.Duration
}

// AgentQuery is one /agent question: the number, the key its checks are
// counted under, and the conversation it was asked in.
type AgentQuery struct {
	No, Caller string
	From       channels.Party
	ThreadKey  string
}

// AgentAnswer is the desk's answer. Handling: the agent owns or works
// this chat's conversation. Wait > 0: the caller checked too often.
type AgentAnswer struct {
	Current, Handling bool
	Wait              time.Duration
}

// Timing of leases and retries; tests shorten them.
const (
	defaultLeaseTTL  = poller.DefaultTTL
	defaultRetryBase = poller.DefaultRetryBase
	retryCap         = poller.DefaultRetryCap
	sendLimit        = 30 // messages per second per bot, Telegram's global limit
)

// Channel is the Telegram adapter for every configured bot.
type Channel struct {
	mu  sync.RWMutex
	set botSet
	// changed wakes Run after Replace, so pollers start and stop at once.
	changed chan struct{}

	deps   Deps
	log    *slog.Logger
	now    func() time.Time
	client *http.Client
	holder string // this node's lease holder id

	leaseTTL        time.Duration
	retryBase       time.Duration
	downloadTimeout time.Duration
	downloadRetry   time.Duration

	progress *sendProgress
}

// botSet is the bots in force: Replace swaps it whole.
type botSet struct {
	byName map[string]*bot
	order  []string // bot names in configuration order, for stable start-up
}

// bot is one configured bot and its runtime state.
type bot struct {
	cfg    Config
	health health
	// webhookSet: this node registered the bot's webhook (Run does it
	// once per bot and settings).
	webhookSet bool

	mu           sync.Mutex
	groupsTold   map[int64]bool // group chats already asked to write privately
	groupsToldAt []int64        // insertion order, to bound the map
}

const maxGroupsRemembered = 10000

// markGroupTold records chat and reports whether it was new.
func (b *bot) markGroupTold(chat int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.groupsTold[chat] {
		return false
	}
	if len(b.groupsToldAt) >= maxGroupsRemembered {
		delete(b.groupsTold, b.groupsToldAt[0])
		b.groupsToldAt = b.groupsToldAt[1:]
	}
	b.groupsTold[chat] = true
	b.groupsToldAt = append(b.groupsToldAt, chat)
	return true
}

// New validates the bots and builds the channel. It does not contact
// Telegram; Run and SetWebhooks do.
func New(bots []Config, deps Deps) (*Channel, error) {
	c := &Channel{
		deps:            deps,
		changed:         make(chan struct{}, 1),
		log:             deps.Logger,
		now:             deps.Now,
		client:          deps.HTTPClient,
		leaseTTL:        defaultLeaseTTL,
		retryBase:       defaultRetryBase,
		downloadTimeout: defaultDownloadTimeout,
		downloadRetry:   defaultDownloadRetry,
		progress:        newSendProgress(maxProgressEntries),
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.client == nil {
		// No client-wide timeout: every request carries its own deadline,
		// and a long poll must be allowed to outlast a short timeout.
		c.client = &http.Client{}
	}
	set, err := c.buildSet(bots, botSet{})
	if err != nil {
		return nil, err
	}
	c.set = set
	id := make([]byte, 8)
	_, _ = rand.Read(id) // crypto/rand.Read never fails on supported platforms
	c.holder = hex.EncodeToString(id)
	return c, nil
}

// buildSet checks bots; a bot whose configuration did not change keeps
// its state from prev (health, poller, groups told), so it runs on.
func (c *Channel) buildSet(bots []Config, prev botSet) (botSet, error) {
	set := botSet{byName: make(map[string]*bot, len(bots))}
	tokens := map[string]string{}
	var errs []error
	polling := false
	for _, cfg := range bots {
		cfg = cfg.withDefaults()
		if err := cfg.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := set.byName[cfg.Name]; dup {
			errs = append(errs, fmt.Errorf("telegram bot %q: configured twice", cfg.Name))
			continue
		}
		if other, dup := tokens[cfg.Token]; dup {
			errs = append(errs, fmt.Errorf("telegram bot %q: same token as bot %q", cfg.Name, other))
			continue
		}
		tokens[cfg.Token] = cfg.Name
		polling = polling || cfg.Mode == ModePolling
		b := prev.byName[cfg.Name]
		if b == nil || b.cfg != cfg {
			b = &bot{cfg: cfg, groupsTold: map[int64]bool{}}
		}
		set.byName[cfg.Name] = b
		set.order = append(set.order, cfg.Name)
	}
	if polling && (c.deps.Offsets == nil || c.deps.Leases == nil) {
		errs = append(errs, errors.New("telegram: Deps.Offsets and Deps.Leases are required for polling bots"))
	}
	if err := errors.Join(errs...); err != nil {
		return botSet{}, err
	}
	return set, nil
}

// Replace makes bots the channel's set: pollers of new or changed bots
// start and webhooks of new or changed webhook bots are registered (when
// Deps.PublicURL is set); pollers of removed or changed bots stop. On an
// invalid set nothing changes.
func (c *Channel) Replace(bots []Config) error {
	c.mu.Lock()
	set, err := c.buildSet(bots, c.set)
	if err == nil {
		c.set = set
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case c.changed <- struct{}{}:
	default: // a wake-up is pending already
	}
	return nil
}

// current returns the bots in force now.
func (c *Channel) current() botSet {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.set
}

// Name is the channel name the desk registers the adapter under.
func (c *Channel) Name() string { return ChannelName }

// ThreadKey is the conversation key of a chat with a bot.
func ThreadKey(bot string, chatID int64) string {
	return bot + ":" + strconv.FormatInt(chatID, 10)
}

// ParseThreadKey splits a thread key made by ThreadKey.
func ParseThreadKey(key string) (bot string, chatID int64, err error) {
	bot, id, ok := strings.Cut(key, ":")
	if !ok || !botNameRE.MatchString(bot) {
		return "", 0, fmt.Errorf("telegram: thread key %q is not <bot>:<chat id>", key)
	}
	chatID, err = strconv.ParseInt(id, 10, 64)
	if err != nil || chatID == 0 {
		return "", 0, fmt.Errorf("telegram: thread key %q is not <bot>:<chat id>", key)
	}
	return bot, chatID, nil
}

func (c *Channel) bot(name string) (*bot, bool) {
	b, ok := c.current().byName[name]
	return b, ok
}
