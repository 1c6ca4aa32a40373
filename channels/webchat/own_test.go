package webchat

import (
	"testing"
	"time"
)

// openTicket says hello, sends a first message (which opens a ticket and
// is read back by the switch to it) and returns the welcome and the ticket.
func openTicket(t *testing.T, c *client, h helloArgs) (frame, string) {
	t.Helper()
	w, _ := c.hello(t, h)
	c.message(t, "first", "你好")
	_, ack := c.until(t, frameAck)
	if got := texts(c.sync(t)); got != "1:你好" {
		t.Fatalf("first message read back as %q", got)
	}
	return w, ack.TicketID
}

// ownNotice is the notice the desk publishes for an acked message.
func ownNotice(ack frame) Notice {
	return Notice{TicketID: ack.TicketID, MessageID: ack.ID, Seq: ack.Seq}
}

// The sender gets its own message's frame without History being read: it
// has everything before it, and the message is the one it just stored.
func TestOwnMessageNotReadBack(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	_, ticket := openTicket(t, c, helloArgs{})
	reads := e.desk.readsOf(ticket)

	c.message(t, "m2", "还在吗")
	_, ack := c.until(t, frameAck)
	e.feed.notify(ownNotice(ack))
	msgs, synced := c.until(t, frameSynced)
	if len(msgs) != 1 || msgs[0].Msg.ID != ack.ID || msgs[0].Msg.Seq != 2 || msgs[0].Msg.ClientMsgID != "m2" ||
		msgs[0].Msg.Text != "还在吗" || msgs[0].Msg.From != "customer" || msgs[0].Msg.At.IsZero() {
		t.Fatalf("own message delivered as %+v", msgs)
	}
	if synced.Seq != 2 || synced.TicketID != ticket {
		t.Fatalf("synced %+v, want seq 2 of %s", synced, ticket)
	}
	if got := e.desk.readsOf(ticket); got != reads {
		t.Fatalf("History read %d more times for the sender's own message", got-reads)
	}

	// The resume point moved: an agent's reply comes next, and only it.
	e.desk.reply(ticket, "在的")
	e.feed.notify(Notice{TicketID: ticket})
	if got := texts(c.sync(t)); got != "3:在的" {
		t.Fatalf("after the own message: %q", got)
	}
}

// A second tab of the same visitor did not send the message: it reads it
// from History and shows it.
func TestOwnMessageSecondTabPulls(t *testing.T) {
	e := newEnv(t, nil)
	tab1 := e.dial(t)
	defer tab1.close()
	w, ticket := openTicket(t, tab1, helloArgs{})
	tab2 := e.dial(t)
	defer tab2.close()
	if w2, _ := tab2.hello(t, helloArgs{Visitor: w.Visitor, TicketID: ticket, After: 1}); w2.TicketID != ticket {
		t.Fatalf("second tab on ticket %q, want %q", w2.TicketID, ticket)
	}
	reads := e.desk.readsOf(ticket)

	tab1.message(t, "m2", "第二条")
	_, ack := tab1.until(t, frameAck)
	e.feed.notify(ownNotice(ack))
	got := tab2.sync(t)
	if len(got) != 1 || got[0].ID != ack.ID || got[0].ClientMsgID != "m2" {
		t.Fatalf("second tab got %s", texts(got))
	}
	if own := tab1.sync(t); len(own) != 1 || own[0].ID != ack.ID {
		t.Fatalf("sender got %s", texts(own))
	}
	if n := e.desk.readsOf(ticket) - reads; n != 1 {
		t.Fatalf("History read %d times, want once (the second tab)", n)
	}
}

// A message committed before the sender's own (a reply whose notice has
// not come) makes a gap: the connection reads both from History.
func TestOwnMessageAfterGapPulls(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	_, ticket := openTicket(t, c, helloArgs{})
	reads := e.desk.readsOf(ticket)

	e.desk.reply(ticket, "请稍等") // seq 2, its notice still on its way
	c.message(t, "m3", "好的")
	_, ack := c.until(t, frameAck)
	if ack.Seq != 3 {
		t.Fatalf("own message at seq %d, want 3", ack.Seq)
	}
	e.feed.notify(ownNotice(ack))
	if got := texts(c.sync(t)); got != "2:请稍等 3:好的" {
		t.Fatalf("after a gap: %q", got)
	}
	if e.desk.readsOf(ticket) == reads {
		t.Fatal("History was not read despite the gap")
	}
}

