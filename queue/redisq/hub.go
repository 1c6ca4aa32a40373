package redisq

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"huiliu/queue"
)

// readBatch is how many entries one XRANGE reads.
const readBatch = 512

// hub fans the bus out on one node: one pub/sub connection for the
// notifications of every stream, and per stream with local subscribers
// one worker that reads new entries once and hands them to all of them.
type hub struct {
	b      *Backend
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	started bool
	closed  bool
	ps      *redis.PubSub
	streams map[string]*rstream
}

type rstream struct {
	name      string
	head, log string
	refs      int // subscribers, live or replaying; guarded by hub.mu
	kick      chan struct{}
	done      chan struct{}
	seen      atomic.Int64 // copy of last for cheap checks

	mu     sync.Mutex
	epoch  string        // the epoch of last and recent
	last   int64         // everything up to here went to the live subs
	recent []queue.Entry // the newest entries, contiguous, ending at last
	subs   map[*rsub]struct{}
}

type rsub struct {
	ch     chan queue.Entry
	epoch  string // the stream's epoch when it subscribed; fixed
	cursor int64  // last seq sent; the worker skips what replay already sent
	cancel context.CancelFunc
	stop   func() bool
	closed bool
}

func newHub(b *Backend) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &hub{b: b, ctx: ctx, cancel: cancel, streams: map[string]*rstream{}}
}

// start opens the notification connection; h.mu is held. Subscribe waits
// for the confirmation, so any publish after it is notified.
func (h *hub) start(ctx context.Context) error {
	if h.started {
		return nil
	}
	ps := h.b.rdb.Subscribe(h.ctx, h.b.busChannel())
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return err
	}
	h.ps = ps
	h.started = true
	h.wg.Add(2)
	go h.listen(ps.ChannelWithSubscriptions(redis.WithChannelSize(4096)))
	go h.poll()
	return nil
}

func (h *hub) subscribe(ctx context.Context, name string, from queue.Position) (<-chan queue.Entry, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, queue.ErrClosed
	}
	if err := h.start(ctx); err != nil {
		h.mu.Unlock()
		return nil, err
	}
	s, err := h.acquire(ctx, name)
	if err != nil {
		h.mu.Unlock()
		return nil, err
	}
	h.wg.Add(1)
	h.mu.Unlock()

	// The subscription ends with ctx or with the backend.
	sctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(h.ctx, cancel)
	sub := &rsub{ch: make(chan queue.Entry, h.b.cfg.buffer), cancel: func() { stop(); cancel() }}

	last, err := h.b.last(ctx, name)
	if err != nil {
		sub.cancel()
		h.wg.Done()
		h.release(s)
		return nil, err
	}
	after := from.Seq
	switch {
	case after == -1:
		after = last.Seq
	case from.Epoch != last.Epoch || after > last.Seq:
		// The resume point comes from a previous life of this stream.
		sub.ch <- queue.Entry{Seq: last.Seq, Epoch: last.Epoch, Reset: true}
		after = last.Seq
	}
	sub.cursor = after
	sub.epoch = last.Epoch
	go h.replay(sctx, s, sub, last.Seq)
	return sub.ch, nil
}

// acquire returns the stream's fan-out, starting it if needed; h.mu is
// held.
func (h *hub) acquire(ctx context.Context, name string) (*rstream, error) {
	if s, ok := h.streams[name]; ok {
		s.refs++
		return s, nil
	}
	last, err := h.b.last(ctx, name)
	if err != nil {
		return nil, err
	}
	head, log := h.b.busKeys(name)
	s := &rstream{
		name: name, head: head, log: log, refs: 1,
		kick: make(chan struct{}, 1), done: make(chan struct{}),
		epoch: last.Epoch, last: last.Seq, subs: map[*rsub]struct{}{},
	}
	s.seen.Store(last.Seq)
	h.streams[name] = s
	h.wg.Add(1)
	go h.work(s)
	return s, nil
}

// release drops one subscriber's hold on s and stops its worker with the
// last one. It must not be called with s.mu held.
func (h *hub) release(s *rstream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.refs--
	if s.refs == 0 {
		if h.streams[s.name] == s {
			delete(h.streams, s.name)
		}
		close(s.done)
	}
}

