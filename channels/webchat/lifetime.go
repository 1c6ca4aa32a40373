package webchat

import (
	"context"
	"sync"
	"time"
)

// lifetime is a connection's context: it ends when the connection does.
// A context.WithCancel per connection, with the children map and the done
// channel the first derived timeout leaves behind, cost about 1 KB on
// every idle connection. This one lives inside conn and holds nothing
// while no call runs: contexts derived from it register through AfterFunc
// (which the context package prefers over a watching goroutine) and
// unregister when they end.
type lifetime struct {
	done chan struct{}

	mu     sync.Mutex
	ended  bool
	next   uint64
	afters map[uint64]func() // nil unless a derived context is alive
}

var _ context.Context = (*lifetime)(nil)

func (l *lifetime) Deadline() (time.Time, bool) { return time.Time{}, false }
func (l *lifetime) Done() <-chan struct{}       { return l.done }
func (l *lifetime) Value(any) any               { return nil }

func (l *lifetime) Err() error {
	select {
	case <-l.done:
		return context.Canceled
	default:
		return nil
	}
}

// AfterFunc runs f once the connection ends; stop unregisters it and
// reports whether it did so before f ran. The context package calls it
// for every context derived from l.
func (l *lifetime) AfterFunc(f func()) (stop func() bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		go f()
		return func() bool { return false }
	}
	if l.afters == nil {
		l.afters = make(map[uint64]func(), 1)
	}
	id := l.next
	l.next++
	l.afters[id] = f
	return func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		if _, ok := l.afters[id]; !ok {
			return false
		}
		delete(l.afters, id)
		if len(l.afters) == 0 {
			l.afters = nil // a map never shrinks; an idle connection keeps none
		}
		return true
	}
}

// end closes Done and runs what was registered; only the first call counts.
func (l *lifetime) end() {
	l.mu.Lock()
	if l.ended {
		l.mu.Unlock()
		return
	}
	l.ended = true
	fs := l.afters
	l.afters = nil
	close(l.done)
	l.mu.Unlock()
	for _, f := range fs {
		go f()
	}
}
