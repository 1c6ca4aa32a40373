package email

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"huiliu/channels"
	"huiliu/channels/poller"
)

// ChannelName is the channel's name on messages and in the outbox.
const ChannelName = "email"

// Threads is what threading needs from the desk's records; cmd implements
// it over the store. A lookup that finds nothing answers "" and no error.
type Threads interface {
	// Token returns the ticket's threading token, making it on first use.
	Token(ctx context.Context, ticketID string) (string, error)
	// TicketByToken returns the ticket a token belongs to.
	TicketByToken(ctx context.Context, token string) (string, error)
	// TicketByNumber returns the ticket with this public number.
	TicketByNumber(ctx context.Context, number int64) (string, error)
	// Participant reports whether address took part in the ticket: its
	// contact's address, or a sender or recipient of one of its mails.
	Participant(ctx context.Context, ticketID, address string) (bool, error)
}

// State keeps each mailbox's import position and health in SQL.
type State interface {
	// Position returns where the import stands (0, 0 when it never ran).
	Position(ctx context.Context, mailbox string) (validity, lastUID int64, err error)
	// SetPosition records the mails up to uid as committed; a new
	// validity replaces the old position.
	SetPosition(ctx context.Context, mailbox string, validity, uid int64, mailAt time.Time) error
	// SetHealth records the state (ok, connecting, failing) and the last
	// error, "" clearing it.
	SetHealth(ctx context.Context, mailbox, state, errText string) error
}

// Health states of State.SetHealth (desk.Mailbox*).
const (
	stateConnecting = "connecting"
	stateOK         = "ok"
	stateFailing    = "failing"
)

// Bounce is a delivery failure a bounce reported.
type Bounce struct {
	Mailbox string
	Address string
	Reason  string
	// TicketID and MessageID name the desk message that bounced when the
	// bounce quoted one of our Message-IDs; empty otherwise.
	TicketID  string
	MessageID string
}

// Bounces records delivery failures: the address as bouncing, the message
// as failed with the reason.
type Bounces interface {
	Bounced(ctx context.Context, b Bounce) error
}

// Deps are what the channel needs from the rest of the desk.
type Deps struct {
	Leases  poller.Leases
	Threads Threads
	State   State
	Bounces Bounces
	// Holder is this process's lease holder id.
	Holder string
	Logger *slog.Logger
}

// Channel is the email channel: it imports the configured mailboxes
// (Run) and sends replies over SMTP (Send).
type Channel struct {
	deps      Deps
	log       *slog.Logger
	mailboxes map[string]*mailbox
	order     []string
	own       map[string]bool // our addresses, lower case
	// Timings; tests shorten them.
	leaseTTL  time.Duration
	retryBase time.Duration
	dialer    dialer
}

type mailbox struct {
	cfg          Mailbox
	imapPassword string
	smtpPassword string
	mu           sync.Mutex
	health       string // last recorded state, so unchanged states are not rewritten
	failures     map[uint32]int
}

// New checks the mailboxes and reads their passwords.
func New(mailboxes []Mailbox, deps Deps) (*Channel, error) {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Holder == "" {
		id := make([]byte, 8)
		_, _ = rand.Read(id) // never fails (crypto/rand)
		deps.Holder = hex.EncodeToString(id)
	}
	c := &Channel{deps: deps, log: deps.Logger, mailboxes: map[string]*mailbox{}, own: map[string]bool{},
		leaseTTL: poller.DefaultTTL, retryBase: poller.DefaultRetryBase, dialer: netDialer{}}
	var errs []error
	for _, cfg := range mailboxes {
		cfg.Defaults()
		if err := cfg.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := c.mailboxes[cfg.Name]; dup {
			errs = append(errs, fmt.Errorf("mailbox %q is configured twice", cfg.Name))
			continue
		}
		mb := &mailbox{cfg: cfg, failures: map[uint32]int{}}
		var err error
		if mb.imapPassword, err = cfg.IMAP.Secret(); err != nil {
			errs = append(errs, fmt.Errorf("mailbox %q imap: %w", cfg.Name, err))
		}
		if mb.smtpPassword, err = cfg.SMTP.Secret(); err != nil {
			errs = append(errs, fmt.Errorf("mailbox %q smtp: %w", cfg.Name, err))
		}
		c.mailboxes[cfg.Name] = mb
		c.order = append(c.order, cfg.Name)
		c.own[strings.ToLower(cfg.Address)] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Name is the adapter's channel name.
func (c *Channel) Name() string { return ChannelName }

// Mailboxes lists the configured mailboxes in order, passwords masked.
func (c *Channel) Mailboxes() []Mailbox {
	out := make([]Mailbox, 0, len(c.order))
	for _, n := range c.order {
		out = append(out, c.mailboxes[n].cfg.Masked())
	}
	return out
}

// ThreadKey is the conversation key of a mail thread in a mailbox: the
// mailbox name, so replies go out of it, and a digest of the thread's
// first Message-ID.
func ThreadKey(mailbox, rootID string) string {
	return mailbox + ":" + hexSum([]byte(rootID))
}

// mailboxOf reads the mailbox name from a thread key.
func mailboxOf(threadKey string) string {
	name, _, _ := strings.Cut(threadKey, ":")
	return name
}

// Run imports every mailbox into sink until ctx ends, each on whichever
// node holds its lease (email:poll:<name>), and returns nil once every
// poller has stopped.
func (c *Channel) Run(ctx context.Context, sink channels.Sink) error {
	var wg sync.WaitGroup
	for _, name := range c.order {
		mb := c.mailboxes[name]
		log := c.log.With("mailbox", name)
		wg.Go(func() {
			s := &session{c: c, mb: mb, sink: sink, log: log}
			defer s.close()
			err := poller.Run(ctx, poller.Config{
				Lease:     "email:poll:" + name,
				Holder:    c.deps.Holder,
				Leases:    c.deps.Leases,
				TTL:       c.leaseTTL,
				RetryBase: c.retryBase,
				Logger:    log,
				Poll: func(ctx context.Context) error {
					err := s.round(ctx)
					if err != nil && ctx.Err() == nil {
						s.close()
						c.setHealth(ctx, mb, stateFailing, err.Error())
						log.Warn("email: mailbox round failed; retrying with backoff", "err", err)
					}
					if ctx.Err() != nil {
						s.close() // the lease is lost or we stop: another node takes over
					}
					return err
				},
			})
			if err != nil {
				log.Error("email: poller", "err", err)
			}
		})
	}
	<-ctx.Done()
	wg.Wait()
	return nil
}

// setHealth records a mailbox's health when it changed.
func (c *Channel) setHealth(ctx context.Context, mb *mailbox, state, errText string) {
	mb.mu.Lock()
	same := mb.health == state+"\x00"+errText
	mb.health = state + "\x00" + errText
	mb.mu.Unlock()
	if same || c.deps.State == nil {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := c.deps.State.SetHealth(sctx, mb.cfg.Name, state, errText); err != nil {
		c.log.Error("email: record mailbox health", "mailbox", mb.cfg.Name, "err", err)
	}
}
