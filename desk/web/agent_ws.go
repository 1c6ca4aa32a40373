package web

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/queue"
)

// Agent websocket limits.
const (
	wsWriteWait  = 10 * time.Second
	wsPongWait   = 60 * time.Second
	wsPingPeriod = wsPongWait * 9 / 10
	// wsReadLimit bounds a client frame: clients send only small control
	// frames (typing, watch, ping).
	wsReadLimit = 4 << 10
	// wsSendQueue frames may wait for a slow client; from wsCoalesceAt on
	// its desk frames are coalesced (pump), flushed every wsCoalesceEvery.
	wsSendQueue     = 256
	wsCoalesceAt    = wsSendQueue * 3 / 4
	wsCoalesceEvery = 250 * time.Millisecond
	// wsTypingEvery throttles typing frames from one connection.
	wsTypingEvery = time.Second
	// wsMaxWatched bounds how many tickets one connection follows typing on.
	wsMaxWatched = 8
)

// wsFrame is what the server sends: "event" (Event set; built by
// eventFrame from the node's decoded entry), "skip" (an event the agent may
// not see; only the position, to move the resume point), "reset" (reload
// from the API, resume after Pos), "typing" and "pong". Pos is the resume
// point "<epoch>:<seq>" the page sends back as ?after=.
type wsFrame struct {
	Type  string          `json:"type"`
	Seq   *int64          `json:"seq,omitempty"`
	Pos   string          `json:"pos,omitempty"`
	Event json.RawMessage `json:"event,omitempty"`
	// typing
	TicketID string `json:"ticket_id,omitempty"`
	Who      string `json:"who,omitempty"`
	AgentID  string `json:"agent_id,omitempty"`
	Name     string `json:"name,omitempty"`
}

// wsClientFrame is what a desk page sends: "watch" (the ticket it shows;
// typing of that ticket is forwarded), "typing" (the agent types on a
// ticket) and "ping".
type wsClientFrame struct {
	Type     string `json:"type"`
	TicketID string `json:"ticket_id"`
}

var wsUpgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 4096,
	// Checked before the upgrade already (agentWS); repeated so no path
	// through the upgrader can skip it.
	CheckOrigin: originOnly,
}

// agentWS is the desk's live socket: the desk stream filtered for the agent
// (resumable with ?after=<epoch>:<seq> exactly like the SSE stream) plus typing
// indicators. A browser sends the session cookie on any upgrade, even one a
// foreign page starts, so an upgrade whose Origin is not this host is
// refused: that is the socket's CSRF protection.
func (s *Server) agentWS(c echo.Context) error {
	r := c.Request()
	if !originOnly(r) {
		return desk.Errorf(desk.CodeForbidden, "the desk socket accepts pages of this site only")
	}
	from, err := resumeFrom(c.QueryParam("after"))
	if err != nil {
		return err
	}
	// The socket outlives the request's context handling once hijacked;
	// its own context ends every goroutine of the connection.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	events, err := s.subscribeDesk(ctx, from)
	if err != nil {
		return err
	}
	typing, err := s.opts.Events.Subscribe(ctx, desk.StreamTyping, queue.Live)
	if err != nil {
		return desk.Wrap(desk.CodeUnavailable, err, "live events are unavailable, try again shortly")
	}
	conn, err := wsUpgrader.Upgrade(c.Response(), r, nil)
	if err != nil {
		// The upgrader has answered the client already.
		s.log.Debug("web: websocket upgrade failed", "err", err)
		return nil
	}
	wc := &wsConn{s: s, conn: conn, agent: current(c).Agent, send: make(chan []byte, wsSendQueue), cancel: cancel, watched: map[string]bool{}}
	wc.presence = s.svc.DeskConnected(ctx, wc.agent.ID)
	wc.run(ctx, events, typing)
	return nil
}

type wsConn struct {
	s      *Server
	conn   *websocket.Conn
	agent  desk.Agent
	send   chan []byte // encoded frames
	cancel context.CancelFunc

	mu      sync.Mutex
	watched map[string]bool // tickets the page shows and the agent may see

	// presence is the page's online/away state for routing; nil without one.
	presence *desk.DeskConn
}

func (w *wsConn) run(ctx context.Context, events, typing <-chan queue.Entry) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); w.readLoop(ctx) }()
	go func() { defer wg.Done(); w.writeLoop(ctx) }()
	wg.Add(1)
	go func() { defer wg.Done(); w.keepPresence(ctx) }()
	w.pump(ctx, events, typing)
	w.cancel()
	// Closing the connection ends a read blocked in ReadMessage.
	w.conn.Close()
	wg.Wait()
}

