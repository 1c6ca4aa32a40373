// Package poller runs a channel's polling loop on exactly one node at a
// time. The node holding the loop's lease polls and renews the lease while
// it does; when the lease is lost the poll's context is cancelled at once,
// and another node takes over within a lease's ttl. Failed rounds are
// retried after a capped, jittered backoff. Telegram's getUpdates loop runs
// on it, and so will an IMAP mailbox.
package poller

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"huiliu/channels"
)

// Leases give one holder at a time a named role; queue.Leases implements it.
type Leases interface {
	// Acquire takes or renews name for holder for ttl and reports false
	// when another holder has it.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives name up if holder has it.
	Release(ctx context.Context, name, holder string) error
}

// Defaults of Config.
const (
	DefaultTTL       = 15 * time.Second
	DefaultRetryBase = time.Second
	DefaultRetryCap  = 30 * time.Second
	releaseTimeout   = 5 * time.Second
)

// Config describes one polled thing.
type Config struct {
	// Lease names the loop, one per polled thing: "telegram:poll:<bot>".
	Lease string
	// Holder is this process's id; two processes must never share one.
	Holder string
	Leases Leases
	// TTL is the lease's lifetime, renewed every TTL/3 (DefaultTTL if 0).
	TTL time.Duration
	// RetryBase and RetryCap bound the backoff after a failed round.
	RetryBase, RetryCap time.Duration
	Logger              *slog.Logger
	// Start, if set, runs each time this node takes the lease, before the
	// first Poll (Telegram drops a stale webhook there). An error is
	// retried like a failed round, before any Poll.
	Start func(ctx context.Context) error
	// Poll is one round: a long poll and storing what it brought. It
	// should block until there is something or its own poll interval ran
	// out, since it is called again at once after a nil return. An error
	// makes the next round wait the backoff. ctx ends when the lease is
	// lost or Run's ctx ends.
	Poll func(ctx context.Context) error
}

func (c Config) withDefaults() Config {
	if c.TTL <= 0 {
		c.TTL = DefaultTTL
	}
	if c.RetryBase <= 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.RetryCap < c.RetryBase {
		c.RetryCap = max(DefaultRetryCap, c.RetryBase)
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Run polls while this node holds the lease, and waits for it otherwise,
// until ctx ends. It returns nil once the last round has returned and the
// lease is released; an error only for an unusable Config.
func Run(ctx context.Context, cfg Config) error {
	return run(ctx, cfg, channels.Sleep)
}

// run is Run with the pause between attempts injectable, so tests can see
// the backoff without waiting it out.
func run(ctx context.Context, cfg Config, wait func(context.Context, time.Duration)) error {
	if cfg.Lease == "" || cfg.Holder == "" || cfg.Leases == nil || cfg.Poll == nil {
		return errors.New("poller: Config.Lease, Holder, Leases and Poll are required")
	}
	p := &poller{cfg: cfg.withDefaults(), wait: wait}
	p.log = p.cfg.Logger.With("lease", cfg.Lease, "holder", cfg.Holder)
	p.bo = Backoff{Base: p.cfg.RetryBase, Cap: p.cfg.RetryCap}
	for ctx.Err() == nil {
		ok, err := p.cfg.Leases.Acquire(ctx, p.cfg.Lease, p.cfg.Holder, p.cfg.TTL)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			p.log.Warn("poller: acquire lease", "err", err)
			p.wait(ctx, p.bo.Next())
		case !ok:
			p.wait(ctx, Jitter(p.cfg.TTL/3))
		default:
			p.log.Info("poller: this node polls")
			p.whileHeld(ctx)
		}
	}
	return nil
}

type poller struct {
	cfg  Config
	log  *slog.Logger
	bo   Backoff
	wait func(context.Context, time.Duration)
}

// whileHeld polls until ctx ends or the lease is lost, then gives the
// lease up unless another node has it already.
func (p *poller) whileHeld(ctx context.Context) {
	hctx, cancel := context.WithCancel(ctx)
	lost := make(chan bool, 1)
	go func() { lost <- p.renew(hctx, cancel) }()
	p.rounds(hctx)
	cancel()
	if <-lost {
		p.log.Warn("poller: lease lost; this node stopped polling")
		return
	}
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer rcancel()
	if err := p.cfg.Leases.Release(rctx, p.cfg.Lease, p.cfg.Holder); err != nil {
		p.log.Warn("poller: release lease", "err", err)
	}
	p.log.Info("poller: this node stopped polling")
}

// rounds runs Start, then Poll over and over, until ctx ends.
func (p *poller) rounds(ctx context.Context) {
	started := p.cfg.Start == nil
	for ctx.Err() == nil {
		var err error
		if !started {
			err = p.cfg.Start(ctx)
			started = err == nil
		} else {
			err = p.cfg.Poll(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d := p.bo.Next()
			p.log.Warn("poller: round failed; retrying", "err", err, "in", d)
			p.wait(ctx, d)
			continue
		}
		p.bo.Reset()
	}
}

// renew keeps the lease every TTL/3 until ctx ends. It cancels polling and
// reports true when the lease was lost: taken by another node, or not
// renewable for long enough that it may have run out.
func (p *poller) renew(ctx context.Context, stop context.CancelFunc) bool {
	t := time.NewTicker(p.cfg.TTL / 3)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
		ok, err := p.cfg.Leases.Acquire(ctx, p.cfg.Lease, p.cfg.Holder, p.cfg.TTL)
		switch {
		case ctx.Err() != nil:
			return false
		case err != nil && time.Since(lastOK) >= p.cfg.TTL/2:
			p.log.Warn("poller: lease not renewable; stopping", "err", err)
			stop()
			return true
		case err != nil:
			p.log.Warn("poller: renew lease", "err", err)
		case !ok:
			p.log.Warn("poller: lease taken by another node; stopping")
			stop()
			return true
		default:
			lastOK = time.Now()
		}
	}
}
