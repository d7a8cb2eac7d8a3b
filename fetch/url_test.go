package fetch

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	cases := []struct {
		url       string
		allowHTTP bool
		want      error
	}{
		{"https://example.com/a?b=c#frag", false, nil},
		{"HTTPS://Example.COM:8443/", false, nil},
		{"https://_did.example.com./x", false, nil},
		{"https://[2001:db8::1]/", false, nil},
		{"https://192.0.2.1/", false, nil},
		{"http://example.com/", true, nil},
		{"http://example.com/", false, ErrScheme},
		{"file:///etc/passwd", false, ErrScheme},
		{"gopher://example.com/", true, ErrScheme},
		{"example.com/x", false, ErrURL},
		{"https:opaque", false, ErrURL},
		{"https://user@example.com/", false, ErrURL},
		{"https://@example.com/", false, ErrURL},
		{"https:///path", false, ErrURL},
		{"https://example.com:0/", false, ErrURL},
		{"https://example.com:99999/", false, ErrURL},
		{"https://[fe80::1%25eth0]/", false, ErrURL},
		{"https://2130706433/", false, ErrURL},
		{"https://0x7f.1/", false, ErrURL},
		{"https://exa mple.com/", false, ErrURL},
		{"https://exa..mple.com/", false, ErrURL},
		{"https://bücher.example/", false, ErrURL},
		{"https://" + strings.Repeat("a", maxURLLength) + ".com/", false, ErrURL},
	}
	for _, c := range cases {
		u, err := checkURL(c.url, c.allowHTTP)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%q: %v, want %v", c.url, err, c.want)
		}
		if u != nil && u.Fragment != "" {
			t.Errorf("%q: fragment kept", c.url)
		}
	}
}

// FuzzURL checks that checkURL never panics, that what it accepts is an
// absolute URL without userinfo or fragment on an allowed scheme, and that
// accepting is stable: the URL it returns is accepted again unchanged.
func FuzzURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/", "http://a.b:80/x?y#z", "https://u:p@h/", "https://[::1%25x]/",
		"https://127.1/", "HTTPS://EXAMPLE.COM", "https://exa%41mple.com/", "//host/path",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := checkURL(raw, false)
		if err != nil {
			if !errors.Is(err, ErrURL) && !errors.Is(err, ErrScheme) {
				t.Fatalf("%q: unexpected error kind %v", raw, err)
			}
			return
		}
		if u.Scheme != "https" || u.User != nil || u.Host == "" || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("%q accepted as %#v", raw, u)
		}
		again, err := checkURL(u.String(), false)
		if err != nil || again.String() != u.String() {
			t.Fatalf("%q: %q not accepted again: %v", raw, u, err)
		}
	})
}