// pump turns bus entries into frames for the writer. It never blocks on
// the client. Under pressure (the send queue past wsCoalesceAt) desk
// frames are held instead, one per ticket with the latest winning, and
// flushed in stream order every wsCoalesceEvery while the queue has room:
// a page reloads a ticket on any event of it, so the latest is all it
// needs, and an agent watching every team at high volume stays connected
// with fewer frames instead of being dropped and reconnecting.
func (w *wsConn) pump(ctx context.Context, events, typing <-chan queue.Entry) {
	var held coalescer
	flush := time.NewTicker(wsCoalesceEvery)
	defer flush.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.s.closing:
			w.closeWith(websocket.CloseGoingAway, "server shutting down")
			return
		case <-flush.C:
			for !held.empty() && len(w.send) < wsCoalesceAt {
				w.send <- held.next()
			}
		case e, ok := <-events:
			if !ok {
				// Dropped by the bus as too slow, or the bus closed.
				w.closeWith(websocket.CloseTryAgainLater, "resume from your last position")
				return
			}
			item, ok := w.s.liveItemFor(w.agent, e)
			if !ok {
				continue
			}
			var b []byte
			switch {
			case item.Reset:
				// Everything before it is reloaded anyway.
				held = coalescer{}
				b = encodeWS(wsFrame{Type: "reset", Seq: &item.Seq, Pos: item.Pos})
			case item.Data != nil:
				b = eventFrame(item.Seq, item.Pos, item.Data)
			default:
				b = encodeWS(wsFrame{Type: "skip", Seq: &item.Seq, Pos: item.Pos})
			}
			if held.empty() && len(w.send) < wsCoalesceAt {
				w.send <- b // room was checked; only pump sends frames
				continue
			}
			held.hold(item.TicketID, item.Seq, b)
		case e, ok := <-typing:
			if !ok {
				// Typing is fleeting: lose it rather than the connection.
				typing = nil
				continue
			}
			var t desk.Typing
			if json.Unmarshal(e.Data, &t) != nil || t.AgentID == w.agent.ID && t.Who == desk.TypingAgent || !w.watching(t.TicketID) {
				continue
			}
			select {
			case w.send <- encodeWS(wsFrame{Type: "typing", TicketID: t.TicketID, Who: t.Who, AgentID: t.AgentID, Name: t.Name}):
			default: // under pressure typing is the first thing to go
			}
		}
	}
}

// coalescer holds desk frames while a client is behind: the latest per
// ticket, and the latest frame that carries only a position (skips and
// resets, key ""). Frames come out in stream order, so the client's
// position only moves forward.
type coalescer struct {
	frames map[string]heldFrame
}

type heldFrame struct {
	seq   int64
	frame []byte
}

func (c *coalescer) empty() bool { return len(c.frames) == 0 }

func (c *coalescer) hold(ticketID string, seq int64, frame []byte) {
	if c.frames == nil {
		c.frames = map[string]heldFrame{}
	}
	c.frames[ticketID] = heldFrame{seq: seq, frame: frame}
}

// next removes and returns the held frame earliest in the stream.
func (c *coalescer) next() []byte {
	first := ""
	for k, f := range c.frames {
		if _, ok := c.frames[first]; !ok || f.seq < c.frames[first].seq {
			first = k
		}
	}
	f := c.frames[first]
	delete(c.frames, first)
	return f.frame
}

// eventFrame wraps an event's JSON without decoding it again: every agent
// of the node shares the bytes the node decoded once.
func eventFrame(seq int64, pos string, event []byte) []byte {
	b := make([]byte, 0, len(event)+len(pos)+56)
	b = append(b, `{"type":"event","seq":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,"pos":"`...)
	b = append(b, pos...) // hex digits, a colon and digits: no escaping
	b = append(b, `","event":`...)
	b = append(b, event...)
	return append(b, '}')
}

func encodeWS(f wsFrame) []byte {
	b, _ := json.Marshal(f) // strings and numbers only: cannot fail
	return b
}

// closeWith says goodbye with a close frame; the read loop then ends.
func (w *wsConn) closeWith(code int, reason string) {
	_ = w.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(wsWriteWait))
}

func (w *wsConn) writeLoop(ctx context.Context) {
	ping := time.NewTicker(wsPingPeriod)
	defer ping.Stop()
	defer w.cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-w.send:
			_ = w.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
			if err := w.conn.WriteMessage(websocket.TextMessage, f); err != nil {
				return
			}
		case <-ping.C:
			if err := w.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait)); err != nil {
				return
			}
		}
	}
}

func (w *wsConn) readLoop(ctx context.Context) {
	defer w.cancel()
	w.conn.SetReadLimit(wsReadLimit)
	_ = w.conn.SetReadDeadline(time.Now().Add(wsPongWait))
	w.conn.SetPongHandler(func(string) error { return w.conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	var lastTyping time.Time
	for {
		_, data, err := w.conn.ReadMessage()
		if err != nil {
			return
		}
		_ = w.conn.SetReadDeadline(time.Now().Add(wsPongWait))
		var f wsClientFrame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		switch f.Type {
		case "ping":
			select {
			case w.send <- encodeWS(wsFrame{Type: "pong"}):
			default:
			}
		case "watch":
			w.watch(ctx, f.TicketID)
		case "activity":
			w.presence.Activity(ctx)
		case "typing":
			if !w.watching(f.TicketID) || time.Since(lastTyping) < wsTypingEvery {
				continue
			}
			lastTyping = time.Now()
			w.s.svc.PublishTyping(ctx, desk.Typing{TicketID: f.TicketID, Who: desk.TypingAgent, AgentID: w.agent.ID, Name: w.agent.Name})
		}
	}
}

// watch follows typing on a ticket the agent may see; the check is made
// once here, not per typing frame.
func (w *wsConn) watch(ctx context.Context, ticketID string) {
	if ticketID == "" || len(ticketID) > 64 {
		return
	}
	if _, err := w.s.svc.VisibleTicket(ctx, w.agent, ticketID); err != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.watched) >= wsMaxWatched {
		clear(w.watched)
	}
	w.watched[ticketID] = true
}

func (w *wsConn) watching(ticketID string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.watched[ticketID]
}
