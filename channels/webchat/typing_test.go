package webchat

import (
	"testing"
)

func TestAgentTypingReachesCustomer(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "m1", "hi")
	_, ack := c.until(t, frameAck)
	c.sync(t)
	e.feed.notify(Notice{TicketID: "someone-else", Typing: true, AgentName: "王五"})
	e.feed.notify(Notice{TicketID: ack.TicketID, Typing: true, AgentName: "张三"})
	if f := c.next(t); f.Type != frameTyping || f.AgentName != "张三" {
		t.Fatalf("got %+v", f)
	}
}

func TestCustomerTypingForwardedThrottled(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.send(t, `{"type":"typing"}`) // no ticket yet: nobody to tell
	c.message(t, "m1", "hi")
	_, ack := c.until(t, frameAck)
	c.sync(t)

	// A message after typing frames is a sync point: once it is acked,
	// every typing frame before it has been handled (one reader, in order).
	for range 5 {
		c.send(t, `{"type":"typing"}`)
	}
	c.message(t, "m2", "sync point")
	c.until(t, frameAck)
	e.clock.Advance(DefaultTypingInterval)
	c.send(t, `{"type":"typing"}`)
	c.message(t, "m3", "sync point")
	c.until(t, frameAck)
	close(e.feed.typing)
	var got []string
	for id := range e.feed.typing {
		got = append(got, id)
	}
	if len(got) != 2 || got[0] != ack.TicketID || got[1] != ack.TicketID {
		t.Fatalf("CustomerTyping calls %v, want two for %s (the burst throttled)", got, ack.TicketID)
	}
}
