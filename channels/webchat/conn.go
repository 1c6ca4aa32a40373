package webchat

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one customer websocket. Idle, it costs one goroutine (the
// reader), a small send queue, a ping timer and gorilla's 1 KiB read
// buffer; a writer and a puller run on short-lived goroutines only while
// there is something to write or to read from History.
type conn struct {
	s    *Server
	ws   *websocket.Conn
	site Site
	log  *slog.Logger
	ctx  context.Context
	stop context.CancelFunc
	send chan []byte
	done chan struct{}
	once sync.Once

	// Used by the reading goroutine only.
	visitorID  string
	ident      *identity
	linked     bool // a message carrying ident has been acked
	lastTyping time.Time

	mu        sync.Mutex
	ticket    string // the resume point: ticket ...
	delivered int64  // ... and the last seq sent on it
	pulling   bool
	again     bool // a pull was asked for while one ran
	writing   bool // a writeLoop runs
	closed    bool
	pinger    *time.Timer
}

func newConn(s *Server, ws *websocket.Conn, site Site, log *slog.Logger, parent context.Context) *conn {
	ctx, stop := context.WithCancel(parent)
	return &conn{
		s: s, ws: ws, site: site, log: log, ctx: ctx, stop: stop,
		send: make(chan []byte, s.o.SendQueue),
		done: make(chan struct{}),
	}
}

// serve reads frames until the connection ends.
func (c *conn) serve() {
	defer c.finish()
	// In the hub from the start, so Close reaches a connection still in hello.
	c.register("")
	o := c.s.o
	c.ws.SetReadLimit(o.ReadLimit)
	_ = c.ws.SetReadDeadline(time.Now().Add(o.HelloWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
	})

	f, ok := c.readFrame()
	if !ok {
		return
	}
	if f.Type != frameHello {
		c.closeNow(websocket.ClosePolicyViolation, &refusal{Code: CodeInvalid, Message: "the first frame must be hello"})
		return
	}
	if !c.hello(f) {
		return
	}
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
		f, ok := c.readFrame()
		if !ok {
			return
		}
		switch f.Type {
		case frameHello:
			c.push(errorBytes(&refusal{Code: CodeInvalid, Message: "hello was already sent on this connection"}))
		case frameMessage:
			c.handleMessage(f)
		case frameTyping:
			c.handleTyping()
		}
	}
}

// readFrame reads the next usable frame, answering unusable ones with an
// error frame; ok is false when the connection is over.
func (c *conn) readFrame() (clientFrame, bool) {
	for {
		mt, raw, err := c.ws.ReadMessage()
		if err != nil {
			c.logEnd(err)
			return clientFrame{}, false
		}
		if mt != websocket.TextMessage {
			c.reply(&refusal{Code: CodeInvalid, Message: "frames must be JSON text frames"})
			continue
		}
		f, ferr := decodeClientFrame(raw, c.s.o.MaxTextBytes)
		if ferr != nil {
			c.log.Debug("webchat: refused a frame", "code", ferr.Code, "reason", ferr.Message)
			c.reply(ferr)
			continue
		}
		return f, true
	}
}

// reply sends an error frame, directly before hello (no writer yet) and
// through the queue after.
func (c *conn) reply(e *refusal) {
	if c.visitorID == "" {
		_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.o.WriteWait))
		_ = c.ws.WriteMessage(websocket.TextMessage, errorBytes(e))
		return
	}
	c.push(errorBytes(e))
}

// closeNow sends e and a close frame before the writer has started.
func (c *conn) closeNow(code int, e *refusal) {
	c.reply(e)
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, e.Code),
		time.Now().Add(c.s.o.WriteWait))
}

func (c *conn) logEnd(err error) {
	switch {
	case errors.Is(err, websocket.ErrReadLimit):
		c.log.Info("webchat: frame over the read limit; connection closed with 1009", "limit", c.s.o.ReadLimit)
	case websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived):
		c.log.Debug("webchat: connection closed by the client")
	default:
		c.log.Debug("webchat: connection ended", "err", err)
	}
}

func errorBytes(e *refusal) []byte {
	return encodeFrame(errorFrame{Type: frameError, Code: e.Code, Message: e.Message, ClientMsgID: e.ClientMsgID})
}

// kick starts a writer unless one runs. Idle connections have none:
// at 10,000 connections a node, a parked writer goroutine per connection
// would cost more than everything else together.
func (c *conn) kick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writing || c.closed {
		return
	}
	c.writing = true
	go c.writeLoop()
}

// writeLoop writes queued frames until the queue is empty. It checks for
// emptiness under mu, where kick checks writing, so a frame queued as it
// stops starts the next writer.
func (c *conn) writeLoop() {
	for {
		select {
		case b := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(c.s.o.WriteWait))
			if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
				c.log.Info("webchat: write failed; dropping connection", "err", err)
				c.finish()
				return
			}
		default:
			c.mu.Lock()
			if len(c.send) == 0 || c.closed {
				c.writing = false
				c.mu.Unlock()
				return
			}
			c.mu.Unlock()
		}
	}
}

// ping runs on a timer; gorilla allows WriteControl beside a writer.
func (c *conn) ping() {
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.o.WriteWait)); err != nil {
		c.log.Debug("webchat: ping failed; dropping connection", "err", err)
		c.finish()
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.pinger.Reset(c.s.o.PingInterval)
	}
}

// offer queues b if there is room and drops it otherwise; for frames
// that may be lost (typing).
func (c *conn) offer(b []byte) {
	select {
	case c.send <- b:
		c.kick()
	default:
	}
}

// push queues b, waiting up to WriteWait for room; a client that reads
// slower than that is dropped, and only its own goroutine waited for it.
// It reports whether b was queued.
func (c *conn) push(b []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- b:
		c.kick()
		return true
	default:
	}
	t := time.NewTimer(c.s.o.WriteWait)
	defer t.Stop()
	select {
	case c.send <- b:
		c.kick()
		return true
	case <-c.done:
		return false
	case <-t.C:
		c.log.Warn("webchat: client reads too slowly; dropping connection", "queue", cap(c.send))
		c.finish()
		return false
	}
}

// drop closes the connection with a close frame the widget understands.
func (c *conn) drop(code int, text string) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.finish()
}

// finish ends the connection once, from whichever side noticed first.
func (c *conn) finish() {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		if c.pinger != nil {
			c.pinger.Stop()
		}
		c.mu.Unlock()
		// done closes before the hub forgets c, so register (which checks
		// done after adding) cannot leave a dead connection behind.
		close(c.done)
		c.s.hub.remove(c)
		c.stop()
		_ = c.ws.Close()
	})
}
