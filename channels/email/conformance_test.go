package email

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/channeltest"
)

// TestConformance runs the channel suite against Dovecot (inbound) and an
// in-process SMTP server (outbound).
func TestConformance(t *testing.T) {
	testIMAP(t)
	channeltest.Run(t, channeltest.Harness{
		Channel: ChannelName,
		New: func(t *testing.T, _ channels.Sink) channeltest.Channel {
			imapc, mb := testFolder(t)
			srv := newSMTPServer(t)
			mb.SMTP.Port = srv.port()
			threads := newMemThreads()
			c, err := New([]Mailbox{mb}, Deps{Leases: &testLeases{}, Threads: threads, State: newMemState(),
				Bounces: &memBounces{}, Holder: "node-a"})
			if err != nil {
				t.Fatal(err)
			}
			c.retryBase = 50 * time.Millisecond
			return channeltest.Channel{
				Receiver: c,
				Adapter:  c,
				Deliver: func(t *testing.T, conv, text string) {
					// The same conv and text is the same mail: same Message-ID.
					sum := sha256.Sum256([]byte(conv + "\x00" + text))
					appendMail(t, imapc, mb.Folder, mailText(conv, hex.EncodeToString(sum[:8]), text))
				},
				Outbound: func(conv string) channels.Outbound {
					return channels.Outbound{MessageID: "01HTEST" + randHex(4), TicketID: "ticket-" + conv, Channel: ChannelName,
						ThreadKey: ThreadKey(mb.Name, "root-"+conv), To: channels.Party{Kind: "email", Value: conv + "@example.cn"},
						Text: "您好 " + conv, Subject: "Re: " + conv}
				},
				Fail: func(t *testing.T, f channeltest.Failure) {
					switch f {
					case channeltest.Temporary:
						srv.failNext(451)
					case channeltest.RetryAfter:
						srv.failNext(421)
					case channeltest.Permanent:
						srv.failNext(550)
					}
				},
			}
		},
	})
}
