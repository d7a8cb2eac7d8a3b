// Package keys holds the issuer's signing keys and every public encoding of
// them Laurel needs: Multikey, did:key, did:web documents and JWK.
//
// A Key wraps a crypto.Signer so that a file key can later be swapped for a
// KMS or HSM without touching the callers (STYLE.md, habit 6). Laurel signs
// with three key types, Ed25519, ECDSA P-256 and RSA of at least 2048 bits,
// and verifies with those and ECDSA P-384, which other issuers may sign
// ecdsa-rdfc-2019 proofs and ES384 VC-JWTs with (Data Integrity ECDSA
// Cryptosuites 1.0, "ecdsa-rdfc-2019"; RFC 7518 §3.4); everything else is
// refused with ErrUnsupported, so a verifier built on this package cannot be
// talked into a weaker algorithm.
//
// The encodings follow W3C Controlled Identifiers 1.0 §2.2.2 (Multikey) and
// §2.2.3 (JsonWebKey), the did:key Method 0.7 and did:web Method
// specifications, and RFC 7517 (JWK). Signatures follow the cryptosuites of
// VC Data Integrity EdDSA 1.0 and ECDSA 1.0 and RFC 7518 §3.3 (RS256).
package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
)

// Type names a key algorithm family. The string values are what the CLI and
// configuration files use.
type Type string

// The key types Laurel signs and verifies with.
const (
	// Ed25519 keys back the eddsa-rdfc-2022 cryptosuite and EdDSA VC-JWTs.
	Ed25519 Type = "ed25519"
	// P256 keys (ECDSA on NIST P-256) back ecdsa-rdfc-2019 and ES256.
	P256 Type = "p256"
	// P384 keys (ECDSA on NIST P-384) back ecdsa-rdfc-2019 and ES384 for
	// verification only: public keys of this type are read, encoded and
	// verified with, but ParseType, Generate, FromSigner and Load refuse
	// it, since Laurel issues with the other three types.
	P384 Type = "p384"
	// RSA keys back RS256 VC-JWTs (RFC 7518 §3.3), which the Open Badges
	// 3.0 VC-JWT proof format names; they have no did:key
	// or Multikey form here, only JWK.
	RSA Type = "rsa"
)

// RSA size bounds. 2048 bits is the NIST SP 800-57 floor for signatures in
// use today; 3072 is what Generate makes so new keys last past 2030. The
// upper bound keeps a hostile DID document from making verification slow.
const (
	minRSABits      = 2048
	generateRSABits = 3072
	maxRSABits      = 8192
)

// Sentinel errors returned (wrapped) by this package. Check them with
// errors.Is; messages never include key material.
var (
	// ErrUnsupported means the key type, curve, size or operation is not one
	// Laurel accepts, such as a P-521 key, 1024-bit RSA, did:key for RSA or
	// signing with a P-384 key.
	ErrUnsupported = errors.New("unsupported key")
	// ErrMalformed means an encoded key, DID, DID document or key file is not
	// well formed.
	ErrMalformed = errors.New("malformed key data")
	// ErrBadSignature means a signature does not verify against the message
	// and public key, including when it has the wrong length.
	ErrBadSignature = errors.New("bad signature")
	// ErrExists means Save would overwrite an existing file; keys are never
	// replaced silently, since losing an issuer key orphans every badge.
	ErrExists = errors.New("key file already exists")
	// ErrNotFound means a DID document holds no verification method Laurel
	// can use for the DID asked about.
	ErrNotFound = errors.New("no usable verification method")
)

// Key is an issuer signing key. The zero value is not usable; build one with
// Generate, FromEd25519Seed, FromSigner or Load.
type Key struct {
	signer crypto.Signer
	typ    Type
}

// ParseType turns a user-supplied name ("ed25519", "p256", "rsa", any case)
// into a Type, so flags and config share one vocabulary. "p384" is refused:
// the names are those of keys Laurel generates and signs with.
func ParseType(s string) (Type, error) {
	t := Type(strings.ToLower(strings.TrimSpace(s)))
	switch t {
	case Ed25519, P256, RSA:
		return t, nil
	default:
		return "", fmt.Errorf("parsing key type %q: %w", s, ErrUnsupported)
	}
}

// Generate makes a new random key of type t from crypto/rand. RSA keys are
// 3072 bits.
func Generate(t Type) (*Key, error) {
	var (
		signer crypto.Signer
		err    error
	)
	switch t {
	case Ed25519:
		_, signer, err = ed25519.GenerateKey(rand.Reader)
	case P256:
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA:
		signer, err = rsa.GenerateKey(rand.Reader, generateRSABits)
	default:
		return nil, fmt.Errorf("generating key of type %q: %w", t, ErrUnsupported)
	}
	if err != nil {
		return nil, fmt.Errorf("generating %s key: %w", t, err)
	}

	return &Key{signer: signer, typ: t}, nil
}

