package telegram

import (
	"net/http"
	"strconv"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/channels/channeltest"
	"huiliu/channels/telegram/telegramtest"
)

// TestConformance runs the channel suite over a polling bot and the fake
// Bot API. A replay is what Telegram does after a lost acknowledgement:
// the stored offset falls behind (a crash before the offset write) and the
// same update comes again.
func TestConformance(t *testing.T) {
	channeltest.Run(t, channeltest.Harness{
		Channel: ChannelName,
		New: func(t *testing.T, _ channels.Sink) channeltest.Channel {
			f := newFixture(t)
			c := f.channel(t, nil)
			chats := map[string]int64{"a": 3001, "b": 3002}
			var mu sync.Mutex
			sent := map[string]tgbotapi.Update{}
			var outs int
			return channeltest.Channel{
				Receiver: c,
				Adapter:  c,
				Deliver: func(t *testing.T, conv, text string) {
					mu.Lock()
					defer mu.Unlock()
					key := conv + "\x00" + text
					u, replay := sent[key]
					if !replay {
						u = telegramtest.Private(chats[conv], "Li", text)
						u.UpdateID = f.fake.Push(u)[0]
						sent[key] = u
						return
					}
					waitFor(t, "the first delivery acknowledged", func() bool { return f.offsets.get("main") > int64(u.UpdateID) })
					f.offsets.set("main", int64(u.UpdateID))
					f.fake.Push(u)
				},
				Outbound: func(conv string) channels.Outbound {
					mu.Lock()
					defer mu.Unlock()
					outs++
					return outbound("m"+strconv.Itoa(outs), ThreadKey("main", chats[conv]), "reply")
				},
				Fail: func(t *testing.T, fl channeltest.Failure) {
					chat := chats["a"]
					switch fl {
					case channeltest.Temporary:
						f.fake.FailServer(chat, 1)
					case channeltest.RetryAfter:
						f.fake.RateLimit(chat, 3, 1)
					case channeltest.Permanent:
						f.fake.Inject(telegramtest.Fault{Chat: chat, Times: 1, Code: http.StatusForbidden})
					}
				},
			}
		},
	})
}
