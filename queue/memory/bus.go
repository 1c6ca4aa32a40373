package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"huiliu/queue"
)

// replayBatch is how many backlog entries a subscriber copies per lock.
const replayBatch = 256

type bus struct {
	b       *Backend
	mu      sync.Mutex
	streams map[string]*stream
	sweep   sweeper
}

type entry struct {
	seq  int64
	data []byte
}

type stream struct {
	epoch string
	last  int64
	// log holds the retained entries, contiguous by seq; it is compacted
	// when it reaches twice the retention so appends stay amortised O(1).
	log      []entry
	subs     map[*subscriber]struct{}
	replayer int // subscribers still replaying the backlog
	used     time.Time
}

type subscriber struct {
	ch     chan queue.Entry
	cursor int64 // last seq sent
	stop   func() bool
	closed bool
}

func newBus(b *Backend) *bus {
	return &bus{b: b, streams: map[string]*stream{}}
}

// oldest is the first retained seq (last+1 when nothing is retained).
func (s *stream) oldest() int64 {
	if len(s.log) == 0 {
		return s.last + 1
	}
	return s.log[0].seq
}

func (bu *bus) get(name string) *stream {
	s, ok := bu.streams[name]
	if !ok {
		s = &stream{epoch: queue.NewEpoch(), subs: map[*subscriber]struct{}{}}
		bu.streams[name] = s
	}
	s.used = bu.b.now()
	return s
}

func (bu *bus) Publish(ctx context.Context, name string, data []byte) (int64, error) {
	if err := bu.b.check(ctx); err != nil {
		return 0, fmt.Errorf("memory: publish %s: %w", name, err)
	}
	e := entry{data: append([]byte(nil), data...)}
	bu.mu.Lock()
	defer bu.mu.Unlock()
	bu.maybeSweep()
	s := bu.get(name)
	s.last++
	e.seq = s.last
	s.log = append(s.log, e)
	if r := bu.b.cfg.retention; len(s.log) > r {
		if len(s.log) >= 2*r {
			s.log = append([]entry(nil), s.log[len(s.log)-r:]...)
		} else {
			// Clear the dropped slot so its data can be collected.
			s.log[0] = entry{}
			s.log = s.log[1:]
		}
	}
	out := queue.Entry{Seq: e.seq, Epoch: s.epoch, Data: e.data}
	for sub := range s.subs {
		select {
		case sub.ch <- out:
			sub.cursor = e.seq
		default:
			// Too far behind: drop it so the publisher never waits; it
			// resumes with a new Subscribe from its last seq.
			bu.drop(s, sub)
		}
	}
	return e.seq, nil
}

func (bu *bus) Last(ctx context.Context, name string) (queue.Position, error) {
	if err := bu.b.check(ctx); err != nil {
		return queue.Position{}, fmt.Errorf("memory: last %s: %w", name, err)
	}
	bu.mu.Lock()
	defer bu.mu.Unlock()
	s := bu.get(name)
	return queue.Position{Epoch: s.epoch, Seq: s.last}, nil
}

func (bu *bus) Subscribe(ctx context.Context, name string, from queue.Position) (<-chan queue.Entry, error) {
	after := from.Seq
	if after < -1 {
		return nil, invalid("subscribe %s: after %d", name, after)
	}
	if err := bu.b.check(ctx); err != nil {
		return nil, fmt.Errorf("memory: subscribe %s: %w", name, err)
	}
	sub := &subscriber{ch: make(chan queue.Entry, bu.b.cfg.buffer)}
	bu.mu.Lock()
	defer bu.mu.Unlock()
	s := bu.get(name)
	switch {
	case after == -1:
		after = s.last
	case from.Epoch != s.epoch || after > s.last:
		// The resume point comes from a previous life of this stream.
		sub.ch <- queue.Entry{Seq: s.last, Epoch: s.epoch, Reset: true}
		after = s.last
	case after+1 < s.oldest():
		after = s.oldest() - 1
		sub.ch <- queue.Entry{Seq: after, Epoch: s.epoch, Reset: true}
	}
	sub.cursor = after
	if after == s.last {
		bu.join(ctx, s, sub)
		return sub.ch, nil
	}
	s.replayer++
	go bu.replay(ctx, s, sub)
	return sub.ch, nil
}

// replay sends the backlog with blocking sends (the reader sets the pace),
// then joins the live fan-out once it has caught up under the lock, so no
// entry is missed or repeated between the two phases.
func (bu *bus) replay(ctx context.Context, s *stream, sub *subscriber) {
	batch := make([]entry, 0, replayBatch)
	for {
		bu.mu.Lock()
		if ctx.Err() != nil || bu.b.closed() || sub.cursor+1 < s.oldest() {
			// Cancelled, closed, or trimmed past while replaying: the
			// subscriber resumes from its last seq and gets a Reset.
			s.replayer--
			bu.mu.Unlock()
			close(sub.ch)
			return
		}
		if sub.cursor == s.last {
			s.replayer--
			bu.join(ctx, s, sub)
			bu.mu.Unlock()
			return
		}
		i := int(sub.cursor + 1 - s.oldest())
		j := min(i+replayBatch, len(s.log))
		batch = append(batch[:0], s.log[i:j]...)
		bu.mu.Unlock()
		// On cancel the loop above closes the channel; sending anything
		// after a skipped entry would create a gap.
	send:
		for _, e := range batch {
			select {
			case sub.ch <- queue.Entry{Seq: e.seq, Epoch: s.epoch, Data: e.data}:
				sub.cursor = e.seq
			case <-ctx.Done():
				break send
			case <-bu.b.done:
				break send
			}
		}
	}
}

// join makes sub live; bu.mu is held.
func (bu *bus) join(ctx context.Context, s *stream, sub *subscriber) {
	if ctx.Err() != nil || bu.b.closed() {
		sub.closed = true
		close(sub.ch)
		return
	}
	s.subs[sub] = struct{}{}
	sub.stop = context.AfterFunc(ctx, func() {
		bu.mu.Lock()
		defer bu.mu.Unlock()
		bu.drop(s, sub)
	})
}

// drop ends a live subscriber; bu.mu is held.
func (bu *bus) drop(s *stream, sub *subscriber) {
	if sub.closed {
		return
	}
	sub.closed = true
	delete(s.subs, sub)
	close(sub.ch)
	if sub.stop != nil {
		sub.stop()
	}
	s.used = bu.b.now()
}

func (bu *bus) closeAll() {
	bu.mu.Lock()
	defer bu.mu.Unlock()
	for _, s := range bu.streams {
		for sub := range s.subs {
			bu.drop(s, sub)
		}
	}
}

// maybeSweep frees the entries of streams idle for the idle TTL. The last
// sequence is kept so a later Publish continues the numbering and a late
// resume gets a Reset instead of a silent gap. bu.mu is held.
func (bu *bus) maybeSweep() {
	now := bu.b.now()
	if !bu.sweep.due(now) {
		return
	}
	for name, s := range bu.streams {
		if len(s.subs) > 0 || s.replayer > 0 || now.Sub(s.used) < bu.b.cfg.idleTTL {
			continue
		}
		if s.last == 0 {
			delete(bu.streams, name)
			continue
		}
		s.log = nil
	}
}