// FromEd25519Seed builds an Ed25519 key from its 32-byte RFC 8032 seed. It
// exists for published test keys (the 1EdTech and fixture issuers) whose
// signatures must be reproduced exactly; real keys come from Generate.
func FromEd25519Seed(seed []byte) (*Key, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("reading ed25519 seed: want %d bytes, got %d: %w",
			ed25519.SeedSize, len(seed), ErrMalformed)
	}

	return &Key{signer: ed25519.NewKeyFromSeed(seed), typ: Ed25519}, nil
}

// FromSigner wraps any crypto.Signer, such as a KMS client, after checking
// that its public key is one of the types Laurel signs with (not P-384).
// Ed25519 signers must accept crypto.Hash(0) options, P-256 and RSA signers
// crypto.SHA256.
func FromSigner(s crypto.Signer) (*Key, error) {
	if s == nil {
		return nil, fmt.Errorf("wrapping signer: nil signer: %w", ErrUnsupported)
	}

	t, err := TypeOf(s.Public())
	if err != nil {
		return nil, fmt.Errorf("wrapping signer: %w", err)
	}
	if t == P384 {
		return nil, fmt.Errorf("wrapping signer: %s keys are for verification only: %w",
			t, ErrUnsupported)
	}

	return &Key{signer: s, typ: t}, nil
}

// Type reports the key's algorithm family.
func (k *Key) Type() Type { return k.typ }

// Public returns the public half: ed25519.PublicKey, *ecdsa.PublicKey
// (P-256) or *rsa.PublicKey.
func (k *Key) Public() crypto.PublicKey { return k.signer.Public() }

// Signer exposes the underlying signer for libraries that take one directly,
// such as go-jose. Prefer SignMessage, which fixes the hash and encoding.
func (k *Key) Signer() crypto.Signer { return k.signer }

// DIDKey returns the key's did:key identifier. RSA keys have none here and
// give ErrUnsupported.
func (k *Key) DIDKey() (string, error) { return DIDKey(k.Public()) }

// VerificationMethodID returns the did:key verification method URL
// "did:key:zX#zX" that Data Integrity proofs name as verificationMethod.
func (k *Key) VerificationMethodID() (string, error) {
	did, err := k.DIDKey()
	if err != nil {
		return "", err
	}

	return did + "#" + strings.TrimPrefix(did, didKeyPrefix), nil
}

// TypeOf classifies a public key as Ed25519, P256, P384 or RSA, enforcing
// the accepted curves and sizes: a key of another type, curve or size gives
// ErrUnsupported, a broken one (nil or off-curve coordinates, a short
// Ed25519 key) ErrMalformed.
func TypeOf(pub crypto.PublicKey) (Type, error) {
	switch p := pub.(type) {
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return "", fmt.Errorf("checking ed25519 key: length %d: %w", len(p), ErrMalformed)
		}
		return Ed25519, nil
	case *ecdsa.PublicKey:
		return checkECDSA(p)
	case *rsa.PublicKey:
		return checkRSA(p)
	default:
		return "", fmt.Errorf("checking key: type %T: %w", pub, ErrUnsupported)
	}
}

// checkECDSA accepts only a valid point on P-256 or P-384. A hand-built key
// with nil or off-curve coordinates is refused here rather than reaching
// crypto/ecdsa, which may panic on nil coordinates.
func checkECDSA(p *ecdsa.PublicKey) (Type, error) {
	var t Type
	switch {
	case p != nil && p.Curve == elliptic.P256():
		t = P256
	case p != nil && p.Curve == elliptic.P384():
		t = P384
	default:
		return "", fmt.Errorf("checking ecdsa key: only P-256 and P-384 are accepted: %w",
			ErrUnsupported)
	}

	if p.X == nil || p.Y == nil {
		return "", fmt.Errorf("checking %s key: missing coordinates: %w", t, ErrMalformed)
	}
	if _, err := p.Bytes(); err != nil {
		return "", fmt.Errorf("checking %s key: %w: %w", t, ErrMalformed, err)
	}

	return t, nil
}

// checkRSA enforces the RSA size bounds.
func checkRSA(p *rsa.PublicKey) (Type, error) {
	if p == nil || p.N == nil {
		return "", fmt.Errorf("checking rsa key: empty key: %w", ErrMalformed)
	}

	bits := p.N.BitLen()
	if bits < minRSABits || bits > maxRSABits {
		return "", fmt.Errorf("checking rsa key: %d bits outside %d..%d: %w",
			bits, minRSABits, maxRSABits, ErrUnsupported)
	}

	return RSA, nil
}
