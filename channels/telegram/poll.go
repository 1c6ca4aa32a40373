package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"huiliu/channels"
)

// allowedUpdates are the update kinds we ask for: messages and their edits.
var allowedUpdates = []string{"message", "edited_message"}

const (
	pollLimit      = 100
	pollGrace      = 15 * time.Second // beyond PollTimeout before a long poll counts as hung
	storeTimeout   = 5 * time.Second
	releaseTimeout = 5 * time.Second
)

// Run polls every bot in polling mode until ctx ends, on whichever node
// holds the bot's lease. It returns nil once every poller has stopped;
// with no polling bot it returns at once.
func (c *Channel) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, name := range c.order {
		b := c.bots[name]
		if b.cfg.Mode != ModePolling {
			continue
		}
		wg.Go(func() { c.runPoller(ctx, b) })
	}
	wg.Wait()
	return nil
}

func leaseName(bot string) string { return "telegram:poll:" + bot }

// runPoller waits for the bot's lease and polls while it holds it. A node
// that dies stops renewing; its lease runs out and another node's poller
// takes over within a ttl.
func (c *Channel) runPoller(ctx context.Context, b *bot) {
	log := c.log.With("bot", b.cfg.Name, "holder", c.holder)
	name := leaseName(b.cfg.Name)
	for ctx.Err() == nil {
		ok, err := c.deps.Leases.Acquire(ctx, name, c.holder, c.leaseTTL)
		if err != nil && ctx.Err() == nil {
			log.Warn("telegram: acquire poll lease", "err", err)
		}
		if err != nil || !ok {
			channels.Sleep(ctx, jitter(c.leaseTTL/3))
			continue
		}
		log.Info("telegram: this node polls the bot")
		c.pollWhileHeld(ctx, b, name)
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
		if err := c.deps.Leases.Release(rctx, name, c.holder); err != nil {
			log.Warn("telegram: release poll lease", "err", err)
		}
		cancel()
		log.Info("telegram: this node stopped polling the bot")
	}
}

// pollWhileHeld polls until ctx ends or the lease is lost.
func (c *Channel) pollWhileHeld(ctx context.Context, b *bot, name string) {
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		c.renew(pctx, cancel, b, name)
	}()
	c.poll(pctx, b)
	cancel()
	<-renewed
}

// renew keeps the lease every ttl/3 and cancels polling when it is lost,
// or when it cannot be renewed for long enough that it may have run out.
func (c *Channel) renew(ctx context.Context, stop context.CancelFunc, b *bot, name string) {
	log := c.log.With("bot", b.cfg.Name, "holder", c.holder)
	t := time.NewTicker(c.leaseTTL / 3)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := c.deps.Leases.Acquire(ctx, name, c.holder, c.leaseTTL)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			if time.Since(lastOK) >= c.leaseTTL/2 {
				log.Warn("telegram: poll lease not renewable; stopping", "err", err)
				stop()
				return
			}
			log.Warn("telegram: renew poll lease", "err", err)
		case !ok:
			log.Warn("telegram: poll lease taken by another node; stopping")
			stop()
			return
		default:
			lastOK = time.Now()
		}
	}
}

// poll is the getUpdates loop. An update is acknowledged (its offset
// stored) only after the sink committed it; when the sink fails, the
// batch stops and the same update is offered again after a backoff.
func (c *Channel) poll(ctx context.Context, b *bot) {
	log := c.log.With("bot", b.cfg.Name)
	bo := backoff{base: c.retryBase, cap: retryCap}
	// Telegram refuses getUpdates while a webhook is set; deleting it keeps
	// the pending updates.
	if err := c.deleteWebhook(ctx, b); err != nil && ctx.Err() == nil {
		log.Warn("telegram: deleteWebhook", "err", err)
	}
	for ctx.Err() == nil {
		offset, err := c.deps.Offsets.Offset(ctx, b.cfg.Name)
		if err != nil {
			if ctx.Err() == nil {
				log.Error("telegram: read offset", "err", err)
				bo.wait(ctx)
			}
			continue
		}
		raws, err := c.getUpdates(ctx, b, offset)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var ae *APIError
			if errors.As(err, &ae) && ae.Code == 409 && strings.Contains(ae.Description, "webhook") {
				if derr := c.deleteWebhook(ctx, b); derr != nil {
					log.Warn("telegram: deleteWebhook", "err", derr)
				}
			}
			log.Warn("telegram: getUpdates", "err", err)
			bo.wait(ctx)
			continue
		}
		if !c.ingestBatch(ctx, b, raws) {
			bo.wait(ctx)
			continue
		}
		bo.reset()
	}
}