// replay sends the backlog after sub.cursor with blocking sends (the
// reader sets the pace), then joins the live fan-out. Joining happens
// under s.mu once the subscriber has caught up with what the worker
// delivered: entries the worker delivered that replay has not sent are
// filled in from s.recent, entries replay sent that the worker has not
// yet delivered are skipped by the cursor; so there is no gap and no
// duplicate between the two phases. An entry of another epoch than the
// subscriber's ends it: resuming then gives a Reset.
func (h *hub) replay(ctx context.Context, s *rstream, sub *rsub, lastAtStart int64) {
	defer h.wg.Done()
	fail := func() {
		sub.cancel()
		close(sub.ch)
		h.release(s)
	}
	send := func(e queue.Entry) bool {
		select {
		case sub.ch <- e:
			sub.cursor = e.Seq
			return true
		case <-ctx.Done():
			return false
		}
	}
	first, behind := true, false
	for {
		if ctx.Err() != nil {
			fail()
			return
		}
		entries, err := h.b.readLog(ctx, s.log, sub.cursor+1, readBatch)
		if err != nil {
			if ctx.Err() == nil {
				h.b.cfg.log.Warn("redisq: replay", "stream", s.name, "err", err)
				select {
				case <-time.After(100 * time.Millisecond):
				case <-ctx.Done():
				}
			}
			continue
		}
		if len(entries) > 0 && entries[len(entries)-1].Epoch != sub.epoch {
			fail()
			return
		}
		switch {
		case len(entries) > 0 && entries[0].Seq != sub.cursor+1:
			if !first {
				// Trimmed past us while replaying: resuming gives a Reset.
				fail()
				return
			}
			if !send(queue.Entry{Seq: entries[0].Seq - 1, Epoch: sub.epoch, Reset: true}) {
				fail()
				return
			}
		case len(entries) == 0 && first && sub.cursor < lastAtStart:
			// Everything up to lastAtStart is gone (the log expired).
			if !send(queue.Entry{Seq: lastAtStart, Epoch: sub.epoch, Reset: true}) {
				fail()
				return
			}
		case len(entries) == 0 && behind:
			// The worker saw entries that are no longer there.
			fail()
			return
		}
		first = false
		for _, e := range entries {
			if !send(e) {
				fail()
				return
			}
		}
		if len(entries) == readBatch {
			continue
		}
		if h.join(ctx, s, sub) {
			return
		}
		behind = true
		if len(entries) == 0 {
			// The worker is ahead by more than can be filled in; let
			// the entries it saw be read on the next round.
			select {
			case <-time.After(10 * time.Millisecond):
			case <-ctx.Done():
			}
		}
	}
}

// join makes sub live if it has caught up with the worker.
func (h *hub) join(ctx context.Context, s *rstream, sub *rsub) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.epoch != sub.epoch {
		return false
	}
	if sub.cursor < s.last {
		gap := int(s.last - sub.cursor)
		if len(s.recent) == 0 || s.recent[0].Seq > sub.cursor+1 || gap > cap(sub.ch)-len(sub.ch) {
			return false
		}
		for _, e := range s.recent[len(s.recent)-gap:] {
			sub.ch <- e // room was checked, and only this goroutine sends yet
			sub.cursor = e.Seq
		}
	}
	s.subs[sub] = struct{}{}
	sub.stop = context.AfterFunc(ctx, func() { h.drop(s, sub) })
	return true
}

// drop ends a live subscriber.
func (h *hub) drop(s *rstream, sub *rsub) {
	s.mu.Lock()
	ended := h.dropLocked(s, sub)
	s.mu.Unlock()
	if ended {
		h.release(s)
	}
}

// dropLocked closes sub; s.mu is held. The caller releases s if it
// returns true.
func (h *hub) dropLocked(s *rstream, sub *rsub) bool {
	if sub.closed {
		return false
	}
	sub.closed = true
	delete(s.subs, sub)
	close(sub.ch)
	if sub.stop != nil {
		sub.stop()
	}
	sub.cancel()
	return true
}

func (s *rstream) poke() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// work reads new entries of s when poked and fans them out.
func (h *hub) work(s *rstream) {
	defer h.wg.Done()
	for {
		select {
		case <-s.done:
			return
		case <-h.ctx.Done():
			return
		case <-s.kick:
		}
		h.fetch(s)
	}
}

