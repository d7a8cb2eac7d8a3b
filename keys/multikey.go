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
// accepted (P-256: 2-byte header + 33 bytes) is 49 base58 characters.
const maxMultikeyLen = 128

// Multikey encodes an Ed25519 or P-256 public key as a Multikey
// publicKeyMultibase value (Controlled Identifiers 1.0 §2.2.2): the
// multicodec header (ed25519-pub 0xed, p256-pub 0x1200) and the key bytes
// (32 raw bytes, or the 33-byte SEC 1 compressed point), in base58btc. The
// results start "z6Mk" and "zDn". RSA gives ErrUnsupported.
func Multikey(pub crypto.PublicKey) (string, error) {
	t, err := typeOf(pub)
	if err != nil {
		return "", fmt.Errorf("encoding multikey: %w", err)
	}

	switch t {
	case Ed25519:
		raw := pub.(ed25519.PublicKey)
		return multibase.EncodeBase58BTC(multibase.PutCodec(multibase.CodecEd25519Pub, raw)), nil
	case P256:
		point, err := compressP256(pub.(*ecdsa.PublicKey))
		if err != nil {
			return "", fmt.Errorf("encoding multikey: %w", err)
		}
		return multibase.EncodeBase58BTC(multibase.PutCodec(multibase.CodecP256Pub, point)), nil
	default:
		return "", fmt.Errorf("encoding multikey: %s keys have no multikey form: %w", t, ErrUnsupported)
	}
}

// ParseMultikey decodes a Multikey publicKeyMultibase value into an
// ed25519.PublicKey or *ecdsa.PublicKey. It accepts only base58btc, the two
// codecs above and their exact key lengths, and checks that a P-256 point lies
// on the curve, so the result is safe to verify with.
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
		return decompressP256(body)
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

// compressP256 returns the SEC 1 §2.3.3 compressed point: 0x02 or 0x03 by the
// parity of y, then x.
func compressP256(pub *ecdsa.PublicKey) ([]byte, error) {
	raw, err := pub.Bytes()
	if err != nil {
		return nil, fmt.Errorf("compressing p256 point: %w: %w", ErrMalformed, err)
	}

	size := (len(raw) - 1) / 2
	out := make([]byte, 1+size)
	out[0] = 0x02 | raw[len(raw)-1]&1
	copy(out[1:], raw[1:1+size])

	return out, nil
}

// decompressP256 parses a compressed P-256 point. UnmarshalCompressed refuses
// points off the curve; ParseUncompressedPublicKey checks again and yields a
// key the crypto/ecdsa fast paths accept.
func decompressP256(b []byte) (*ecdsa.PublicKey, error) {
	curve := elliptic.P256()
	x, y := elliptic.UnmarshalCompressed(curve, b)
	if x == nil {
		return nil, fmt.Errorf("parsing p256 key: not a compressed point on the curve: %w", ErrMalformed)
	}

	size := (curve.Params().BitSize + 7) / 8
	raw := make([]byte, 1+2*size)
	raw[0] = 0x04
	x.FillBytes(raw[1 : 1+size])
	y.FillBytes(raw[1+size:])

	pub, err := ecdsa.ParseUncompressedPublicKey(curve, raw)
	if err != nil {
		return nil, fmt.Errorf("parsing p256 key: %w: %w", ErrMalformed, err)
	}

	return pub, nil
}
