package webchat

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// conn is one customer websocket. Idle, it costs one shallow goroutine
// (the reader), gorilla's small read buffer, a ping timer and this
// struct: the send queue, the inbox, the context's bookkeeping and the
// logger are made only while something happens. A writer, a puller and
// an inbound worker run on short-lived goroutines only while there is
// something to write, to read from History or to hand to the desk.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	site   *Site // shared by every connection of the site
	remote string
	life   lifetime // the context of the connection's calls; ends with it
	once   sync.Once

	// Set by hello before anything else reads them.
	visitorID string
	ident     *identity

	// Used by the inbound worker only.
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

	queue [][]byte      // encoded frames for the writer; nil while idle
	room  chan struct{} // closed when the writer takes a frame; made only while a push waits

	inbox     []inFrame     // frames for the inbound worker; nil while idle
	inboxRoom chan struct{} // closed when the worker takes a frame; made only while the reader waits
	working   bool          // an inbound worker runs

	own own // what this connection's own acked messages let it skip
}

func newConn(s *Server, ws *websocket.Conn, site *Site, remote string) *conn {
	return &conn{s: s, ws: ws, site: site, remote: remote, life: lifetime{done: make(chan struct{})}}
}

// logger is built when something is logged, not kept per connection:
// slog's With copies the handler's attributes, about 300 bytes a call.
func (c *conn) logger() *slog.Logger {
	c.mu.Lock()
	visitor := c.visitorID
	c.mu.Unlock()
	l := c.s.log.With("site", c.site.Key, "remote", c.remote)
	if visitor != "" {
		l = l.With("visitor", visitor)
	}
	return l
}

// serve reads frames until the connection ends. It only reads: hello,
// decoding, errors, Sink.Ingest and the feed run on other goroutines. A
// goroutine keeps the largest stack it ever needed until a GC finds it
// using under a quarter, and this one parks in ReadMessage for hours, so
// any deep call here would cost every idle connection 4 KB or more.
func (c *conn) serve() {
	defer c.finish()
	// In the hub from the start, so Close reaches a connection still in hello.
	c.register("")
	o := &c.s.o // not a copy: the pong handler would keep one per connection
	c.ws.SetReadLimit(o.ReadLimit)
	_ = c.ws.SetReadDeadline(time.Now().Add(o.HelloWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
	})
	for welcomed := false; !welcomed; {
		mt, raw, ok := c.read()
		if !ok {
			return
		}
		switch c.beforeHelloAside(mt, raw) {
		case helloDone:
			welcomed = true
		case helloStop:
			return
		}
	}
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(o.PongWait))
		mt, raw, ok := c.read()
		if !ok || !c.enqueue(inFrame{mt: mt, raw: raw}) {
			return
		}
	}
}

// read reads the next frame; ok is false when the connection is over.
func (c *conn) read() (int, []byte, bool) {
	mt, raw, err := c.ws.ReadMessage()
	if err != nil {
		c.logEnd(err)
		return 0, nil, false
	}
	return mt, raw, true
}

// decode turns a frame into a usable client frame, or a refusal to answer.
func (c *conn) decode(mt int, raw []byte) (clientFrame, *refusal) {
	if mt != websocket.TextMessage {
		return clientFrame{}, &refusal{Code: CodeInvalid, Message: "frames must be JSON text frames"}
	}
	f, ferr := decodeClientFrame(raw, c.s.o.MaxTextBytes)
	if ferr != nil {
		c.logger().Debug("webchat: refused a frame", "code", ferr.Code, "reason", ferr.Message)
		return clientFrame{}, ferr
	}
	return f, nil
}

// reply sends an error frame, directly before hello (no writer yet) and
// through the queue after. visitorID is set by hello, which happens before
// the inbound worker's first frame.
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
		c.logger().Info("webchat: frame over the read limit; connection closed with 1009", "limit", c.s.o.ReadLimit)
	case !c.s.log.Enabled(context.Background(), slog.LevelDebug):
		// Every connection ends here; building its logger for nothing
		// would cost a few allocations each.
	case websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived):
		c.logger().Debug("webchat: connection closed by the client")
	default:
		c.logger().Debug("webchat: connection ended", "err", err)
	}
}

func errorBytes(e *refusal) []byte {
	f := errorFrame{Type: frameError, Code: e.Code, Message: e.Message, ClientMsgID: e.ClientMsgID}
	if e.RetryAfter > 0 {
		f.RetryAfter = retrySeconds(e.RetryAfter)
	}
	return encodeFrame(f)
}

// ping runs on a timer; gorilla allows WriteControl beside a writer.
func (c *conn) ping() {
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.o.WriteWait)); err != nil {
		c.logger().Debug("webchat: ping failed; dropping connection", "err", err)
		c.finish()
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.pinger.Reset(c.s.o.PingInterval)
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
		c.queue = nil
		c.inbox = nil
		c.own.stopHold()
		c.mu.Unlock()
		// Done closes before the hub forgets c, so register (which checks
		// it after adding) cannot leave a dead connection behind.
		c.life.end()
		c.s.hub.remove(c)
		_ = c.ws.Close()
	})
}
