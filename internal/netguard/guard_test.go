package netguard

import (
	"errors"
	"net/netip"
	"testing"
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
		reason := Classify(ip)
		if (reason != "") != c.blocked {
			t.Errorf("Classify(%s) = %q, blocked = %v; want blocked = %v", c.ip, reason, reason != "", c.blocked)
		}
	}
	if Classify(netip.Addr{}) == "" {
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
		err := Control("tcp", c.addr, nil)
		if (err != nil) != c.blocked {
			t.Errorf("Control(%q) = %v; want blocked = %v", c.addr, err, c.blocked)
		}
		var pa *PrivateAddressError
		if err != nil && !errors.As(err, &pa) {
			t.Errorf("Control(%q) = %T, want *PrivateAddressError", c.addr, err)
		}
	}
}
