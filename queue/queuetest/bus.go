package queuetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"huiliu/queue"
)

func (s *suite) bus(t *testing.T) {
	t.Run("SequencesPerStream", s.busSequences)
	t.Run("ConcurrentPublishers", s.busConcurrent)
	t.Run("SubscribeAfter", s.busAfter)
	t.Run("ResumeWhilePublishing", s.busResume)
	t.Run("FromNow", s.busFromNow)
	t.Run("ResetWhenTrimmed", s.busReset)
	t.Run("ResetWhenAhead", s.busAhead)
	t.Run("ResetOnOtherEpoch", s.busOtherEpoch)
	t.Run("ResetAfterLoss", s.busLoss)
	t.Run("SlowSubscriberDropped", s.busSlow)
	t.Run("CancelCloses", s.busCancel)
	t.Run("CrossNode", s.busCrossNode)
	t.Run("ManySubscribers", s.busMany)
	t.Run("CloseEndsSubscriptions", s.busClose)
}

func payload(stream string, seq int64) []byte {
	return []byte(stream + "#" + strconv.FormatInt(seq, 10))
}

// next receives one entry or fails; ok is false when the channel closed.
func next(t *testing.T, ch <-chan queue.Entry) (queue.Entry, bool) {
	t.Helper()
	select {
	case e, ok := <-ch:
		return e, ok
	case <-time.After(waitFor):
		t.Fatal("no entry within the deadline")
		return queue.Entry{}, false
	}
}

// follower reads a stream from after up to upTo the way a real client
// does: when its channel is closed for lagging it subscribes again from its
// last seq. It reports any gap, duplicate, Reset or wrong payload.
func follow(ctx context.Context, bus queue.Bus, stream string, after, upTo int64, want func(int64) []byte) (resubscribes int, err error) {
	last := after
	head, err := bus.Last(ctx, stream)
	if err != nil {
		return 0, err
	}
	epoch := head.Epoch
	for last < upTo {
		err := func() error {
			sctx, cancel := context.WithCancel(ctx)
			defer cancel()
			ch, err := bus.Subscribe(sctx, stream, queue.Position{Epoch: epoch, Seq: last})
			if err != nil {
				return fmt.Errorf("subscribe after %d: %w", last, err)
			}
			for e := range ch {
				switch {
				case e.Reset:
					return fmt.Errorf("unexpected Reset at %d (after %d)", e.Seq, last)
				case e.Seq != last+1:
					return fmt.Errorf("got seq %d after %d", e.Seq, last)
				case want != nil && string(e.Data) != string(want(e.Seq)):
					return fmt.Errorf("seq %d: data %q, want %q", e.Seq, e.Data, want(e.Seq))
				}
				last = e.Seq
				if last == upTo {
					return nil
				}
			}
			return nil
		}()
		if err != nil {
			return resubscribes, err
		}
		if last == upTo {
			break
		}
		if ctx.Err() != nil {
			return resubscribes, fmt.Errorf("stopped at %d of %d: %w", last, upTo, ctx.Err())
		}
		resubscribes++
	}
	return resubscribes, nil
}

