package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"

	"github.com/laurel-badges/laurel/internal/multibase"
)

// maxMultikeyLen bounds a Multikey string before decoding. The longest value
// accepted (P-384: 2-byte header + 49 bytes) is 70 base58 characters.
const maxMultikeyLen = 128

// ecdsaCodecs gives the multicodec of each ECDSA key type.
var ecdsaCodecs = map[Type]uint64{P256: multibase.CodecP256Pub, P384: multibase.CodecP384Pub}

// Multikey encodes an Ed25519, P-256 or P-384 public key as a Multikey
// publicKeyMultibase value (Controlled Identifiers 1.0 §2.2.2): the
// multicodec header (ed25519-pub 0xed, p256-pub 0x1200, p384-pub 0x1201) and
// the key bytes (32 raw bytes, or the 33- or 49-byte SEC 1 compressed point),
// in base58btc. The results start "z6Mk", "zDn" and "z82". RSA gives
// ErrUnsupported.
func Multikey(pub crypto.PublicKey) (string, error) {
	t, err := TypeOf(pub)
	if err != nil {
		return "", fmt.Errorf("encoding multikey: %w", err)
	}

	switch t {
	case Ed25519:
		raw := pub.(ed25519.PublicKey)
		return multibase.EncodeBase58BTC(multibase.PutCodec(multibase.CodecEd25519Pub, raw)), nil
	case P256, P384:
		point, err := compressPoint(pub.(*ecdsa.PublicKey))
		if err != nil {
			return "", fmt.Errorf("encoding multikey: %w", err)
		}
		return multibase.EncodeBase58BTC(multibase.PutCodec(ecdsaCodecs[t], point)), nil
	default:
		return "", fmt.Errorf("encoding multikey: %s keys have no multikey form: %w", t, ErrUnsupported)
	}
}

// ParseMultikey decodes a Multikey publicKeyMultibase value into an
// ed25519.PublicKey or *ecdsa.PublicKey. It accepts only base58btc, the three
// codecs above and their exact key lengths, and checks that a P-256 or P-384
// point lies on its curve, so the result is safe to verify with.
func ParseMultikey(s string) (crypto.PublicKey, error) {
	if len(s) > maxMultikeyLen {
		return nil, fmt.Errorf("parsing multikey: %d bytes is too long: %w", len(s), ErrMalformed)
	}

	raw, err := multibase.DecodeBase58BTC(s)
	if err != nil {
		return nil, fmt.Errorf("parsing multikey: %w: %w", ErrMalformed, err)
	}

	return ParseMultikeyBytes(raw)
}

// ParseMultikeyBytes is ParseMultikey for the bytes under the multibase
// encoding (multicodec header, then the key), the form in which an
// ecdsa-sd-2023 proof value carries its proof-scoped key (Data Integrity
// ECDSA Cryptosuites 1.0, "Base Proof Serialization (ecdsa-sd-2023)"). It
// makes the same checks.
func ParseMultikeyBytes(raw []byte) (crypto.PublicKey, error) {
	code, body, err := multibase.SplitCodec(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing multikey: %w: %w", ErrMalformed, err)
	}

	switch code {
	case multibase.CodecEd25519Pub:
		return parseEd25519(body)
	case multibase.CodecP256Pub:
		return decompressPoint(P256, body)
	case multibase.CodecP384Pub:
		return decompressPoint(P384, body)
	default:
		return nil, fmt.Errorf("parsing multikey: multicodec %#x: %w", code, ErrUnsupported)
	}
}

// parseEd25519 checks the length of a raw Ed25519 public key and copies it
// out of the decode buffer.
func parseEd25519(b []byte) (ed25519.PublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("parsing ed25519 key: %d bytes: %w", len(b), ErrMalformed)
	}

	return ed25519.PublicKey(append([]byte(nil), b...)), nil
}

// compressPoint returns the SEC 1 §2.3.3 compressed point: 0x02 or 0x03 by
// the parity of y, then x.
func compressPoint(pub *ecdsa.PublicKey) ([]byte, error) {
	raw, err := pub.Bytes()
	if err != nil {
		return nil, fmt.Errorf("compressing ecdsa point: %w: %w", ErrMalformed, err)
	}

	size := (len(raw) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 0x02 | raw[len(raw)-1]&1
	copy(out[1:], raw[1:1+size])

	return out, nil
}

// decompressPoint parses a compressed point on the curve of t (P256 or
// P384). UnmarshalCompressed refuses points off the curve and lengths other
// than the curve's; ParseUncompressedPublicKey checks again and yields a key
// the crypto/ecdsa fast paths accept.
func decompressPoint(t Type, b []byte) (*ecdsa.PublicKey, error) {
	curve := elliptic.P256()
	if t == P384 {
		curve = elliptic.P384()
	}

	x, y := elliptic.UnmarshalCompressed(curve, b)
	if x == nil {
		return nil, fmt.Errorf("parsing %s key: not a compressed point on the curve: %w",
			t, ErrMalformed)
	}

	size := (curve.Params().BitSize + 7) / 8
	raw := make([]byte, 1+2*size)
	raw[0] = 0x04
	x.FillBytes(raw[1 : 1+size])
	y.FillBytes(raw[1+size:])

	pub, err := ecdsa.ParseUncompressedPublicKey(curve, raw)
	if err != nil {
		return nil, fmt.Errorf("parsing %s key: %w: %w", t, ErrMalformed, err)
	}

	return pub, nil
}