func (h *hub) fetch(s *rstream) {
	keep := max(h.b.cfg.buffer, readBatch)
	for {
		s.mu.Lock()
		from := s.last + 1
		s.mu.Unlock()
		entries, err := h.b.readLog(h.ctx, s.log, from, readBatch)
		if err != nil {
			if h.ctx.Err() == nil {
				h.b.cfg.log.Warn("redisq: read stream", "stream", s.name, "err", err)
			}
			return // the next poll retries
		}
		var dropped int
		s.mu.Lock()
		if s.last != from-1 {
			s.mu.Unlock()
			continue // reset by the poller meanwhile
		}
		if len(entries) > 0 && (entries[0].Seq != from || entries[len(entries)-1].Epoch != s.epoch) {
			// Entries vanished before this node read them, or the
			// stream started a new epoch: nobody here can have them
			// without a gap.
			dropped += h.dropAllLocked(s)
			s.recent = nil
			s.epoch = entries[len(entries)-1].Epoch
		}
		for _, e := range entries {
			for sub := range s.subs {
				if e.Seq <= sub.cursor {
					continue
				}
				select {
				case sub.ch <- e:
					sub.cursor = e.Seq
				default:
					// Too far behind: it resumes with a new Subscribe.
					if h.dropLocked(s, sub) {
						dropped++
					}
				}
			}
			s.last = e.Seq
			s.recent = append(s.recent, e)
		}
		if len(s.recent) > 2*keep {
			s.recent = append([]queue.Entry(nil), s.recent[len(s.recent)-keep:]...)
		}
		s.seen.Store(s.last)
		s.mu.Unlock()
		for range dropped {
			h.release(s)
		}
		if len(entries) < readBatch {
			return
		}
	}
}

// dropAllLocked closes every live subscriber of s; s.mu is held. It
// returns how many references to release.
func (h *hub) dropAllLocked(s *rstream) int {
	n := 0
	for sub := range s.subs {
		if h.dropLocked(s, sub) {
			n++
		}
	}
	return n
}

// listen pokes the workers of streams named in notifications.
func (h *hub) listen(ch <-chan any) {
	defer h.wg.Done()
	for {
		select {
		case <-h.ctx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			switch m := m.(type) {
			case *redis.Subscription:
				// Resubscribed after a reconnect: notifications may
				// have been lost meanwhile.
				for _, s := range h.snapshot() {
					s.poke()
				}
			case *redis.Message:
				seqText, name, ok := strings.Cut(m.Payload, " ")
				seq, err := strconv.ParseInt(seqText, 10, 64)
				if !ok || err != nil {
					continue
				}
				h.mu.Lock()
				s := h.streams[name]
				h.mu.Unlock()
				if s != nil && seq > s.seen.Load() {
					s.poke()
				}
			}
		}
	}
}

func (h *hub) snapshot() []*rstream {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*rstream, 0, len(h.streams))
	for _, s := range h.streams {
		out = append(out, s)
	}
	return out
}

// poll catches up streams whose notifications were lost, and notices when
// Redis lost a stream (its head went back or changed epoch), with one pipelined HMGET per
// tick for all streams with local subscribers.
func (h *hub) poll() {
	defer h.wg.Done()
	t := time.NewTicker(h.b.cfg.poll)
	defer t.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-t.C:
		}
		streams := h.snapshot()
		if len(streams) == 0 {
			continue
		}
		// What this node had seen is read before the counters: a counter
		// read afterwards can only be at least that, unless Redis lost it.
		// Read in the other order, entries delivered in between would look
		// like a counter going backwards.
		before := make([]queue.Position, len(streams))
		for i, s := range streams {
			s.mu.Lock()
			before[i] = queue.Position{Epoch: s.epoch, Seq: s.seen.Load()}
			s.mu.Unlock()
		}
		cmds := make([]*redis.SliceCmd, len(streams))
		_, err := h.b.rdb.Pipelined(h.ctx, func(p redis.Pipeliner) error {
			for i, s := range streams {
				cmds[i] = p.HMGet(h.ctx, s.head, "seq", "epoch")
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			if h.ctx.Err() == nil {
				h.b.cfg.log.Warn("redisq: poll streams", "err", err)
			}
			continue
		}
		for i, s := range streams {
			vals, err := cmds[i].Result()
			if err != nil {
				continue
			}
			now, err := parseHead(vals)
			if err != nil {
				continue
			}
			switch {
			case now.Seq < before[i].Seq || now.Epoch != before[i].Epoch:
				h.lost(s, now)
			case now.Seq > before[i].Seq:
				s.poke()
			}
		}
	}
}

// lost handles a stream whose head went back or changed epoch (Redis lost
// it): its subscribers cannot continue, and resuming gives them a Reset.
func (h *hub) lost(s *rstream, now queue.Position) {
	s.mu.Lock()
	dropped := h.dropAllLocked(s)
	s.epoch = now.Epoch
	s.last = now.Seq
	s.recent = nil
	s.seen.Store(now.Seq)
	s.mu.Unlock()
	for range dropped {
		h.release(s)
	}
}

// close stops everything and closes every subscriber channel.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	ps := h.ps
	h.mu.Unlock()
	h.cancel()
	if ps != nil {
		_ = ps.Close()
	}
	h.wg.Wait()
	for _, s := range h.snapshot() {
		s.mu.Lock()
		h.dropAllLocked(s)
		s.mu.Unlock()
	}
}
