package fetch

import (
	"fmt"
	"net/netip"
	"syscall"
)

// reservedRange is a block of addresses that is not on the public
// internet and that netip.Addr has no predicate for.
type reservedRange struct {
	prefix netip.Prefix
	reason string
}

// reserved lists those blocks (IANA special-purpose registries, RFC 6890).
// Loopback, RFC 1918 and fc00::/7 private, link-local, unspecified and
// multicast addresses are caught by the netip predicates in refusal.
var reserved = []reservedRange{
	{netip.MustParsePrefix("0.0.0.0/8"), "in the this-network block (RFC 1122)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "in shared carrier-grade NAT space (RFC 6598)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol assignment (RFC 6890)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "in the benchmarking block (RFC 2544)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved or broadcast (RFC 1112)"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated, RFC 4291)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64 (RFC 8215)"},
	{netip.MustParsePrefix("100::/64"), "discard-only (RFC 6666)"},
	{netip.MustParsePrefix("fec0::/10"), "site-local (deprecated, RFC 3879)"},
}

// Prefixes whose addresses carry an IPv4 address that a gateway will
// reach: the embedded address must pass the same check.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052, last 4 bytes
	sixToFour = netip.MustParsePrefix("2002::/16")    // RFC 3056, bytes 2-5
)

// refusePrivate is the net.Dialer Control hook. It runs after the name is
// resolved and before connect(2), on the very address about to be dialled,
// so a DNS answer that changes between lookups (rebinding) cannot slip an
// internal address past it.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: dialling %q: %w", ErrAddress, address, err)
	}
	return checkAddr(ap.Addr())
}

// checkAddr returns an error matching ErrAddress when a is not a public
// unicast address.
func checkAddr(a netip.Addr) error {
	if reason := refusal(a); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrAddress, a, reason)
	}
	return nil
}

// refusal says why a may not be dialled, or returns "" when it may.
func refusal(a netip.Addr) string {
	// IPv4-mapped IPv6 addresses reach the IPv4 host, and a zone would
	// stop netip.Prefix.Contains from matching.
	a = a.Unmap().WithZone("")
	switch {
	case !a.IsValid():
		return "not an IP address"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local (cloud metadata lives here)"
	case a.IsMulticast():
		return "multicast"
	}

	for _, r := range reserved {
		if r.prefix.Contains(a) {
			return r.reason
		}
	}

	if v4, ok := embeddedIPv4(a); ok {
		if reason := refusal(v4); reason != "" {
			return "a gateway to " + v4.String() + ", which is " + reason
		}
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address a NAT64 or 6to4 address leads to.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}
