package webchat

import (
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"huiliu/channels"
	"huiliu/channels/channeltest"
)

// TestConformance runs the channel suite over the customer websocket: each
// conversation is a visitor's connection, and a replay is the widget
// re-sending a message under the same client_msg_id after a lost ack.
// Replies are read from SQL, so sends have no peer that could refuse them.
func TestConformance(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{
		Channel: ChannelName,
		New: func(t *testing.T, sink channels.Sink) channeltest.Channel {
			d := newFakeDesk()
			e := &env{desk: d, feed: newFakeFeed(), clock: newClock(), logs: &logBuffer{}}
			e.srv = New(Options{Sites: fakeSites{testSiteKey: {ID: "s1", Key: testSiteKey, Secret: testSecret, Origins: []string{testOrigin}}},
				Sink: sink, History: d, Feed: e.feed, Now: e.clock.Now})
			e.ts = httptest.NewServer(e.srv.Handler())
			t.Cleanup(func() {
				e.srv.Close()
				e.ts.Close()
			})
			var mu sync.Mutex
			visitors := map[string]*client{}
			cmids := map[string]string{}
			return channeltest.Channel{
				Receiver: e.srv,
				Adapter:  e.srv.Adapter(),
				Deliver: func(t *testing.T, conv, text string) {
					mu.Lock()
					defer mu.Unlock()
					c := visitors[conv]
					if c == nil {
						c = e.dial(t)
						t.Cleanup(c.close)
						c.hello(t, helloArgs{})
						visitors[conv] = c
					}
					key := conv + "\x00" + text
					if cmids[key] == "" {
						cmids[key] = "c" + strconv.Itoa(len(cmids)+1)
					}
					c.message(t, cmids[key], text)
				},
				Outbound: func(conv string) channels.Outbound {
					return channels.Outbound{MessageID: "m-" + conv, TicketID: "t-" + conv, Channel: ChannelName, ThreadKey: testSiteKey, Text: "reply"}
				},
			}
		},
	})
}
