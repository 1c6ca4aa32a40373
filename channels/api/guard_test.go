package api

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/internal/netguard"
)

// With the guard on, loopback destinations are refused at dial time: the
// server sees not even a connection.
func TestPrivateDestinationsRefused(t *testing.T) {
	srv := serveBlocking(t)
	port := srv.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	p := strconv.Itoa(int(port))
	for _, u := range []string{
		srv.URL,                           // http://127.0.0.1:PORT
		"http://localhost:" + p + "/hook", // a name, resolved from /etc/hosts, not DNS
		"http://[::ffff:127.0.0.1]:" + p + "/",
		"http://0.0.0.0:" + p + "/",
		"http://[::1]:" + p + "/",
	} {
		a := newTestAdapter(t, Config{CallbackURL: u})
		_, err := a.Send(context.Background(), sample)
		if !errors.Is(err, channels.ErrPermanent) {
			t.Fatalf("%s: err = %v, want permanent", u, err)
		}
		var pa *netguard.PrivateAddressError
		if !errors.As(err, &pa) {
			t.Errorf("%s: err = %v, want a *PrivateAddressError inside", u, err)
		}
		for _, s := range []string{"api callback: refused to connect", "private", "allow_private_callbacks"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not mention %q", u, err, s)
			}
		}
	}
	if c, r := srv.conns.Load(), srv.requests.Load(); c != 0 || r != 0 {
		t.Fatalf("server saw %d connections and %d requests, want none", c, r)
	}
}

// The environment proxy must not be used: it would connect on our behalf
// and bypass the dial guard. (Checked structurally: a behavioural test
// would need a non-loopback destination, and net/http never proxies
// loopback anyway.)
func TestNoEnvironmentProxy(t *testing.T) {
	for _, allow := range []bool{false, true} {
		a := newTestAdapter(t, Config{CallbackURL: "https://example.com/h", AllowPrivate: allow})
		tr, ok := a.client.Transport.(*http.Transport)
		if !ok || tr.Proxy != nil || tr.DialContext == nil {
			t.Fatalf("AllowPrivate=%v: transport %#v; want an *http.Transport with no Proxy and our dialer", allow, a.client.Transport)
		}
		if a.client.CheckRedirect == nil {
			t.Fatalf("AllowPrivate=%v: redirects would be followed", allow)
		}
	}
}
