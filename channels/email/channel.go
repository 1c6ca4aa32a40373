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
	// Blocked reports whether a bounce recorded for address (at, for
	// reason) still blocks mail to it.
	Blocked(ctx context.Context, address string) (reason string, at time.Time, blocked bool, err error)
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
// (Run) and sends replies over SMTP (Send). Its set of mailboxes can be
// replaced while it runs (Replace), so a mailbox an admin adds on the desk
// starts without a restart.
type Channel struct {
	deps Deps
	log  *slog.Logger

	mu  sync.RWMutex
	set mailboxSet
	// changed wakes Run to start and stop pollers after Replace.
	changed chan struct{}

	// Timings; tests shorten them.
	leaseTTL  time.Duration
	retryBase time.Duration
	dialer    dialer
}

// mailboxSet is one generation of the channel's mailboxes.
type mailboxSet struct {
	byName map[string]*mailbox
	order  []string
	own    map[string]bool // our addresses, lower case
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
	c := &Channel{deps: deps, log: deps.Logger, changed: make(chan struct{}, 1),
		leaseTTL: poller.DefaultTTL, retryBase: poller.DefaultRetryBase, dialer: netDialer{}}
	set, err := buildSet(mailboxes, mailboxSet{})
	if err != nil {
		return nil, err
	}
	c.set = set
	return c, nil
}

// buildSet checks mailboxes and reads their passwords; a mailbox whose
// settings did not change keeps its state from prev, so its poller runs on.
func buildSet(mailboxes []Mailbox, prev mailboxSet) (mailboxSet, error) {
	set := mailboxSet{byName: map[string]*mailbox{}, own: map[string]bool{}}
	var errs []error
	for _, cfg := range mailboxes {
		cfg.Defaults()
		if err := cfg.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := set.byName[cfg.Name]; dup {
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
		if old := prev.byName[cfg.Name]; old != nil && old.cfg == mb.cfg && old.imapPassword == mb.imapPassword && old.smtpPassword == mb.smtpPassword {
			mb = old
		}
		set.byName[cfg.Name] = mb
		set.order = append(set.order, cfg.Name)
		set.own[strings.ToLower(cfg.Address)] = true
	}
	if err := errors.Join(errs...); err != nil {
		return mailboxSet{}, err
	}
	return set, nil
}

// Replace makes mailboxes the channel's set: pollers of new or changed
// mailboxes start, those of removed or changed ones stop (their lease
// lapses and any node may take the new settings up). On an invalid set
// nothing changes.
func (c *Channel) Replace(mailboxes []Mailbox) error {
	c.mu.Lock()
	set, err := buildSet(mailboxes, c.set)
	if err == nil {
		c.set = set
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case c.changed <- struct{}{}:
	default:
	}
	return nil
}

// current returns the mailboxes in force now.
func (c *Channel) current() mailboxSet {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.set
}

// box returns the mailbox named name.
func (c *Channel) box(name string) (*mailbox, bool) {
	mb, ok := c.current().byName[name]
	return mb, ok
}

// ours reports whether address (lower case) is one of our mailboxes'.
func (c *Channel) ours(address string) bool {
	return c.current().own[address]
}

// Name is the adapter's channel name.
func (c *Channel) Name() string { return ChannelName }

// Mailboxes lists the configured mailboxes in order, passwords masked.
func (c *Channel) Mailboxes() []Mailbox {
	set := c.current()
	out := make([]Mailbox, 0, len(set.order))
	for _, n := range set.order {
		out = append(out, set.byName[n].cfg.Masked())
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
// node holds its lease (email:poll:<name>), follows Replace by starting and
// stopping pollers, and returns nil once every poller has stopped.
func (c *Channel) Run(ctx context.Context, sink channels.Sink) error {
	type running struct {
		mb     *mailbox
		cancel context.CancelFunc
		done   chan struct{}
	}
	pollers := map[string]*running{}
	stop := func(name string) {
		r := pollers[name]
		r.cancel()
		<-r.done
		delete(pollers, name)
	}
	for {
		set := c.current()
		for name, r := range pollers {
			if set.byName[name] != r.mb {
				stop(name)
			}
		}
		for _, name := range set.order {
			mb := set.byName[name]
			if pollers[name] != nil {
				continue
			}
			pctx, cancel := context.WithCancel(ctx)
			r := &running{mb: mb, cancel: cancel, done: make(chan struct{})}
			pollers[name] = r
			go func() {
				defer close(r.done)
				c.poll(pctx, mb, sink)
			}()
		}
		select {
		case <-ctx.Done():
			for name := range pollers {
				stop(name)
			}
			return nil
		case <-c.changed:
		}
	}
}

// poll runs one mailbox's poller until ctx ends.
func (c *Channel) poll(ctx context.Context, mb *mailbox, sink channels.Sink) {
	name := mb.cfg.Name
	log := c.log.With("mailbox", name)
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
