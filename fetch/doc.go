// Package fetch is the one HTTP client Laurel uses for everything it reads
// from the network: hosted credentials, did:web documents, issuer profiles
// and status lists. The URLs it is given come from credentials, which
// anyone can write, so every fetch is treated as an attempt at server-side
// request forgery and every server as hostile.
//
// A Fetcher therefore accepts only https (plain http when configured),
// refuses URLs carrying credentials or ambiguous hosts, and checks the
// address every connection is about to reach in the dialer, after name
// resolution and before connect, so a name that resolves to a loopback,
// private, link-local (cloud metadata) or otherwise internal address is
// refused even when its DNS answer changes between two lookups. Bodies,
// time, redirects and response headers are bounded; no proxy from the
// environment is used, since a proxy would connect on our behalf and
// escape the address check.
//
// A small in-memory cache honours Cache-Control (max-age, no-store,
// no-cache; RFC 9111 §5.2.2) and revalidates with ETag and If-None-Match
// (RFC 9110 §13.1.2), so a status list checked for every verification is
// not downloaded every time.
//
// Known limitations: freshness comes from max-age only (Expires and
// heuristic freshness are ignored, so such responses are cached only when
// they carry an ETag); Vary is honoured only as "Vary: *"; hosts must be
// ASCII (pass internationalised names in their punycode form); Teredo
// addresses (2001::/32), whose embedded IPv4 address is obfuscated, are
// not unpacked; the cache may hold up to CacheEntries bodies of MaxBytes
// each.
package fetch
