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

// hello establishes who the visitor is and where they resume, then starts
// pinging. It reports false when the connection must end.
func (c *conn) hello(f clientFrame) bool {
	site := c.site
	visitorID := ""
	if f.Visitor != "" {
		id, err := verifyVisitor(site.Secret, site.Key, f.Visitor)
		if err != nil {
			// Never trusted: a bad token only costs the client its history.
			c.log.Info("webchat: visitor token refused; starting a new visitor", "reason", err)
		} else {
			visitorID = id
		}
	}
	if visitorID == "" {
		visitorID = newVisitorID()
	}
	c.log = c.log.With("visitor", visitorID)

	state := identityNone
	if f.Identity != nil {
		id, err := verifyIdentity(site.Secret, *f.Identity, c.s.now())
		if err != nil {
			state = identityIgnored
			c.log.Warn("webchat: signed identity ignored; chatting anonymously", "reason", err,
				"customer_no", truncate(f.Identity.CustomerNo, maxCustomerNoBytes))
		} else {
			state = identityVerified
			c.ident = &id
		}
	}

	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	active, err := c.s.o.History.ActiveTicket(ctx, site.Key, visitorID)
	cancel()
	if err != nil {
		c.log.Error("webchat: reading the visitor's active ticket", "err", err)
		c.closeNow(websocket.CloseInternalServerErr, &refusal{Code: CodeUnavailable, Message: "the chat is unavailable; reconnect later"})
		return false
	}
	// The client's resume point counts only on the visitor's own active
	// ticket: any other ticket id is either closed or someone else's.
	var after int64
	if f.TicketID == active {
		after = f.After
	}
	c.visitorID = visitorID
	c.mu.Lock()
	c.ticket, c.delivered = active, after
	c.mu.Unlock()

	c.mu.Lock()
	c.pinger = time.AfterFunc(c.s.o.PingInterval, c.ping)
	c.mu.Unlock()
	c.push(encodeFrame(welcomeFrame{
		Type:      frameWelcome,
		Visitor:   signVisitor(site.Secret, site.Key, visitorID),
		VisitorID: visitorID,
		TicketID:  active,
		Site:      c.s.siteInfo(site),
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
	case <-c.done:
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
