// Package multibase encodes and decodes the two multibase forms Laurel meets
// in Data Integrity proofs and Multikey values: base58btc (prefix 'z') and
// base64url without padding (prefix 'u'), plus the unsigned-varint multicodec
// prefixes that tag key bytes.
//
// The rules come from the Multibase and Multicodec specifications as cited by
// Controlled Identifiers 1.0 §2.2.2 (Multikey) and VC Data Integrity 1.0
// §2.1 (proofValue). Decoding is meant for untrusted input: every decoder
// checks the input length before doing any work and reports ErrMalformed
// instead of panicking.
package multibase

import (
	"encoding/base64"
	"errors"
	"fmt"
)

// DefaultMaxLen is the longest multibase string Decode accepts. Keys and
// signatures are at most a few hundred characters, so 8 KiB leaves ample room
// while keeping the quadratic base58 decoder cheap on hostile input.
const DefaultMaxLen = 8 << 10

// Multibase prefixes understood by this package (Multibase spec, table of
// base encodings).
const (
	PrefixBase58BTC = 'z'
	PrefixBase64URL = 'u'
)

// ErrMalformed reports input that is not a well-formed multibase string,
// base58btc string or varint: a wrong prefix, a character outside the
// alphabet, a bad length or a truncated varint. Callers use errors.Is to tell
// bad input apart from other failures.
var ErrMalformed = errors.New("malformed multibase value")

// EncodeBase58BTC returns b as a multibase base58btc string, "z" followed by
// the Bitcoin-alphabet encoding. This is the form Multikey and eddsa/ecdsa
// proof values use.
func EncodeBase58BTC(b []byte) string {
	return string(PrefixBase58BTC) + encodeBase58(b)
}

// EncodeBase64URL returns b as a multibase base64url string, "u" followed by
// the URL-safe alphabet without padding (RFC 4648 §5), the form some
// cryptosuites use for derived proofs.
func EncodeBase64URL(b []byte) string {
	return string(PrefixBase64URL) + base64.RawURLEncoding.EncodeToString(b)
}

// Decode decodes a multibase string with a 'z' or 'u' prefix, refusing
// strings longer than DefaultMaxLen. Any other prefix is ErrMalformed, since
// Laurel has no use for the rest and accepting them widens the attack surface.
func Decode(s string) ([]byte, error) {
	return DecodeLimit(s, DefaultMaxLen)
}

// DecodeLimit is Decode with a caller-chosen maximum length in bytes of s,
// for callers that know their values are small.
func DecodeLimit(s string, maxLen int) ([]byte, error) {
	if len(s) > maxLen {
		return nil, fmt.Errorf("decoding multibase: %d bytes exceeds limit %d: %w",
			len(s), maxLen, ErrMalformed)
	}
	if len(s) < 1 {
		return nil, fmt.Errorf("decoding multibase: empty value: %w", ErrMalformed)
	}

	switch s[0] {
	case PrefixBase58BTC:
		return decodeBase58(s[1:])
	case PrefixBase64URL:
		return decodeBase64URL(s[1:])
	default:
		return nil, fmt.Errorf("decoding multibase: unsupported prefix %q: %w", s[0], ErrMalformed)
	}
}

// DecodeBase58BTC decodes a 'z'-prefixed base58btc string and refuses every
// other prefix, for places where a spec mandates base58btc (Multikey,
// eddsa-rdfc-2022 proofValue).
func DecodeBase58BTC(s string) ([]byte, error) {
	if len(s) < 1 || s[0] != PrefixBase58BTC {
		return nil, fmt.Errorf("decoding base58btc: missing 'z' prefix: %w", ErrMalformed)
	}

	return Decode(s)
}

// decodeBase64URL decodes unpadded base64url and wraps failures.
func decodeBase64URL(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("decoding base64url: %w: %w", ErrMalformed, err)
	}

	// The decoder skips CR and LF; re-encoding keeps one value to one string.
	if base64.RawURLEncoding.EncodeToString(b) != s {
		return nil, fmt.Errorf("decoding base64url: stray characters: %w", ErrMalformed)
	}

	return b, nil
}
