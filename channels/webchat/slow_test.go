package webchat

import (
	"strings"
	"testing"
	"time"
)

// A client that stops reading is dropped once its queue stays full for
// WriteWait, and a client on another ticket keeps getting its messages
// meanwhile.
func TestSlowReaderDroppedOthersServed(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.SendQueue = 2
		o.WriteWait = 200 * time.Millisecond
		o.MaxTextBytes = 4096
	})
	slow := e.dial(t)
	defer slow.close()
	slow.hello(t, helloArgs{})
	slow.message(t, "s1", "slow")
	_, sa := slow.until(t, frameAck)
	slow.sync(t)

	fast := e.dial(t)
	defer fast.close()
	fast.hello(t, helloArgs{})
	fast.message(t, "f1", "fast")
	_, fa := fast.until(t, frameAck)
	fast.sync(t)

	// Far more than the socket buffers hold; the slow client reads none.
	big := strings.Repeat("回", 1<<19)
	for range 24 {
		e.desk.reply(sa.TicketID, big)
	}
	e.feed.notify(Notice{TicketID: sa.TicketID})

	for i := range 3 {
		e.desk.reply(fa.TicketID, "reply")
		e.feed.notify(Notice{TicketID: fa.TicketID})
		if got := fast.sync(t); len(got) != 1 || got[0].Seq != int64(i+2) {
			t.Fatalf("fast client got %s", texts(got))
		}
	}
	eventually(t, "the slow client to be dropped", func() bool { return e.srv.hub.count() == 1 })
	if !strings.Contains(e.logs.String(), "reads too slowly") && !strings.Contains(e.logs.String(), "write failed") {
		t.Fatalf("drop not logged:\n%s", e.logs)
	}
	// The fast one is still served after the drop.
	e.desk.reply(fa.TicketID, "last")
	e.feed.notify(Notice{TicketID: fa.TicketID})
	if got := texts(fast.sync(t)); got != "5:last" {
		t.Fatalf("fast client got %s", got)
	}
}
