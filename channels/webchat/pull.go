package webchat

import (
	"encoding/json"
	"fmt"
	"time"
)

// requestPull makes the connection read its ticket's timeline from its
// resume point. Requests while a pull runs fold into one more round, so a
// burst of notices costs at most two reads.
func (c *conn) requestPull() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if c.pulling {
		c.again = true
		return
	}
	c.pulling = true
	go c.pullLoop()
}

func (c *conn) pullLoop() {
	for {
		c.mu.Lock()
		c.again = false
		ticket, after := c.ticket, c.delivered
		c.mu.Unlock()

		err := c.pull(ticket, after)

		c.mu.Lock()
		if err != nil || !c.again || c.closed {
			c.pulling = false
			c.mu.Unlock()
			if err != nil && c.life.Err() == nil {
				c.logger().Warn("webchat: pull failed; retrying", "err", err, "in", c.s.pullRetry)
				time.AfterFunc(c.s.pullRetry, c.requestPull)
			}
			return
		}
		c.mu.Unlock()
	}
}

// pull sends ticket's visible messages after seq after, page by page
// until caught up, then a synced frame.
func (c *conn) pull(ticket string, after int64) error {
	if ticket != "" {
		limit := c.s.o.HistoryLimit
		for {
			msgs, err := c.messages(ticket, after, limit)
			if err != nil {
				return fmt.Errorf("webchat: pulling ticket %s after seq %d: %w", ticket, after, err)
			}
			start := after
			for _, m := range msgs {
				if m.Seq <= after || (m.TicketID != "" && m.TicketID != ticket) {
					continue // a History that ignored its arguments must not cause repeats or leaks
				}
				m.TicketID = ticket
				c.signFiles(&m)
				if !c.push(encodeMessage(m)) {
					return nil
				}
				after = m.Seq
			}
			c.mu.Lock()
			current := c.ticket == ticket
			if current && after > c.delivered {
				c.delivered = after
				c.passedLocked()
			}
			c.mu.Unlock()
			if !current {
				return nil // switched meanwhile; the switch asked for its own pull
			}
			if len(msgs) < limit || after == start {
				break
			}
		}
	}
	c.push(encodeFrame(syncedFrame{Type: frameSynced, TicketID: ticket, Seq: after}))
	return nil
}

// messages calls History within the node's concurrency bound.
func (c *conn) messages(ticket string, after int64, limit int) ([]Message, error) {
	select {
	case c.s.pullSlots <- struct{}{}:
	case <-c.life.done:
		return nil, c.life.Err()
	}
	defer func() { <-c.s.pullSlots }()
	return c.s.o.History.Messages(&c.life, ticket, after, limit)
}

// encodeMessage never fails on data from the record: a time JSON cannot
// spell (year outside 0–9999) is sent as zero rather than not at all.
func encodeMessage(m Message) []byte {
	b, err := json.Marshal(messageFrame{Type: frameMessage, Message: m})
	if err != nil {
		m.At = time.Time{}
		b = encodeFrame(messageFrame{Type: frameMessage, Message: m})
	}
	return b
}
