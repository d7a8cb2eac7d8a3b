package fetch

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// maxURLLength bounds the URLs a Fetcher accepts; no document Laurel
// fetches needs a longer one, and hostile credentials could carry anything.
const maxURLLength = 4096

// checkURL parses raw and returns it without its fragment (never sent, and
// not part of the cache key), or an error matching ErrURL or ErrScheme.
func checkURL(raw string, allowHTTP bool) (*url.URL, error) {
	if len(raw) > maxURLLength {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrURL, maxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURL, err)
	}

	if err := checkScheme(u, allowHTTP); err != nil {
		return nil, err
	}
	if u.Opaque != "" || u.User != nil {
		return nil, fmt.Errorf("%w: %s has userinfo or no authority", ErrURL, redact(u))
	}
	if err := checkHost(u); err != nil {
		return nil, err
	}

	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// checkScheme accepts https, and http only when allowed.
func checkScheme(u *url.URL, allowHTTP bool) error {
	switch {
	case u.Scheme == "":
		return fmt.Errorf("%w: %q is not absolute", ErrURL, redact(u))
	case u.Scheme == "https", u.Scheme == "http" && allowHTTP:
		return nil
	}
	return fmt.Errorf("%w: %q in %s", ErrScheme, u.Scheme, redact(u))
}

// checkHost accepts an IP literal without a zone or an ASCII DNS name, and
// a port from 1 to 65535.
func checkHost(u *url.URL) error {
	host := u.Hostname()
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%w: port %q in %s", ErrURL, port, u)
		}
	}

	if strings.HasPrefix(u.Host, "[") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return fmt.Errorf("%w: host %q in %s is not a plain IPv6 address", ErrURL, host, u)
		}
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil && a.Is4() {
		return nil
	}
	return checkName(u, host)
}

// checkName accepts a DNS name of letters, digits, hyphens and underscores
// whose last label does not start with a digit: resolvers read names such
// as "127.1" or "0x7f.1" as IPv4 addresses, which Laurel will not guess at.
func checkName(u *url.URL, host string) error {
	name := strings.TrimSuffix(host, ".")
	if name == "" || len(name) > 253 {
		return fmt.Errorf("%w: no usable host in %s", ErrURL, u)
	}

	labels := strings.Split(name, ".")
	for _, label := range labels {
		if !validLabel(label) {
			return fmt.Errorf("%w: host %q in %s is not a DNS name", ErrURL, host, u)
		}
	}
	if last := labels[len(labels)-1]; last[0] >= '0' && last[0] <= '9' {
		return fmt.Errorf("%w: host %q in %s looks numeric", ErrURL, host, u)
	}
	return nil
}

// validLabel reports whether label is 1 to 63 letters, digits, hyphens or
// underscores (the last appear in real names such as _dmarc).
func validLabel(label string) bool {
	if label == "" || len(label) > 63 {
		return false
	}
	for _, c := range []byte(label) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

// redact names u for an error without any userinfo it carries: a user
// name in a URL is as likely to be a token as a password is.
func redact(u *url.URL) string {
	clean := *u
	clean.User = nil
	return clean.String()
}