// ingestBatch stores a batch and reports whether it made progress without
// a failure. Updates of one chat are stored in order, one after another;
// different chats are stored side by side, so their commits can share the
// database's group commit. The offset then moves once, past the longest
// prefix of the batch that is stored: an update after a failed one may be
// stored already and is offered again, and the desk drops it as a replay
// of its external id.
func (c *Channel) ingestBatch(ctx context.Context, b *bot, raws []json.RawMessage) bool {
	log := c.log.With("bot", b.cfg.Name)
	if len(raws) == 0 {
		return true // an empty long poll is fine
	}
	ids := make([]int, len(raws))
	errs := make([]error, len(raws))
	lanes := map[int64][]int{}
	var order []int64
	for i, raw := range raws {
		chat := chatOf(raw)
		if _, ok := lanes[chat]; !ok {
			order = append(order, chat)
		}
		lanes[chat] = append(lanes[chat], i)
	}
	work := make(chan []int)
	var wg sync.WaitGroup
	for range min(ingestWorkers, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lane := range work {
				for _, i := range lane {
					ids[i], errs[i] = c.handleUpdate(ctx, b, raws[i])
					if errs[i] != nil && !errors.Is(errs[i], errUndecodable) {
						// Later updates of this chat wait for this one.
						for _, k := range lane[slices.Index(lane, i)+1:] {
							errs[k] = errNotTried
						}
						break
					}
				}
			}
		}()
	}
	for _, chat := range order {
		work <- lanes[chat]
	}
	close(work)
	wg.Wait()

	next := -1
	for i, err := range errs {
		if errors.Is(err, errUndecodable) {
			continue // no id to acknowledge it by; a later update's offset does
		}
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, errNotTried) {
				log.Error("telegram: update not stored; will offer it again", "update_id", ids[i], "err", err)
			}
			break
		}
		next = ids[i] + 1
	}
	if next < 0 {
		return false
	}
	// Stored: acknowledge even if we are being stopped, so a graceful
	// shutdown does not leave a redelivery behind.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	err := c.deps.Offsets.SetOffset(sctx, b.cfg.Name, int64(next))
	cancel()
	if err != nil {
		log.Error("telegram: store offset", "next", next, "err", err)
		return false
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, errUndecodable) {
			return false
		}
	}
	return ctx.Err() == nil
}

// ingestWorkers bounds how many chats of one batch are stored at once.
const ingestWorkers = 16

// errNotTried marks an update held back because an earlier update of its
// chat failed.
var errNotTried = errors.New("not tried: an earlier update of the chat failed")

// chatOf reads just enough of a raw update to keep one chat's updates in
// order; anything unreadable shares lane 0 and is handled in order there.
func chatOf(raw json.RawMessage) int64 {
	var u struct {
		Message       *struct{ Chat struct{ ID int64 } } `json:"message"`
		EditedMessage *struct{ Chat struct{ ID int64 } } `json:"edited_message"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return 0
	}
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	}
	return 0
}

type getUpdatesParams struct {
	Offset         int64    `json:"offset,omitempty"`
	Limit          int      `json:"limit"`
	Timeout        int      `json:"timeout"`
	AllowedUpdates []string `json:"allowed_updates"`
}

// getUpdates is one long poll, bound to ctx so shutdown and a lost lease
// end it at once (the library's update channel cannot be stopped).
func (c *Channel) getUpdates(ctx context.Context, b *bot, offset int64) ([]json.RawMessage, error) {
	rctx, cancel := context.WithTimeout(ctx, b.cfg.PollTimeout+pollGrace)
	defer cancel()
	var raws []json.RawMessage
	err := c.call(rctx, b, "getUpdates", getUpdatesParams{
		Offset:         offset,
		Limit:          pollLimit,
		Timeout:        int(b.cfg.PollTimeout / time.Second),
		AllowedUpdates: allowedUpdates,
	}, &raws)
	return raws, err
}

func (c *Channel) deleteWebhook(ctx context.Context, b *bot) error {
	return c.call(ctx, b, "deleteWebhook", map[string]bool{"drop_pending_updates": false}, nil)
}

// backoff is exponential with full jitter, capped.
type backoff struct {
	base, cap time.Duration
	n         int
}

func (bo *backoff) wait(ctx context.Context) {
	d := bo.base
	for i := 0; i < bo.n && d < bo.cap; i++ {
		d *= 2
	}
	bo.n++
	channels.Sleep(ctx, jitter(min(d, bo.cap)))
}

func (bo *backoff) reset() { bo.n = 0 }

// jitter spreads d over [d/2, d) so nodes do not retry in step.
func jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}
