package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"huiliu/channels"
	"huiliu/channels/poller"
)

// allowedUpdates are the update kinds we ask for: messages, their edits
// and button taps (satisfaction surveys, survey.go).
var allowedUpdates = []string{"message", "edited_message", "callback_query"}

const (
	pollLimit    = 100
	pollGrace    = 15 * time.Second // beyond PollTimeout before a long poll counts as hung
	storeTimeout = 5 * time.Second
)

// Run polls every bot in polling mode into sink until ctx ends, on
// whichever node holds the bot's lease (see package poller), follows
// Replace by starting and stopping pollers, and returns nil once every
// poller has stopped. Bots in webhook mode receive through WebhookHandler
// instead; with Deps.PublicURL set, Run registers their webhooks. With no
// polling bot Run only waits for ctx, as a channels.Receiver does.
func (c *Channel) Run(ctx context.Context, sink channels.Sink) error {
	type running struct {
		b      *bot
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
			if set.byName[name] != r.b {
				stop(name)
			}
		}
		for _, name := range set.order {
			b := set.byName[name]
			if b.cfg.Mode == ModeWebhook {
				c.registerWebhook(ctx, b)
				continue
			}
			if pollers[name] != nil {
				continue
			}
			pctx, cancel := context.WithCancel(ctx)
			r := &running{b: b, cancel: cancel, done: make(chan struct{})}
			pollers[name] = r
			go func() {
				defer close(r.done)
				c.poll(pctx, b, sink)
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

// registerWebhook sets a webhook bot's webhook under Deps.PublicURL once
// per bot and settings on this node. A refusal is logged and shown in the
// bot's status, not fatal: the other bots keep working.
func (c *Channel) registerWebhook(ctx context.Context, b *bot) {
	if c.deps.PublicURL == "" {
		return
	}
	b.mu.Lock()
	done := b.webhookSet
	b.webhookSet = true
	b.mu.Unlock()
	if done {
		return
	}
	if err := c.setWebhook(ctx, b, c.deps.PublicURL); err != nil && ctx.Err() == nil {
		c.log.Error("telegram: set webhook", "bot", b.cfg.Name, "err", err)
	}
}

// poll runs one bot's poller until ctx ends.
func (c *Channel) poll(ctx context.Context, b *bot, sink channels.Sink) {
	log := c.log.With("bot", b.cfg.Name)
	err := poller.Run(ctx, poller.Config{
		Lease:     leaseName(b.cfg.Name),
		Holder:    c.holder,
		Leases:    c.deps.Leases,
		TTL:       c.leaseTTL,
		RetryBase: c.retryBase,
		RetryCap:  retryCap,
		Logger:    log,
		Start: func(ctx context.Context) error {
			// ctx ends when this node stops holding the lease.
			b.health.setPolling(true)
			context.AfterFunc(ctx, func() { b.health.setPolling(false) })
			// Telegram refuses getUpdates while a webhook is set;
			// deleting it keeps the pending updates. A failure is
			// only logged: getUpdates' 409 tries again.
			if err := c.deleteWebhook(ctx, b); err != nil && ctx.Err() == nil {
				log.Warn("telegram: deleteWebhook", "err", err)
			}
			return nil
		},
		Poll: func(ctx context.Context) error { return c.pollOnce(ctx, b, sink) },
	})
	if err != nil {
		log.Error("telegram: poller", "err", err)
	}
}

func leaseName(bot string) string { return "telegram:poll:" + bot }

// pollOnce is one getUpdates round. An update is acknowledged (its offset
// stored) only after the sink committed it; when the sink fails, the round
// fails and the same update is offered again after the poller's backoff.
func (c *Channel) pollOnce(ctx context.Context, b *bot, sink channels.Sink) error {
	offset, err := c.deps.Offsets.Offset(ctx, b.cfg.Name)
	if err != nil {
		return fmt.Errorf("telegram %s: read offset: %w", b.cfg.Name, err)
	}
	raws, err := c.getUpdates(ctx, b, offset)
	if err != nil {
		var ae *APIError
		if ctx.Err() == nil && errors.As(err, &ae) && ae.Code == 409 && strings.Contains(ae.Description, "webhook") {
			if derr := c.deleteWebhook(ctx, b); derr != nil {
				c.log.Warn("telegram: deleteWebhook", "bot", b.cfg.Name, "err", derr)
			}
		}
		return fmt.Errorf("telegram %s: getUpdates: %w", b.cfg.Name, err)
	}
	if !c.ingestBatch(ctx, b, sink, raws) {
		return fmt.Errorf("telegram %s: %w", b.cfg.Name, errBatchHeldBack)
	}
	return nil
}

// errBatchHeldBack is a round that could not store all of its updates;
// ingestBatch has logged which.
var errBatchHeldBack = errors.New("updates held back for another try")

// ingestBatch stores a batch and reports whether it made progress without
// a failure. Updates of one chat are stored in order, one after another;
// different chats are stored side by side, so their commits can share the
// database's group commit. The offset then moves once, past the longest
// prefix of the batch that is stored: an update after a failed one may be
// stored already and is offered again, and the desk drops it as a replay
// of its external id.
func (c *Channel) ingestBatch(ctx context.Context, b *bot, sink channels.Sink, raws []json.RawMessage) bool {
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
					ids[i], errs[i] = c.handleUpdate(ctx, b, sink, raws[i])
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
