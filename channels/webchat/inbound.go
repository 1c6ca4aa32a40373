package webchat

import (
	"context"
	"strings"
	"time"

	"huiliu/channels"
)

// unavailableRetry is what a client is told to wait when the desk failed.
const unavailableRetry = 5 * time.Second

// handleMessage stores one customer message and acks it after the commit.
// It runs on the connection's inbound worker, one frame at a time, so a
// visitor's messages reach the desk in the order they were sent.
func (c *conn) handleMessage(f clientFrame) {
	site := c.site
	ok, retry := c.s.allow(&c.life, "webchat:msg:"+site.Key+":"+c.visitorID, c.s.o.MessagesPerMinute, time.Minute)
	if !ok {
		c.push(encodeFrame(errorFrame{
			Type: frameError, Code: CodeRateLimited, ClientMsgID: f.ClientMsgID,
			Message: "too many messages; this one was not sent and will be retried", RetryAfter: retrySeconds(retry),
		}))
		return
	}
	release, ok := c.s.tryIngest()
	if !ok {
		d := busyDelay()
		c.push(encodeFrame(errorFrame{
			Type: frameError, Code: CodeBusy, ClientMsgID: f.ClientMsgID,
			Message: "busy; this message was not sent and will be retried", RetryAfter: retrySeconds(d), RetryAfterMs: d.Milliseconds(),
		}))
		return
	}
	defer release()
	c.mu.Lock()
	before := c.ticket
	c.mu.Unlock()
	opens := before == "" || f.New
	if opens {
		if ok, retry := c.s.allowNewTicket(&c.life, site.Key, c.remote); !ok {
			c.push(encodeFrame(errorFrame{
				Type: frameError, Code: CodeRateLimited, ClientMsgID: f.ClientMsgID,
				Message: "too many new chats; this message was not sent and will be retried", RetryAfter: retrySeconds(retry),
			}))
			return
		}
	}
	in := channels.Inbound{
		Channel:    ChannelName,
		ExternalID: externalID(c.visitorID, f.ClientMsgID),
		ThreadKey:  site.Key,
		From:       channels.Party{Kind: ChannelName, Value: c.visitorID},
		Text:       f.Text,
		ReceivedAt: c.s.now(),

		NewConversation: f.New,
	}
	if c.ident != nil {
		in.From.Name = c.ident.Name
		if !c.linked {
			in.Links = []channels.Party{{
				Kind: "customer_no", Value: c.ident.CustomerNo, Name: c.ident.Name,
				Verified: true, Method: identityMethod,
			}}
		}
	}
	c.ingestStarts()
	ctx, cancel := context.WithTimeout(&c.life, c.s.o.IngestTimeout)
	rc, err := c.s.o.Sink.Ingest(ctx, in)
	cancel()
	if err != nil {
		c.ingestFailed()
		if c.life.Err() != nil {
			return // gone; the widget re-sends with the same client_msg_id
		}
		c.logger().Error("webchat: storing a customer message failed", "client_msg_id", f.ClientMsgID, "err", err)
		c.push(encodeFrame(errorFrame{
			Type: frameError, Code: CodeUnavailable, ClientMsgID: f.ClientMsgID,
			Message: "the message could not be stored yet and will be retried", RetryAfter: retrySeconds(unavailableRetry),
		}))
		return
	}
	if len(in.Links) > 0 {
		c.linked = true
	}
	// The ack never moves the resume point: an agent reply committed just
	// before this message would be skipped. The message frame follows when
	// its notice arrives: built from what was stored when nothing came
	// before it (own.go), read back from History otherwise.
	c.push(encodeFrame(ackFrame{
		Type: frameAck, ClientMsgID: f.ClientMsgID, ID: rc.MessageID, Seq: rc.Seq,
		TicketID: rc.TicketID, Duplicate: rc.Duplicate, Linked: len(in.Links) > 0,
	}))
	c.acked(rc, in, f.ClientMsgID)
	c.adopt(rc.TicketID)
	if rc.TicketID != before && !rc.Duplicate {
		// The message opened the ticket: the acknowledgement (queue place,
		// hours) follows its ack.
		c.sendState(rc.TicketID)
	}
}

// handleTyping tells the agents the customer types, at most once per
// TypingInterval per connection; the rest are dropped silently.
func (c *conn) handleTyping() {
	feed := c.s.o.Feed
	c.mu.Lock()
	ticket := c.ticket
	c.mu.Unlock()
	now := c.s.now()
	if feed == nil || ticket == "" || (!c.lastTyping.IsZero() && now.Sub(c.lastTyping) < c.s.o.TypingInterval) {
		return
	}
	c.lastTyping = now
	ctx, cancel := context.WithTimeout(&c.life, 5*time.Second)
	defer cancel()
	if err := feed.CustomerTyping(ctx, ticket); err != nil && c.life.Err() == nil {
		c.logger().Debug("webchat: forwarding customer typing failed", "err", err)
	}
}

// externalID is the desk's dedupe key of a visitor's message: a visitor's
// client message ids are unique only to them.
func externalID(visitorID, clientMsgID string) string { return visitorID + ":" + clientMsgID }

// ClientMsgID is the widget's own id of a visitor's message stored under
// the external id ext; "" when ext is not of that form.
func ClientMsgID(ext string) string {
	_, id, _ := strings.Cut(ext, ":")
	return id
}
