package webchat

import (
	"context"
	"time"

	"github.com/gorilla/websocket"
)

// Identity states reported in welcome.
const (
	identityNone     = "none"
	identityVerified = "verified"
	identityIgnored  = "ignored"
)

// What a frame read before hello leads to.
const (
	helloDone  = iota // welcomed: read on
	helloAgain        // unusable frame, answered: wait for hello
	helloStop         // the connection ends
)

// beforeHelloAside handles a frame read before hello on a goroutine of its
// own and waits for it, so decoding and the SQL lookup do not grow the
// reader's stack for the rest of the connection.
func (c *conn) beforeHelloAside(mt int, raw []byte) int {
	res := make(chan int, 1)
	go func() { res <- c.beforeHello(mt, raw) }()
	return <-res
}

func (c *conn) beforeHello(mt int, raw []byte) int {
	f, ferr := c.decode(mt, raw)
	if ferr != nil {
		c.reply(ferr)
		return helloAgain
	}
	if f.Type != frameHello {
		c.closeNow(websocket.ClosePolicyViolation, &refusal{Code: CodeInvalid, Message: "the first frame must be hello"})
		return helloStop
	}
	if !c.hello(f) {
		return helloStop
	}
	return helloDone
}

// hello establishes who the visitor is and where they resume, then starts
// pinging. It reports false when the connection must end.
func (c *conn) hello(f clientFrame) bool {
	site := c.site
	visitorID := ""
	if f.Visitor != "" {
		id, err := verifyAny(*site, c.s.now(), func(k []byte) (string, error) { return verifyVisitor(k, site.Key, f.Visitor) })
		if err != nil {
			// Never trusted: a bad token only costs the client its history.
			c.logger().Info("webchat: visitor token refused; starting a new visitor", "reason", err)
		} else {
			visitorID = id
		}
	}
	if visitorID == "" {
		if ok, retry := c.s.allowNewVisitor(&c.life, site.Key, c.remote); !ok {
			c.logger().Warn("webchat: too many new visitors from one address; connection refused")
			c.closeNow(websocket.CloseTryAgainLater, &refusal{Code: CodeRateLimited, Message: "too many new chats from this address; try again later", RetryAfter: retry})
			return false
		}
		visitorID = newVisitorID()
	}
	state := identityNone
	if f.Identity != nil {
		id, err := verifyAny(*site, c.s.now(), func(k []byte) (identity, error) { return verifyIdentity(k, *f.Identity, c.s.now()) })
		if err != nil {
			state = identityIgnored
			c.logger().Warn("webchat: signed identity ignored; chatting anonymously", "visitor", visitorID, "reason", err,
				"customer_no", truncate(f.Identity.CustomerNo, maxCustomerNoBytes))
		} else {
			state = identityVerified
			c.ident = &id
		}
	}

	ctx, cancel := context.WithTimeout(&c.life, 10*time.Second)
	active, err := c.s.o.History.ActiveTicket(ctx, site.Key, visitorID)
	cancel()
	if err != nil {
		c.logger().Error("webchat: reading the visitor's active ticket", "visitor", visitorID, "err", err)
		c.closeNow(websocket.CloseInternalServerErr, &refusal{Code: CodeUnavailable, Message: "the chat is unavailable; reconnect later"})
		return false
	}
	// The client's resume point counts only on the visitor's own active
	// ticket: any other ticket id is either closed or someone else's.
	var after int64
	if f.TicketID == active {
		after = f.After
	}
	c.mu.Lock()
	// Set only now: until then reply writes directly, ahead of closeNow's close frame.
	c.visitorID = visitorID
	c.ticket, c.delivered = active, after
	c.pinger = time.AfterFunc(c.s.o.PingInterval, c.ping)
	c.mu.Unlock()
	c.push(encodeFrame(welcomeFrame{
		Type:      frameWelcome,
		Visitor:   signVisitor(site.Secret, site.Key, visitorID),
		VisitorID: visitorID,
		TicketID:  active,
		Site:      c.s.siteInfo(*site),
		Identity:  state,
		Limits:    c.s.limitsInfo(),
	}))
	// Subscribe before the first pull, so a notice during it is not lost.
	c.s.hub.move(c, active)
	c.requestPull()
	return true
}

// register files c in the hub under ticket.
func (c *conn) register(ticket string) {
	c.s.hub.add(c, ticket)
	select {
	case <-c.life.done:
		c.s.hub.remove(c)
	default:
	}
}

// adopt switches the resume point to ticket, from its start, when the
// desk put the visitor's message on another ticket (the old one closed).
func (c *conn) adopt(ticket string) {
	c.mu.Lock()
	if ticket == "" || ticket == c.ticket {
		c.mu.Unlock()
		return
	}
	c.ticket, c.delivered = ticket, 0
	c.mu.Unlock()
	c.s.hub.move(c, ticket)
	c.push(encodeFrame(ticketFrame{Type: frameTicket, TicketID: ticket}))
	c.requestPull()
}