// A notice for another ticket reads nothing for this connection, even one
// naming this connection's last message id.
func TestOwnNoticeForAnotherTicketPullsNothing(t *testing.T) {
	e := newEnv(t, nil)
	a := e.dial(t)
	defer a.close()
	_, ticketA := openTicket(t, a, helloArgs{})
	b := e.dial(t)
	defer b.close()
	_, ticketB := openTicket(t, b, helloArgs{})
	readsA := e.desk.readsOf(ticketA)

	a.message(t, "m2", "A 的消息")
	_, ack := a.until(t, frameAck)
	e.desk.reply(ticketB, "给 B")
	// B's ticket, A's message: B did not send it, so B reads.
	e.feed.notify(Notice{TicketID: ticketB, MessageID: ack.ID, Seq: ack.Seq})
	if got := texts(b.sync(t)); got != "2:给 B" {
		t.Fatalf("B got %q", got)
	}
	// A's next frames are its own message when its notice comes: nothing
	// was pulled or sent for B's notices.
	e.feed.notify(ownNotice(ack))
	if got := texts(a.sync(t)); got != "2:A 的消息" {
		t.Fatalf("A got %q", got)
	}
	if n := e.desk.readsOf(ticketA) - readsA; n != 0 {
		t.Fatalf("A's ticket read %d times", n)
	}
}

// The desk publishes before Ingest returns, so the sender's notice often
// comes before its ack: it waits for the ack instead of pulling.
func TestOwnNoticeBeforeAckWaitsForIt(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.ownWait = time.Hour // only the ack may settle it
	c := e.dial(t)
	defer c.close()
	_, ticket := openTicket(t, c, helloArgs{})
	reads := e.desk.readsOf(ticket)

	gate, entered := make(chan struct{}), make(chan string, 1)
	e.desk.setGate(gate, entered)
	c.message(t, "m2", "稍后确认")
	<-entered
	// The fake desk names messages <ticket>-m<seq>.
	e.feed.notify(Notice{TicketID: ticket, MessageID: ticket + "-m2", Seq: 2})
	e.desk.setGate(nil, nil)
	close(gate)
	_, ack := c.until(t, frameAck)
	if ack.ID != ticket+"-m2" {
		t.Fatalf("ack %+v", ack)
	}
	if got := texts(c.sync(t)); got != "2:稍后确认" {
		t.Fatalf("own message delivered as %q", got)
	}
	if n := e.desk.readsOf(ticket) - reads; n != 0 {
		t.Fatalf("History read %d times", n)
	}
}

// A notice held for an Ingest that does not return is someone else's as
// far as the connection can tell: it pulls once the wait is over.
func TestHeldNoticePullsWhenIngestStalls(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.ownWait = time.Millisecond
	c := e.dial(t)
	defer c.close()
	_, ticket := openTicket(t, c, helloArgs{})

	gate, entered := make(chan struct{}), make(chan string, 1)
	e.desk.setGate(gate, entered)
	defer close(gate)
	c.message(t, "m-stuck", "卡住了")
	<-entered
	r := e.desk.reply(ticket, "收到")
	e.feed.notify(Notice{TicketID: ticket, MessageID: r.ID, Seq: r.Seq})
	if got := texts(c.sync(t)); got != "2:收到" {
		t.Fatalf("while the Ingest is stuck: %q", got)
	}
}

// A notice for a message the connection already delivered reads nothing.
func TestNoticeForDeliveredMessagePullsNothing(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	_, ticket := openTicket(t, c, helloArgs{})
	r := e.desk.reply(ticket, "第一条回复")
	e.feed.notify(Notice{TicketID: ticket})
	c.sync(t)
	reads := e.desk.readsOf(ticket)

	e.feed.notify(Notice{TicketID: ticket, MessageID: r.ID, Seq: r.Seq}) // late, already read
	e.desk.reply(ticket, "第二条回复")
	e.feed.notify(Notice{TicketID: ticket})
	if got := texts(c.sync(t)); got != "3:第二条回复" {
		t.Fatalf("got %q", got)
	}
	if n := e.desk.readsOf(ticket) - reads; n != 1 {
		t.Fatalf("History read %d times, want once", n)
	}
}
