package webchat

// inboxSize is how many frames the reader takes ahead of the inbound
// worker per connection; a client that sends faster waits in TCP, as it
// did when the reader called the desk itself.
const inboxSize = 8

// inFrame is a frame as read, decoded by the inbound worker.
type inFrame struct {
	mt  int
	raw []byte
}

// enqueue hands a frame read after hello to the connection's inbound
// worker, waiting while the inbox is full; false means the connection
// ended. One worker at a time, taking frames in order, keeps a
// connection's messages reaching the desk in the order they were sent.
func (c *conn) enqueue(f inFrame) bool {
	c.mu.Lock()
	for len(c.inbox) >= inboxSize && !c.closed {
		if c.inboxRoom == nil {
			c.inboxRoom = make(chan struct{})
		}
		room := c.inboxRoom
		c.mu.Unlock()
		select {
		case <-room:
		case <-c.life.done:
			return false
		}
		c.mu.Lock()
	}
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.inbox = append(c.inbox, f)
	if !c.working {
		c.working = true
		go c.inboundLoop()
	}
	return true
}

// inboundLoop handles frames until the inbox is empty, then exits: an
// idle connection has no worker, and a stack grown deep in SQL goes with
// the worker.
func (c *conn) inboundLoop() {
	for {
		c.mu.Lock()
		if len(c.inbox) == 0 || c.closed {
			c.working = false
			c.inbox = nil
			c.mu.Unlock()
			return
		}
		f := c.inbox[0]
		c.inbox[0] = inFrame{}
		c.inbox = c.inbox[1:]
		if c.inboxRoom != nil {
			close(c.inboxRoom)
			c.inboxRoom = nil
		}
		c.mu.Unlock()
		c.handleFrame(f)
	}
}

// handleFrame answers one frame read after hello.
func (c *conn) handleFrame(in inFrame) {
	f, ferr := c.decode(in.mt, in.raw)
	if ferr != nil {
		c.push(errorBytes(ferr))
		return
	}
	switch f.Type {
	case frameHello:
		c.push(errorBytes(&refusal{Code: CodeInvalid, Message: "hello was already sent on this connection"}))
	case frameMessage:
		c.handleMessage(f)
	case frameTyping:
		c.handleTyping()
	case frameVerifySend, frameVerifyCode:
		c.handleVerify(f)
	case frameSurvey:
		c.handleSurvey(f)
	case frameCallback:
		c.handleCallback(f)
	}
}
