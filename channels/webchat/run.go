package webchat

import (
	"context"

	"huiliu/channels"
)

// Run consumes the Feed and fans notices out to local connections until
// ctx ends. A notice only makes connections pull from History, so a lost
// one delays a message and never loses it; when the feed's channel closes,
// every connection pulls again once the feed is back.
//
// Run makes the Server a channels.Receiver. Customers' messages arrive on
// the sockets Handler serves, which store them in Options.Sink (they are
// accepted before and after Run), so the sink given here goes unused: the
// wiring passes the same one.
func (s *Server) Run(ctx context.Context, _ channels.Sink) error {
	if s.o.Feed == nil {
		<-ctx.Done()
		return nil
	}
	backoff := s.feedRetryBase
	resumed := false
	for ctx.Err() == nil {
		ch, err := s.o.Feed.Notices(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			s.log.Warn("webchat: subscribing to notices failed; retrying", "err", err, "in", backoff)
			channels.Sleep(ctx, backoff)
			backoff = min(2*backoff, feedRetryMax)
			continue
		}
		if resumed {
			// Notices between the loss and this subscription are gone.
			s.repullAll()
		}
		got := s.consume(ctx, ch)
		if ctx.Err() != nil {
			break
		}
		s.log.Warn("webchat: notice feed closed; re-pulling every connection", "notices", got, "resubscribe_in", backoff)
		s.repullAll()
		resumed = true
		if got > 0 {
			backoff = s.feedRetryBase
		}
		channels.Sleep(ctx, backoff)
		backoff = min(2*backoff, feedRetryMax)
	}
	return nil
}

// consume dispatches notices until ch closes or ctx ends and says how many
// it saw.
func (s *Server) consume(ctx context.Context, ch <-chan Notice) int {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n
		case notice, ok := <-ch:
			if !ok {
				return n
			}
			n++
			s.dispatch(notice)
		}
	}
}

// dispatch never blocks on a connection: pulls run on their own and a
// typing frame is dropped for a connection whose queue is full.
func (s *Server) dispatch(n Notice) {
	conns := s.hub.ticket(n.TicketID)
	if len(conns) == 0 {
		return
	}
	var typing []byte
	if n.Typing {
		typing = encodeFrame(typingFrame{Type: frameTyping, AgentName: n.AgentName})
	}
	for _, c := range conns {
		if n.Typing {
			c.offer(typing)
		} else {
			c.notice(n)
		}
	}
}

func (s *Server) repullAll() {
	for _, c := range s.hub.snapshot() {
		c.requestPull()
	}
}