func (s *suite) busSequences(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	if n, err := b.Last(ctx, "a"); err != nil || n.Seq != 0 || n.Epoch == "" {
		t.Fatalf("Last of empty stream = %+v, %v; want 0 and an epoch", n, err)
	}
	for i := int64(1); i <= 5; i++ {
		for _, st := range []string{"a", "b"} {
			if st == "b" && i > 3 {
				continue
			}
			seq, err := b.Publish(ctx, st, payload(st, i))
			if err != nil || seq != i {
				t.Fatalf("Publish %s #%d = %d, %v", st, i, seq, err)
			}
		}
	}
	for st, want := range map[string]int64{"a": 5, "b": 3} {
		if n, err := b.Last(ctx, st); err != nil || n.Seq != want {
			t.Fatalf("Last(%s) = %+v, %v; want %d", st, n, err, want)
		}
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := b.Subscribe(sctx, "b", at(t, b, "b", 0))
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= 3; i++ {
		e, ok := next(t, ch)
		if !ok || e.Seq != i || e.Reset || string(e.Data) != string(payload("b", i)) {
			t.Fatalf("entry %d = %+v, %v", i, e, ok)
		}
	}
}

func (s *suite) busConcurrent(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	const pubs, each = 8, 500
	var mu sync.Mutex
	sent := map[int64][]byte{}
	done := make(chan error, 1)
	go func() {
		_, err := follow(ctx, b, "room", 0, pubs*each, nil)
		done <- err
	}()
	var wg sync.WaitGroup
	errs := make(chan error, pubs)
	for p := range pubs {
		wg.Go(func() {
			prev := int64(0)
			for i := range each {
				data := fmt.Appendf(nil, "p%d-%d", p, i)
				seq, err := b.Publish(ctx, "room", data)
				if err != nil {
					errs <- err
					return
				}
				if seq <= prev {
					errs <- fmt.Errorf("publisher %d got seq %d after %d", p, seq, prev)
					return
				}
				prev = seq
				mu.Lock()
				sent[seq] = data
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(sent) != pubs*each {
		t.Fatalf("%d distinct seqs for %d publishes", len(sent), pubs*each)
	}
	for seq := int64(1); seq <= pubs*each; seq++ {
		if sent[seq] == nil {
			t.Fatalf("seq %d never returned by Publish", seq)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// A second reader replays the whole retained history with the data each
	// publisher was given the seq for.
	if _, err := follow(ctx, b, "room", 0, pubs*each, func(seq int64) []byte {
		mu.Lock()
		defer mu.Unlock()
		return sent[seq]
	}); err != nil {
		t.Fatal(err)
	}
}

func (s *suite) busAfter(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	publishN(t, ctx, b, "s", 10)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := b.Subscribe(sctx, "s", at(t, b, "s", 4))
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(5); i <= 10; i++ {
		e, ok := next(t, ch)
		if !ok || e.Seq != i || string(e.Data) != string(payload("s", i)) {
			t.Fatalf("want %d, got %+v (open %v)", i, e, ok)
		}
	}
	// Then live entries follow the backlog.
	if _, err := b.Publish(ctx, "s", payload("s", 11)); err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch); !ok || e.Seq != 11 {
		t.Fatalf("live entry = %+v (open %v), want 11", e, ok)
	}
	// Subscribing at the head gives only what comes next.
	ch2, err := b.Subscribe(sctx, "s", at(t, b, "s", 11))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, "s", payload("s", 12)); err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch2); !ok || e.Seq != 12 {
		t.Fatalf("entry = %+v (open %v), want 12", e, ok)
	}
	if _, err := b.Subscribe(sctx, "s", queue.Position{Seq: -2}); !errors.Is(err, queue.ErrInvalid) {
		t.Fatalf("Subscribe after -2: %v, want ErrInvalid", err)
	}
}

func (s *suite) busResume(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	const total = 1500
	pubErr := make(chan error, 1)
	go func() {
		for i := int64(1); i <= total; i++ {
			if _, err := b.Publish(ctx, "r", payload("r", i)); err != nil {
				pubErr <- err
				return
			}
		}
		pubErr <- nil
	}()
	last := int64(0)
	for round := 0; last < total; round++ {
		sctx, cancel := context.WithCancel(ctx)
		ch, err := b.Subscribe(sctx, "r", at(t, b, "r", last))
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		// Read a few entries, then hang up as a client would, mid-stream.
		for read := 0; read < 10+round%40 && last < total; read++ {
			e, ok := next(t, ch)
			if !ok {
				break // dropped for lagging: resume like after a hang-up
			}
			if e.Reset || e.Seq != last+1 || string(e.Data) != string(payload("r", e.Seq)) {
				cancel()
				t.Fatalf("round %d: got %+v after %d", round, e, last)
			}
			last = e.Seq
		}
		cancel()
		if round > 10*total {
			t.Fatal("no progress")
		}
	}
	if err := <-pubErr; err != nil {
		t.Fatal(err)
	}
}

func (s *suite) busFromNow(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	publishN(t, ctx, b, "n", 5)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := b.Subscribe(sctx, "n", queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, "n", payload("n", 6)); err != nil {
		t.Fatal(err)
	}
	e, ok := next(t, ch)
	if !ok || e.Reset || e.Seq != 6 || string(e.Data) != string(payload("n", 6)) {
		t.Fatalf("first entry from now = %+v (open %v), want seq 6", e, ok)
	}
	// A stream nobody published to yet works the same way.
	ch2, err := b.Subscribe(sctx, "empty", queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, "empty", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch2); !ok || e.Seq != 1 || e.Reset {
		t.Fatalf("first entry = %+v (open %v), want seq 1", e, ok)
	}
}

func (s *suite) busReset(t *testing.T) {
	t.Parallel()
	const retention = 50
	in := s.freshWith(t, Config{Retention: retention, SubscriberBuffer: 1024})
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	const total = 6 * retention
	publishN(t, ctx, b, "t", total)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := b.Subscribe(sctx, "t", at(t, b, "t", 1))
	if err != nil {
		t.Fatal(err)
	}
	first, ok := next(t, ch)
	if !ok || !first.Reset || first.Data != nil {
		t.Fatalf("first entry = %+v (open %v), want a Reset", first, ok)
	}
	if first.Seq <= 1 || first.Seq > total-retention {
		t.Fatalf("Reset at %d: retention %d of %d should have dropped 2..%d", first.Seq, retention, total, total-retention)
	}
	for want := first.Seq + 1; want <= total; want++ {
		e, ok := next(t, ch)
		if !ok || e.Reset || e.Seq != want || string(e.Data) != string(payload("t", want)) {
			t.Fatalf("after Reset: got %+v (open %v), want %d", e, ok, want)
		}
	}
	// A resume point still retained gets no Reset.
	ch2, err := b.Subscribe(sctx, "t", at(t, b, "t", total-10))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch2); !ok || e.Reset || e.Seq != total-9 {
		t.Fatalf("retained resume: %+v (open %v)", e, ok)
	}
}

func (s *suite) busAhead(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	publishN(t, ctx, b, "a", 3)
	// A client remembering seq 100 of a stream that now ends at 3 (the
	// backend lost its state) must reload rather than wait for seq 101.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := b.Subscribe(sctx, "a", at(t, b, "a", 100))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch); !ok || !e.Reset || e.Seq != 3 {
		t.Fatalf("first entry = %+v (open %v), want Reset at 3", e, ok)
	}
	if _, err := b.Publish(ctx, "a", payload("a", 4)); err != nil {
		t.Fatal(err)
	}
	if e, ok := next(t, ch); !ok || e.Reset || e.Seq != 4 {
		t.Fatalf("entry = %+v (open %v), want 4", e, ok)
	}
}

func (s *suite) busOtherEpoch(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	head, err := b.Last(ctx, "o")
	if err != nil {
		t.Fatal(err)
	}
	publishN(t, ctx, b, "o", 5)
	// The epoch read before the first entry is the one entries carry.
	if n, err := b.Last(ctx, "o"); err != nil || n.Epoch != head.Epoch || n.Seq != 5 {
		t.Fatalf("Last = %+v, %v; want epoch %q at 5", n, err, head.Epoch)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A plain sequence (no epoch) and a foreign epoch prove nothing.
	for _, from := range []queue.Position{{Seq: 3}, {Epoch: "0123456789abcdef", Seq: 3}} {
		ch, err := b.Subscribe(sctx, "o", from)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := next(t, ch); !ok || !e.Reset || e.Seq != 5 || e.Epoch != head.Epoch {
			t.Fatalf("from %+v: first entry = %+v (open %v), want Reset at 5 in %q", from, e, ok, head.Epoch)
		}
	}
	ch, err := b.Subscribe(sctx, "o", queue.Position{Epoch: head.Epoch, Seq: 3})
	if err != nil {
		t.Fatal(err)
	}
	for want := int64(4); want <= 5; want++ {
		if e, ok := next(t, ch); !ok || e.Reset || e.Seq != want || e.Epoch != head.Epoch {
			t.Fatalf("entry = %+v (open %v), want %d in %q", e, ok, want, head.Epoch)
		}
	}
}

// busLoss resumes across a lost state (a restart, a FLUSHALL): the new
// stream numbers from 1 again, so only the epoch tells the resume point
// belongs to the old one.
func (s *suite) busLoss(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	if in.Lose == nil {
		t.Skip("the harness cannot lose the backend's state")
	}
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	publishN(t, ctx, b, "l", 10)
	old, err := b.Last(ctx, "l")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	live, err := b.Subscribe(sctx, "l", old)
	if err != nil {
		t.Fatal(err)
	}
	nb := in.Lose(t).Bus()
	publishN(t, ctx, nb, "l", 12)
	// A subscriber of the old life is ended, never fed the new one.
	for {
		e, ok := next(t, live)
		if !ok {
			break
		}
		t.Fatalf("old subscriber got %+v after the loss", e)
	}
	ch, err := nb.Subscribe(sctx, "l", old)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := next(t, ch)
	if !ok || !e.Reset || e.Seq != 12 || e.Epoch == old.Epoch || e.Epoch == "" {
		t.Fatalf("resume from %+v: first entry = %+v (open %v), want a Reset at 12 in a new epoch", old, e, ok)
	}
	if _, err := nb.Publish(ctx, "l", payload("l", 13)); err != nil {
		t.Fatal(err)
	}
	if n, ok := next(t, ch); !ok || n.Reset || n.Seq != 13 || n.Epoch != e.Epoch {
		t.Fatalf("after the Reset: %+v (open %v), want 13 in %q", n, ok, e.Epoch)
	}
}

func (s *suite) busSlow(t *testing.T) {
	t.Parallel()
	const buffer = 16
	in := s.freshWith(t, Config{Retention: 10000, SubscriberBuffer: buffer})
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	const total = 40 * buffer
	// From now on (-1): a subscriber still replaying a backlog reads it at
	// its own pace by design, so only a live subscriber can be too slow.
	slow, err := b.Subscribe(ctx, "x", queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	fast := make(chan error, 1)
	go func() {
		_, err := follow(ctx, b, "x", 0, total, func(seq int64) []byte { return payload("x", seq) })
		fast <- err
	}()
	publishN(t, ctx, b, "x", total)
	if err := <-fast; err != nil {
		t.Fatalf("fast subscriber: %v", err)
	}
	// The slow one was never read while the others ran. It either was
	// closed after a contiguous prefix (dropped from live fan-out) or, if it
	// had fallen into replaying at its own pace (a Redis subscriber that
	// had a backlog when it joined reads the stream itself), it yields
	// everything in order; either way it held nothing up, which the fast
	// subscriber finishing above shows.
	got := int64(0)
	deadline := time.After(waitFor)
	for got < total {
		select {
		case e, ok := <-slow:
			if !ok {
				return
			}
			if e.Seq != got+1 {
				t.Fatalf("slow subscriber: seq %d after %d", e.Seq, got)
			}
			got = e.Seq
		case <-deadline:
			t.Fatalf("slow subscriber neither dropped nor complete (read %d of %d)", got, total)
		}
	}
}

func (s *suite) busCancel(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	for i := int64(1); i <= 3000; i++ {
		if _, err := b.Publish(ctx, "c", nil); err != nil {
			t.Fatal(err)
		}
	}
	// One subscriber cancelled while live, one while still replaying.
	for _, after := range []int64{-1, 0} {
		sctx, cancel := context.WithCancel(ctx)
		ch, err := b.Subscribe(sctx, "c", at(t, b, "c", after))
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		deadline := time.After(waitFor)
	drain:
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					break drain
				}
			case <-deadline:
				t.Fatalf("after=%d: channel not closed after cancel", after)
			}
		}
	}
}

func (s *suite) busCrossNode(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	if in.Peer == nil {
		t.Skip("single-node backend: there is no other node to deliver to")
	}
	ctx := ctxFor(t)
	a := in.Backend.Bus()
	other := in.Peer(t)
	b := other.Bus()
	if _, err := a.Publish(ctx, "x", payload("x", 1)); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chB, err := b.Subscribe(sctx, "x", at(t, b, "x", 0))
	if err != nil {
		t.Fatal(err)
	}
	chA, err := a.Subscribe(sctx, "x", queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(2); i <= 200; i++ {
		bus := a
		if i%2 == 0 {
			bus = b
		}
		seq, err := bus.Publish(ctx, "x", payload("x", i))
		if err != nil || seq != i {
			t.Fatalf("publish #%d = %d, %v", i, seq, err)
		}
	}
	for i := int64(1); i <= 200; i++ {
		e, ok := next(t, chB)
		if !ok || e.Seq != i || string(e.Data) != string(payload("x", i)) {
			t.Fatalf("node B: got %+v (open %v), want %d", e, ok, i)
		}
		if i == 1 {
			continue
		}
		e, ok = next(t, chA)
		if !ok || e.Seq != i {
			t.Fatalf("node A: got %+v (open %v), want %d", e, ok, i)
		}
	}
	if n, err := b.Last(ctx, "x"); err != nil || n.Seq != 200 {
		t.Fatalf("Last on node B = %+v, %v", n, err)
	}
}

func (s *suite) busMany(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	const subs, total = 25, 400
	errs := make(chan error, subs)
	start := at(t, b, "m", 0)
	var ready sync.WaitGroup
	for i := range subs {
		ready.Add(1)
		go func() {
			// Half start from the beginning, half from now on.
			from := start
			if i%2 == 1 {
				from = queue.Live
			}
			sctx, cancel := context.WithCancel(ctx)
			defer cancel()
			ch, err := b.Subscribe(sctx, "m", from)
			ready.Done()
			if err != nil {
				errs <- err
				return
			}
			last := int64(0)
			for e := range ch {
				if e.Reset || e.Seq != last+1 {
					errs <- fmt.Errorf("subscriber %d: got %+v after %d", i, e, last)
					return
				}
				if last = e.Seq; last == total {
					errs <- nil
					return
				}
			}
			// Dropped for lagging: finish like a client would.
			_, err = follow(ctx, b, "m", last, total, nil)
			errs <- err
		}()
	}
	ready.Wait()
	publishN(t, ctx, b, "m", total)
	for range subs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func (s *suite) busClose(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	b := in.Backend.Bus()
	if _, err := b.Publish(ctx, "z", nil); err != nil {
		t.Fatal(err)
	}
	live, err := b.Subscribe(ctx, "z", queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	replaying, err := b.Subscribe(ctx, "z", at(t, b, "z", 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Backend.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, ch := range []<-chan queue.Entry{live, replaying} {
		deadline := time.After(waitFor)
	drain:
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					break drain
				}
			case <-deadline:
				t.Fatal("subscription still open after Close")
			}
		}
	}
	if _, err := b.Subscribe(ctx, "z", queue.Position{Seq: 0}); err == nil {
		t.Fatal("Subscribe after Close succeeded")
	}
}

// at is the position seq in stream's current epoch (Live for -1).
func at(t *testing.T, b queue.Bus, stream string, seq int64) queue.Position {
	t.Helper()
	if seq == -1 {
		return queue.Live
	}
	head, err := b.Last(context.Background(), stream)
	if err != nil {
		t.Fatalf("Last %s: %v", stream, err)
	}
	return queue.Position{Epoch: head.Epoch, Seq: seq}
}

// publishN publishes entries 1..n on stream, each with its payload.
func publishN(t *testing.T, ctx context.Context, b queue.Bus, stream string, n int64) {
	t.Helper()
	for i := int64(1); i <= n; i++ {
		if _, err := b.Publish(ctx, stream, payload(stream, i)); err != nil {
			t.Fatal(err)
		}
	}
}
