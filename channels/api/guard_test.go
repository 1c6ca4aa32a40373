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
)

// Classification only: none of the public addresses here is ever dialled.
func TestClassify(t *testing.T) {
	cases := []struct {
		ip      string
		blocked bool
	}{
		// IPv4
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"100.64.0.1", true},
		{"100.127.255.254", true},
		{"169.254.169.254", true}, // cloud metadata
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"224.0.0.1", true},
		{"239.255.255.250", true},
		{"255.255.255.255", true},
		{"240.0.0.1", true},
		{"192.0.0.8", true},
		{"198.18.0.1", true},
		{"192.0.2.1", true},
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"172.15.255.255", false}, // just outside 172.16/12
		{"172.32.0.0", false},
		{"100.63.255.255", false}, // just outside CGNAT
		{"100.128.0.0", false},
		{"11.0.0.1", false},
		// IPv6
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"fd00::1", true},
		{"fc00::1", true},
		{"ff02::1", true},
		{"ff05::2", true},
		{"fec0::1", true},
		{"2001:db8::1", true},
		{"100::1", true},
		{"2001::1", true},
		// IPv4 inside IPv6
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"::ffff:169.254.169.254", true},
		{"::ffff:100.64.0.1", true},
		{"::ffff:0.0.0.0", true},
		{"::127.0.0.1", true},        // IPv4-compatible
		{"64:ff9b::7f00:1", true},    // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", true}, // NAT64 of 169.254.169.254
		{"2002:c0a8:0101::1", true},  // 6to4 of 192.168.1.1
		{"2002:7f00:1::", true},      // 6to4 of 127.0.0.1
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"2002:808:808::1", false},  // 6to4 of 8.8.8.8
		{"2001:4860:4860::8888", false},
		{"2606:4700:4700::1111", false},
	}
	for _, c := range cases {
		ip := netip.MustParseAddr(c.ip)
		reason := classify(ip)
		if (reason != "") != c.blocked {
			t.Errorf("classify(%s) = %q, blocked = %v; want blocked = %v", c.ip, reason, reason != "", c.blocked)
		}
	}
	if classify(netip.Addr{}) == "" {
		t.Error("the zero Addr must be refused")
	}
}

func TestGuardControl(t *testing.T) {
	cases := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1:80", true},
		{"[::1]:443", true},
		{"[::ffff:127.0.0.1]:443", true},
		{"[fe80::1%eth0]:80", true},
		{"10.0.0.5:8080", true},
		{"not-an-address", true}, // fail closed
		{"example.com:443", true},
		{"8.8.8.8:443", false},
		{"[2001:4860:4860::8888]:443", false},
	}
	for _, c := range cases {
		err := guardControl("tcp", c.addr, nil)
		if (err != nil) != c.blocked {
			t.Errorf("guardControl(%q) = %v; want blocked = %v", c.addr, err, c.blocked)
		}
		var pa *PrivateAddressError
		if err != nil && !errors.As(err, &pa) {
			t.Errorf("guardControl(%q) = %T, want *PrivateAddressError", c.addr, err)
		}
	}
}

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
		var pa *PrivateAddressError
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
