package webchat

import (
	"testing"
)

func TestAckOnlyAfterCommit(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "m1", "你好")
	_, ack := c.until(t, frameAck)
	if ack.ClientMsgID != "m1" || ack.TicketID == "" || ack.Seq != 1 || ack.Duplicate {
		t.Fatalf("first ack %+v", ack)
	}
	c.sync(t) // the new ticket's first pull

	gate, entered := make(chan struct{}), make(chan string, 1)
	e.desk.setGate(gate, entered)
	c.message(t, "m2", "还在吗")
	<-entered
	// While Ingest is blocked, a frame queued after it must come first:
	// an early ack would already be in the queue ahead of it.
	e.feed.notify(Notice{TicketID: ack.TicketID, Typing: true, AgentName: "张三"})
	if f := c.next(t); f.Type != frameTyping {
		t.Fatalf("got %+v while the sink had not returned, want the typing frame", f)
	}
	close(gate)
	_, ack2 := c.until(t, frameAck)
	if ack2.ClientMsgID != "m2" || ack2.Seq != 2 {
		t.Fatalf("second ack %+v", ack2)
	}
}

func TestResentClientMsgIDIsDuplicate(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "dup-1", "first try")
	_, a1 := c.until(t, frameAck)
	c.close()

	// The widget never saw the ack (say) and re-sends after reconnecting.
	c2 := e.dial(t)
	defer c2.close()
	c2.hello(t, helloArgs{Visitor: w.Visitor, TicketID: a1.TicketID, After: 0})
	c2.message(t, "dup-1", "first try")
	_, a2 := c2.until(t, frameAck)
	if !a2.Duplicate || a2.ID != a1.ID || a2.Seq != a1.Seq || a1.Duplicate {
		t.Fatalf("acks %+v then %+v, want the same id, the second a duplicate", a1, a2)
	}
	if n := len(e.desk.stored()); n != 1 {
		t.Fatalf("%d messages stored, want 1", n)
	}
}

func TestInboundEnvelope(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "abc-123", "  多行\n文本  ")
	c.until(t, frameAck)
	in := e.desk.stored()[0]
	if in.Channel != "webchat" || in.ExternalID != w.VisitorID+":abc-123" || in.ThreadKey != testSiteKey ||
		in.From.Kind != "webchat" || in.From.Value != w.VisitorID || in.From.Name != "" ||
		in.Text != "  多行\n文本  " || !in.ReceivedAt.Equal(e.clock.Now()) || len(in.Links) != 0 {
		t.Fatalf("inbound %+v", in)
	}
}

func TestSinkFailureIsRetryable(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	e.desk.mu.Lock()
	e.desk.fail = errString("database is locked")
	e.desk.mu.Unlock()
	c.message(t, "m1", "hello")
	_, f := c.until(t, frameError)
	if f.Code != CodeUnavailable || f.ClientMsgID != "m1" || f.RetryAfter <= 0 {
		t.Fatalf("error %+v", f)
	}
	e.desk.mu.Lock()
	e.desk.fail = nil
	e.desk.mu.Unlock()
	c.message(t, "m1", "hello")
	if _, a := c.until(t, frameAck); a.ClientMsgID != "m1" || a.Duplicate {
		t.Fatalf("ack %+v", a)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
