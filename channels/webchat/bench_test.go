package webchat

import (
	"fmt"
	"sync"
	"testing"
)

// BenchmarkFanout measures one round of notices to 200 connections on 200
// tickets: each notice makes its connection pull one new reply from
// History and deliver it. ns/op is per round.
func BenchmarkFanout(b *testing.B) {
	const conns = 200
	t := b
	e := newEnv(b, nil)
	clients := make([]*client, conns)
	tickets := make([]string, conns)
	for i := range clients {
		c, _, err := e.dialOrigin(testSiteKey, testOrigin)
		if err != nil {
			b.Fatal(err)
		}
		defer c.close()
		c.hello(t, helloArgs{})
		c.message(t, fmt.Sprintf("m%d", i), "hi")
		_, ack := c.until(t, frameAck)
		c.sync(t)
		clients[i], tickets[i] = c, ack.TicketID
	}
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for i, c := range clients {
			e.desk.reply(tickets[i], "reply")
			wg.Go(func() {
				if got := c.sync(t); len(got) != 1 {
					b.Errorf("got %d messages", len(got))
				}
			})
		}
		for _, tk := range tickets {
			e.feed.notify(Notice{TicketID: tk})
		}
		wg.Wait()
	}
}
