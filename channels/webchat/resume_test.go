package webchat

import (
	"testing"
)

// TestResumeNoGapNoDuplicate walks through a drop (Close), replies and a
// note committed while the client was away with no notice at all, and a
// notice lost while connected: the client sees every visible message
// exactly once, in order.
func TestResumeNoGapNoDuplicate(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, msgs := c.hello(t, helloArgs{})
	if w.TicketID != "" || len(msgs) != 0 || w.Site.Greeting == "" {
		t.Fatalf("welcome %+v, messages %v", w, msgs)
	}
	c.message(t, "c1", "我的订单")
	_, ack := c.until(t, frameAck)
	tk := ack.TicketID
	if got := texts(c.sync(t)); got != "1:我的订单" { // the switch to the new ticket pulls it
		t.Fatalf("after ack: %s", got)
	}
	e.desk.reply(tk, "r2")
	e.feed.notify(Notice{TicketID: tk})
	if got := texts(c.sync(t)); got != "2:r2" {
		t.Fatalf("after notice: %s", got)
	}

	e.srv.Close()
	if code := c.closeCode(t); code != CloseRestart {
		t.Fatalf("close code %d, want %d", code, CloseRestart)
	}
	e.desk.reply(tk, "r3")
	e.desk.note(tk)
	e.desk.reply(tk, "r5")

	c = e.dial(t)
	defer c.close()
	w2, msgs := c.hello(t, helloArgs{Visitor: w.Visitor, TicketID: tk, After: 2})
	if w2.VisitorID != w.VisitorID || w2.TicketID != tk {
		t.Fatalf("welcome %+v", w2)
	}
	if got := texts(msgs); got != "3:r3 5:r5" {
		t.Fatalf("resume: %s", got)
	}

	// An agent reply commits just before the customer's message; its
	// notice is lost. The ack (seq 7) must not move the resume point past 6.
	e.desk.reply(tk, "r6")
	c.message(t, "c7", "好的")
	_, ack = c.until(t, frameAck)
	if ack.Seq != 7 {
		t.Fatalf("ack %+v", ack)
	}
	e.desk.reply(tk, "r8")
	e.feed.notify(Notice{TicketID: tk})
	if got := texts(c.sync(t)); got != "6:r6 7:好的 8:r8" {
		t.Fatalf("after a lost notice: %s", got)
	}
	e.feed.notify(Notice{TicketID: tk}) // nothing new: nothing sent twice
	if got := texts(c.sync(t)); got != "" {
		t.Fatalf("repeat: %s", got)
	}
}

func TestResumePagesUntilCaughtUp(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.HistoryLimit = 3 })
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "c1", "hi")
	_, ack := c.until(t, frameAck)
	c.sync(t)
	c.close()
	for range 7 {
		e.desk.reply(ack.TicketID, "r")
	}
	c = e.dial(t)
	defer c.close()
	_, msgs := c.hello(t, helloArgs{Visitor: w.Visitor, TicketID: ack.TicketID, After: 1})
	if len(msgs) != 7 || msgs[0].Seq != 2 || msgs[6].Seq != 8 {
		t.Fatalf("got %s", texts(msgs))
	}
}

func TestTicketSwitch(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "c1", "old question")
	_, ack := c.until(t, frameAck)
	old := ack.TicketID
	c.sync(t)
	e.desk.reply(old, "answer")
	c.close()
	e.desk.closeTicket(old)

	// The old ticket is closed: nothing to resume, and its id is not
	// enough to read it.
	c = e.dial(t)
	defer c.close()
	w2, msgs := c.hello(t, helloArgs{Visitor: w.Visitor, TicketID: old, After: 1})
	if w2.TicketID != "" || len(msgs) != 0 {
		t.Fatalf("welcome %+v, messages %s", w2, texts(msgs))
	}
	c.message(t, "c2", "new question")
	frames, ack2 := c.until(t, frameAck)
	if len(frames) != 0 || ack2.TicketID == old || ack2.Seq != 1 {
		t.Fatalf("frames %+v ack %+v", frames, ack2)
	}
	if f := c.next(t); f.Type != frameTicket || f.TicketID != ack2.TicketID {
		t.Fatalf("got %+v, want the ticket switch", f)
	}
	if got := texts(c.sync(t)); got != "1:new question" {
		t.Fatalf("new ticket from seq 0: %s", got)
	}
}

func TestHelloOnStaleTicketGetsActiveFromStart(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "c1", "first")
	_, a1 := c.until(t, frameAck)
	c.sync(t)
	c.close()
	e.desk.closeTicket(a1.TicketID)

	// Another tab opens a new ticket while this one sleeps.
	other := e.dial(t)
	other.hello(t, helloArgs{Visitor: w.Visitor})
	other.message(t, "c2", "second")
	_, a2 := other.until(t, frameAck)
	other.close()
	e.desk.reply(a2.TicketID, "reply")

	c = e.dial(t)
	defer c.close()
	w2, msgs := c.hello(t, helloArgs{Visitor: w.Visitor, TicketID: a1.TicketID, After: 5})
	if w2.TicketID != a2.TicketID || texts(msgs) != "1:second 2:reply" {
		t.Fatalf("welcome %+v messages %s", w2, texts(msgs))
	}
}

func TestFeedLossRepullsEveryConnection(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "c1", "hi")
	_, ack := c.until(t, frameAck)
	c.sync(t)

	e.desk.reply(ack.TicketID, "while the feed was down") // its notice is lost
	e.feed.lose()
	if got := texts(c.sync(t)); got != "2:while the feed was down" {
		t.Fatalf("after feed loss: %s", got)
	}
	if n := <-e.feed.subbed; n != 2 {
		t.Fatalf("subscription %d, want a second one", n)
	}
	// The pull after re-subscribing may fold into the first one; either
	// way nothing comes twice.
	e.desk.reply(ack.TicketID, "after")
	e.feed.notify(Notice{TicketID: ack.TicketID})
	if got := texts(c.collect(t, "after")); got != "3:after" {
		t.Fatalf("on the new subscription: %s", got)
	}
}

func TestCloseReachesConnectionBeforeHello(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	eventually(t, "the connection to register", func() bool { return e.srv.hub.count() == 1 })
	e.srv.Close()
	if code := c.closeCode(t); code != CloseRestart {
		t.Fatalf("close %d, want %d", code, CloseRestart)
	}
}
