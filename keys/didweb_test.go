package keys

import (
	"errors"
	"strings"
	"testing"
)

func TestDIDWebURL(t *testing.T) {
	cases := map[string]string{
		"did:web:example.com":                       "https://example.com/.well-known/did.json",
		"did:web:w3c-ccg.github.io":                 "https://w3c-ccg.github.io/.well-known/did.json",
		"did:web:example.com:districts:north":       "https://example.com/districts/north/did.json",
		"did:web:w3c-ccg.github.io:user:alice":      "https://w3c-ccg.github.io/user/alice/did.json",
		"did:web:example.com%3A3000":                "https://example.com:3000/.well-known/did.json",
		"did:web:example.com%3a3000:user:alice":     "https://example.com:3000/user/alice/did.json",
		"did:web:localhost%3A8443":                  "https://localhost:8443/.well-known/did.json",
		"did:web:sub.example.co.uk:a_b:c-d:v1.2":    "https://sub.example.co.uk/a_b/c-d/v1.2/did.json",
		"did:web:xn--bcher-kva.example:badges":      "https://xn--bcher-kva.example/badges/did.json",
		"did:web:Example.COM":                       "https://Example.COM/.well-known/did.json",
		"did:web:a.b.c.d.e.f.example.org:x:y:z:w:v": "https://a.b.c.d.e.f.example.org/x/y/z/w/v/did.json",
	}
	for did, want := range cases {
		got, err := DIDWebURL(did)
		if err != nil || got != want {
			t.Errorf("DIDWebURL(%q) = %q, %v; want %q", did, got, err, want)
		}
	}
}

func TestDIDWebURLRejects(t *testing.T) {
	cases := map[string]string{
		"empty":              "",
		"other method":       "did:key:z6Mk",
		"no host":            "did:web:",
		"empty segment":      "did:web:example.com::a",
		"trailing colon":     "did:web:example.com:",
		"dot segment":        "did:web:example.com:.",
		"dot dot segment":    "did:web:example.com:..:etc",
		"encoded slash":      "did:web:example.com:a%2Fb",
		"encoded dots":       "did:web:example.com:%2E%2E",
		"userinfo":           "did:web:user@example.com",
		"encoded at":         "did:web:user%40example.com",
		"slash in host":      "did:web:example.com/evil",
		"query":              "did:web:example.com?x=1",
		"fragment":           "did:web:example.com#key-1",
		"ipv4":               "did:web:127.0.0.1",
		"ipv4 port":          "did:web:10.0.0.1%3A443",
		"ipv6":               "did:web:[::1]",
		"short ipv4":         "did:web:127.1",
		"numeric":            "did:web:2130706433",
		"empty label":        "did:web:example..com",
		"trailing dot":       "did:web:example.com.",
		"hyphen label":       "did:web:-example.com",
		"underscore host":    "did:web:ex_ample.com",
		"port zero":          "did:web:example.com%3A0",
		"port leading zero":  "did:web:example.com%3A0443",
		"port too big":       "did:web:example.com%3A65536",
		"port empty":         "did:web:example.com%3A",
		"port letters":       "did:web:example.com%3Ahttp",
		"two ports":          "did:web:example.com%3A1%3A2",
		"raw colon port":     "did:web:example.com:8443x:%3A",
		"space":              "did:web:example.com:a b",
		"backslash":          "did:web:example.com:a\\b",
		"non-ascii host":     "did:web:bücher.example",
		"label too long":     "did:web:" + strings.Repeat("a", 64) + ".com",
		"host too long":      "did:web:" + strings.Repeat("a.", 127) + "com",
		"did too long":       "did:web:example.com:" + strings.Repeat("a", maxDIDLen),
		"uppercase method":   "did:WEB:example.com",
		"percent elsewhere":  "did:web:exa%6Dple.com",
		"percent in path":    "did:web:example.com:%41",
		"tilde in path":      "did:web:example.com:~user",
		"null byte":          "did:web:example.com:a\x00",
		"leading whitespace": " did:web:example.com",
	}
	for name, did := range cases {
		t.Run(name, func(t *testing.T) {
			if got, err := DIDWebURL(did); !errors.Is(err, ErrMalformed) {
				t.Fatalf("DIDWebURL(%q) = %q, %v; want ErrMalformed", did, got, err)
			}
		})
	}
}
