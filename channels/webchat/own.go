package webchat

import (
	"time"

	"huiliu/channels"
)

// ownNoticeWait bounds how long a notice that may be for the message this
// connection is storing waits for its ack. The desk publishes before
// Ingest returns, so the sender's own notice often arrives first; without
// the wait it would pull its own message back from SQL.
const ownNoticeWait = 50 * time.Millisecond

// own is what lets a connection skip reading back its own message: the
// last message it sent and got acked, and a notice held while an Ingest
// runs. It is a few words, not a set: the sender's notice is nearly
// always for its latest message, and any other case simply pulls.
type own struct {
	ingesting bool
	id        string // the last acked message of this connection ...
	seq       int64  // ... its seq on its ticket ...
	frame     []byte // ... and its message frame, built from what was stored; nil once sent or passed

	held       bool // a notice waits for the running Ingest
	heldTicket string
	heldID     string
	heldSeq    int64
	holdTimer  *time.Timer
	holdGen    uint64 // tells a stale timer from the current hold's
}

// notice handles a timeline notice for one of this connection's tickets.
// It runs on the Run goroutine and never waits.
func (c *conn) notice(n Notice) {
	c.mu.Lock()
	pull := c.judgeLocked(n)
	c.mu.Unlock()
	if pull {
		c.requestPull()
	}
}

// judgeLocked handles n unless it needs a pull, and says whether it does;
// c.mu is held. The resume point moves past n.Seq without a read only
// when everything before it was delivered and n is the message this
// connection itself sent and got acked: its frame is built from what the
// desk stored, and the widget has shown it since the ack. Anything else
// pulls.
func (c *conn) judgeLocked(n Notice) bool {
	switch {
	case c.closed:
		return false
	case n.MessageID == "" || n.Seq <= 0 || n.TicketID != c.ticket:
		return true
	case n.Seq <= c.delivered:
		// Seqs are given in commit order, so a message at or before the
		// resume point has been delivered already.
		return false
	case n.Seq != c.delivered+1:
		return true
	case n.MessageID == c.own.id && n.Seq == c.own.seq && c.own.frame != nil:
		// A running pull may be reading this very message: it folds into
		// one more round rather than sending it twice. Both frames or
		// neither, without waiting: a full queue pulls too, and the pull
		// waits on its own goroutine.
		if c.pulling || len(c.queue)+2 > c.s.o.SendQueue {
			return true
		}
		c.queue = append(c.queue, c.own.frame, encodeFrame(syncedFrame{Type: frameSynced, TicketID: n.TicketID, Seq: n.Seq}))
		c.own.frame = nil
		c.delivered = n.Seq
		c.kickLocked()
		return false
	case c.own.ingesting && !c.own.held:
		c.holdLocked(n)
		return false
	}
	return true
}

func (c *conn) holdLocked(n Notice) {
	c.own.held, c.own.heldTicket, c.own.heldID, c.own.heldSeq = true, n.TicketID, n.MessageID, n.Seq
	c.own.holdGen++
	gen := c.own.holdGen
	c.own.holdTimer = time.AfterFunc(c.s.ownWait, func() { c.holdExpired(gen) })
}

// takeHeldLocked ends the hold and returns the held notice, if any.
func (c *conn) takeHeldLocked() (Notice, bool) {
	if !c.own.held {
		return Notice{}, false
	}
	n := Notice{TicketID: c.own.heldTicket, MessageID: c.own.heldID, Seq: c.own.heldSeq}
	c.own.stopHold()
	return n, true
}

func (o *own) stopHold() {
	if o.holdTimer != nil {
		o.holdTimer.Stop()
	}
	o.held, o.heldTicket, o.heldID, o.heldSeq, o.holdTimer = false, "", "", 0, nil
}

// holdExpired pulls for a notice whose Ingest did not return in time.
func (c *conn) holdExpired(gen uint64) {
	c.mu.Lock()
	if !c.own.held || c.own.holdGen != gen {
		c.mu.Unlock()
		return // resolved meanwhile
	}
	c.own.stopHold()
	c.mu.Unlock()
	c.requestPull()
}

func (c *conn) ingestStarts() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.own.ingesting = true
}

// ingestFailed pulls for a held notice: it was someone else's.
func (c *conn) ingestFailed() {
	c.mu.Lock()
	c.own.ingesting = false
	_, had := c.takeHeldLocked()
	c.mu.Unlock()
	if had {
		c.requestPull()
	}
}

// acked records the message this connection stored, after its ack frame
// was queued, and settles a notice held for it. A duplicate is not
// recorded: the stored text and time are the first copy's, which this
// connection may not know.
func (c *conn) acked(rc channels.Receipt, in channels.Inbound, clientMsgID string) {
	var frame []byte
	if !rc.Duplicate {
		// As History would read it back; the record keeps milliseconds.
		frame = encodeMessage(Message{
			ID: rc.MessageID, TicketID: rc.TicketID, Seq: rc.Seq, From: "customer", Text: in.Text,
			ClientMsgID: clientMsgID, At: in.ReceivedAt.Truncate(time.Millisecond).UTC(),
		})
	}
	c.mu.Lock()
	c.own.ingesting = false
	c.own.id, c.own.seq, c.own.frame = rc.MessageID, rc.Seq, frame
	pull := false
	if n, had := c.takeHeldLocked(); had {
		pull = c.judgeLocked(n)
	}
	c.mu.Unlock()
	if pull {
		c.requestPull()
	}
}

// passedLocked forgets the own frame once the resume point is at or past
// it, so an idle connection does not keep it.
func (c *conn) passedLocked() {
	if c.own.frame != nil && c.delivered >= c.own.seq {
		c.own.frame = nil
	}
}
