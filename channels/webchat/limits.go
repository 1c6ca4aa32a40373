package webchat

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"
)

// Windows of the anonymous flood limits. Counts are per window, so a
// burst up to the count is always allowed: a carrier NAT puts many real
// customers behind one address, and they arrive in bursts too.
const (
	addressWindow = 10 * time.Minute
	siteWindow    = time.Minute
)

// busyRetry is the base delay a busy answer asks for; each answer adds up
// to as much again in jitter so refused widgets do not come back together.
const busyRetry = 500 * time.Millisecond

// clientAddr is the address the flood limits count: the connection's peer,
// or with TrustProxy the address the proxy appended to X-Forwarded-For.
func (s *Server) clientAddr(r *http.Request) string {
	if s.o.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a := strings.TrimSpace(last); a != "" {
				return a
			}
		}
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// allowNewVisitor counts a visitor id minted for addr on site (a hello
// without a valid token). A limit below zero turns the count off.
func (s *Server) allowNewVisitor(ctx context.Context, site, addr string) (bool, time.Duration) {
	if s.o.NewVisitorsPerAddress < 0 {
		return true, 0
	}
	return s.allow(ctx, "webchat:visitors:"+site+":"+addr, s.o.NewVisitorsPerAddress, addressWindow)
}

// allowNewTicket counts a message that may open a ticket (its connection
// has no active ticket) against its address and its site: tickets, not
// sockets, so idle tabs behind one NAT cost nothing.
func (s *Server) allowNewTicket(ctx context.Context, site, addr string) (bool, time.Duration) {
	if s.o.NewTicketsPerAddress >= 0 {
		if ok, retry := s.allow(ctx, "webchat:tickets:"+site+":"+addr, s.o.NewTicketsPerAddress, addressWindow); !ok {
			return false, retry
		}
	}
	if s.o.NewTicketsPerSite >= 0 {
		return s.allow(ctx, "webchat:tickets:"+site, s.o.NewTicketsPerSite, siteWindow)
	}
	return true, 0
}

// tryIngest takes one of the node's ingest slots without waiting; release
// gives it back. Refusing at once keeps the latency of what is accepted
// bounded when customers offer more than the node can store.
func (s *Server) tryIngest() (release func(), ok bool) {
	select {
	case s.ingestSlots <- struct{}{}:
		return func() { <-s.ingestSlots }, true
	default:
		return nil, false
	}
}

// busyDelay is the retry delay of one busy answer, jittered.
func busyDelay() time.Duration {
	return busyRetry + rand.N(busyRetry)
}
