package keys

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// didWebPrefix starts every did:web identifier (did:web Method, "Method
// Specific Identifier").
const didWebPrefix = "did:web:"

// Limits from DNS (RFC 1035 §2.3.4) that a did:web host must respect.
const (
	maxHostLen  = 253
	maxLabelLen = 63
)

// didDocumentContexts is the @context DIDWebDocument writes: DID Core, then
// the two vocabularies its verification methods use.
func didDocumentContexts() []string {
	return []string{
		"https://www.w3.org/ns/did/v1",
		"https://w3id.org/security/multikey/v1",
		"https://w3id.org/security/jwk/v1",
	}
}

// DIDWebURL maps a did:web DID to the HTTPS URL of its DID document, as the
// did:web Method "Read (Resolve)" section describes:
//
//	did:web:example.com                 -> https://example.com/.well-known/did.json
//	did:web:example.com%3A8443          -> https://example.com:8443/.well-known/did.json
//	did:web:example.com:districts:north -> https://example.com/districts/north/did.json
//
// Validation is strict because the result is fetched from the network: the
// host must be a DNS name (IP addresses are refused, as the spec requires),
// the only percent-encoding allowed is the port colon, and path segments are
// limited to letters, digits, '.', '-' and '_' and may not be "." or "..". So
// no userinfo, query, fragment or traversal can reach the URL. Known
// limitation: percent-encoded characters in path segments are refused.
func DIDWebURL(did string) (string, error) {
	if len(did) > maxDIDLen {
		return "", fmt.Errorf("mapping did:web: %d bytes is too long: %w", len(did), ErrMalformed)
	}

	msid, ok := strings.CutPrefix(did, didWebPrefix)
	if !ok {
		return "", fmt.Errorf("mapping did:web: not a did:web identifier: %w", ErrMalformed)
	}

	segments := strings.Split(msid, ":")
	host, err := didWebHost(segments[0])
	if err != nil {
		return "", fmt.Errorf("mapping did:web: %w", err)
	}

	path := segments[1:]
	for _, seg := range path {
		if !isIDSegment(seg) {
			return "", fmt.Errorf("mapping did:web: bad path segment: %w", ErrMalformed)
		}
	}

	if len(path) == 0 {
		return "https://" + host + "/.well-known/did.json", nil
	}
	return "https://" + host + "/" + strings.Join(path, "/") + "/did.json", nil
}

// didWebHost checks the host segment and returns "host" or "host:port".
func didWebHost(seg string) (string, error) {
	name, port := seg, ""
	if i := strings.Index(strings.ToUpper(seg), "%3A"); i >= 0 {
		name, port = seg[:i], seg[i+len("%3A"):]
		if !isPort(port) {
			return "", fmt.Errorf("checking host: bad port: %w", ErrMalformed)
		}
		port = ":" + port
	}

	if err := checkHostname(name); err != nil {
		return "", err
	}

	return name + port, nil
}

// checkHostname accepts DNS names only: labels of letters, digits and
// hyphens, and never an IP address or a numeric last label, which some
// resolvers would read as an IPv4 address in short form.
func checkHostname(name string) error {
	if name == "" || len(name) > maxHostLen {
		return fmt.Errorf("checking host: bad length: %w", ErrMalformed)
	}
	if net.ParseIP(name) != nil {
		return fmt.Errorf("checking host: ip addresses are not allowed: %w", ErrMalformed)
	}

	labels := strings.Split(name, ".")
	for _, label := range labels {
		if !isDNSLabel(label) {
			return fmt.Errorf("checking host: bad label: %w", ErrMalformed)
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return fmt.Errorf("checking host: numeric top-level label: %w", ErrMalformed)
	}

	return nil
}

// isDNSLabel reports an RFC 1123 §2.1 host label.
func isDNSLabel(s string) bool {
	if s == "" || len(s) > maxLabelLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '-' {
			return false
		}
	}

	return true
}

// isIDSegment reports a path segment or fragment made of DID Core idchar
// characters without percent-encoding, and not a dot segment.
func isIDSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}

	return true
}

// isPort reports a decimal TCP port 1..65535 without leading zeros.
func isPort(s string) bool {
	if s == "" || len(s) > 5 || s[0] == '0' || !isDigits(s) {
		return false
	}

	n, err := strconv.Atoi(s)

	return err == nil && n <= 65535
}

// isDigits reports a non-empty string of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}

	return true
}

// isAlnum reports an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
