// Package netguard keeps outgoing requests to addresses the operator
// configured (API callbacks, the customer facts API) off private networks:
// a net.Dialer.Control hook that refuses non-public destinations after DNS
// resolution.
package netguard

import (
	"fmt"
	"net/netip"
	"syscall"
)

// PrivateAddressError is returned by the dial guard when the resolved
// destination is not a public unicast address.
type PrivateAddressError struct {
	Addr   netip.Addr
	Reason string // e.g. "loopback", "RFC 1918 network"
}

func (e *PrivateAddressError) Error() string {
	if !e.Addr.IsValid() {
		return "the target address is not known to be public (" + e.Reason + ")"
	}
	return fmt.Sprintf("the target address %s is private (%s)", e.Addr, e.Reason)
}

// blockedPrefixes are non-public ranges that netip's Is* predicates do not
// cover. Most are not routable on the internet anyway, so blocking them
// costs nothing, while some (CGNAT, 0.0.0.0/8, 192.0.0.0/24) do reach hosts
// next to the desk on some networks.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\""},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // includes 255.255.255.255
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/32"), "Teredo tunnel"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// IPv6 ranges that carry an IPv4 address; the embedded address is judged
// instead, so e.g. 64:ff9b::7f00:1 (NAT64 of 127.0.0.1) cannot slip past.
var (
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour  = netip.MustParsePrefix("2002::/16")
	v4Compat   = netip.MustParsePrefix("::/96")
)

// Classify returns why ip must not be a destination, or "" when
// it is a public unicast address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
// judged as the IPv4 address it stands for.
func Classify(ip netip.Addr) string {
	if !ip.IsValid() {
		return "not an IP address"
	}
	ip = ip.WithZone("").Unmap()
	switch {
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		if ip.Is4() {
			return "RFC 1918 network"
		}
		return "unique local, fc00::/7"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast():
		return "multicast"
	}
	for _, b := range blockedPrefixes {
		if b.prefix.Contains(ip) {
			return b.reason
		}
	}
	if ip.Is6() {
		if v4, ok := embeddedIPv4(ip); ok {
			if r := Classify(v4); r != "" {
				return r + ", embedded in IPv6"
			}
		}
	}
	return ""
}

// embeddedIPv4 extracts the IPv4 address from NAT64, 6to4 and the
// deprecated IPv4-compatible forms.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64.Contains(ip), v4Compat.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case nat64Local.Contains(ip):
		// RFC 8215 leaves the layout to the operator; the common one is
		// the /96 position, which is what we judge.
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// Control is a net.Dialer.Control hook. It runs after DNS resolution,
// on the exact address about to be connected to, so neither a hostname that
// resolves to a private address nor a DNS answer that changes between
// checks (rebinding) can get around it.
func Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// Fail closed: an address we cannot read is not one we can vouch for.
		return &PrivateAddressError{Reason: fmt.Sprintf("unreadable dial address %q on %s", address, network)}
	}
	if r := Classify(ap.Addr()); r != "" {
		return &PrivateAddressError{Addr: ap.Addr(), Reason: r}
	}
	return nil
}
