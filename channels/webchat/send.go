package webchat

import (
	"time"

	"github.com/gorilla/websocket"
)

// The send queue is a slice under c.mu rather than a channel: a
// 32-slot channel is 900 bytes on every idle connection, while the
// slice exists only while frames wait and is dropped when the writer
// has drained it.

// kickLocked starts a writer unless one runs; c.mu is held. Idle
// connections have none: at 10,000 connections a node, a parked writer
// goroutine per connection would cost more than everything else together.
func (c *conn) kickLocked() {
	if c.writing || c.closed {
		return
	}
	c.writing = true
	go c.writeLoop()
}

// writeLoop writes queued frames until the queue is empty. It checks for
// emptiness under mu, where pushes check writing, so a frame queued as
// it stops starts the next writer.
func (c *conn) writeLoop() {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closed {
			c.writing = false
			c.queue = nil
			c.mu.Unlock()
			return
		}
		b := c.queue[0]
		c.queue[0] = nil
		c.queue = c.queue[1:]
		if c.room != nil {
			close(c.room)
			c.room = nil
		}
		c.mu.Unlock()
		_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.o.WriteWait))
		if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
			c.logger().Info("webchat: write failed; dropping connection", "err", err)
			c.finish()
			return
		}
	}
}

// offer queues b if there is room and reports whether it did; for
// frames that may be lost (typing), and for callers that must not wait.
func (c *conn) offer(b []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || len(c.queue) >= c.s.o.SendQueue {
		return false
	}
	c.queue = append(c.queue, b)
	c.kickLocked()
	return true
}

// push queues b, waiting up to WriteWait for room; a client that reads
// slower than that is dropped, and only its own goroutine waited for it.
// It reports whether b was queued.
func (c *conn) push(b []byte) bool {
	var deadline <-chan time.Time
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return false
		}
		if len(c.queue) < c.s.o.SendQueue {
			c.queue = append(c.queue, b)
			c.kickLocked()
			c.mu.Unlock()
			return true
		}
		if c.room == nil {
			c.room = make(chan struct{})
		}
		room := c.room
		c.mu.Unlock()
		if deadline == nil {
			t := time.NewTimer(c.s.o.WriteWait)
			defer t.Stop()
			deadline = t.C
		}
		select {
		case <-room:
		case <-c.life.done:
			return false
		case <-deadline:
			c.logger().Warn("webchat: client reads too slowly; dropping connection", "queue", c.s.o.SendQueue)
			c.finish()
			return false
		}
	}
}
