package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// Byte lengths of r and s in P-256 and P-384 signatures.
const (
	p256ScalarLen = 32
	p384ScalarLen = 48
)

// SignMessage signs msg with the encoding each proof format expects:
//
//   - Ed25519: the raw 64-byte signature over msg itself (RFC 8032 pure
//     Ed25519, as eddsa-rdfc-2022 and EdDSA JWS use).
//   - P-256: ECDSA over SHA-256(msg), returned as 64-byte r||s with each half
//     left-padded to 32 bytes (IEEE P1363; RFC 7518 §3.4 and ecdsa-rdfc-2019
//     both require this, not ASN.1 DER).
//   - RSA: RSASSA-PKCS1-v1_5 over SHA-256(msg) (RS256, RFC 7518 §3.3).
func (k *Key) SignMessage(msg []byte) ([]byte, error) {
	switch k.typ {
	case Ed25519:
		return k.signEd25519(msg)
	case P256:
		return k.signP256(msg)
	case RSA:
		return k.signRSA(msg)
	default:
		return nil, fmt.Errorf("signing: key type %q: %w", k.typ, ErrUnsupported)
	}
}

// signEd25519 signs msg directly; crypto.Hash(0) tells the signer not to
// expect a digest.
func (k *Key) signEd25519(msg []byte) ([]byte, error) {
	sig, err := k.signer.Sign(rand.Reader, msg, crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("signing with ed25519: %w", err)
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signing with ed25519: signer returned %d bytes: %w",
			len(sig), ErrMalformed)
	}

	return sig, nil
}

// signP256 signs SHA-256(msg) and converts the signer's DER output to r||s.
func (k *Key) signP256(msg []byte) ([]byte, error) {
	digest := sha256.Sum256(msg)
	der, err := k.signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing with p256: %w", err)
	}

	sig, err := derToP1363(der)
	if err != nil {
		return nil, fmt.Errorf("signing with p256: %w", err)
	}

	return sig, nil
}

// signRSA signs SHA-256(msg) with PKCS#1 v1.5 padding.
func (k *Key) signRSA(msg []byte) ([]byte, error) {
	digest := sha256.Sum256(msg)
	sig, err := k.signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signing with rsa: %w", err)
	}

	return sig, nil
}

// ecdsaSignature is the ASN.1 form crypto.Signer returns for ECDSA
// (SEC 1 v2 §C.8).
type ecdsaSignature struct {
	R, S *big.Int
}

// derToP1363 converts a DER ECDSA signature into fixed-width r||s. A signer
// (perhaps a remote KMS) that returns trailing bytes or oversized integers is
// refused rather than silently truncated.
func derToP1363(der []byte) ([]byte, error) {
	var sig ecdsaSignature
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil {
		return nil, fmt.Errorf("decoding der signature: %w: %w", ErrMalformed, err)
	}
	if len(rest) != 0 || sig.R.Sign() <= 0 || sig.S.Sign() <= 0 ||
		sig.R.BitLen() > 8*p256ScalarLen || sig.S.BitLen() > 8*p256ScalarLen {
		return nil, fmt.Errorf("decoding der signature: out of range: %w", ErrMalformed)
	}

	out := make([]byte, 2*p256ScalarLen)
	sig.R.FillBytes(out[:p256ScalarLen])
	sig.S.FillBytes(out[p256ScalarLen:])

	return out, nil
}

// VerifyMessage checks sig over msg under pub with exactly the rules of
// SignMessage, and returns nil or an error wrapping ErrBadSignature
// (ErrUnsupported or ErrMalformed for a key Laurel does not accept, so a
// caller never mistakes a refused key for a forged signature). The signature
// length is checked before any cryptography, so a P-256 signature in DER form
// is refused rather than guessed at: accepting two encodings would make
// signatures malleable.
//
// A P-384 key, which SignMessage never holds, takes ECDSA over
// SHA-384(msg) as 96-byte r||s (RFC 7518 §3.4 ES384; Data Integrity ECDSA
// Cryptosuites 1.0, "Proof Serialization (ecdsa-rdfc-2019)").
func VerifyMessage(pub crypto.PublicKey, msg, sig []byte) error {
	t, err := TypeOf(pub)
	if err != nil {
		return fmt.Errorf("verifying signature: %w", err)
	}

	switch t {
	case Ed25519:
		return verifyEd25519(pub.(ed25519.PublicKey), msg, sig)
	case P256:
		digest := sha256.Sum256(msg)
		return verifyECDSA(t, pub.(*ecdsa.PublicKey), digest[:], sig, p256ScalarLen)
	case P384:
		digest := sha512.Sum384(msg)
		return verifyECDSA(t, pub.(*ecdsa.PublicKey), digest[:], sig, p384ScalarLen)
	default:
		return verifyRSA(pub.(*rsa.PublicKey), msg, sig)
	}
}

// verifyEd25519 checks a pure Ed25519 signature.
func verifyEd25519(pub ed25519.PublicKey, msg, sig []byte) error {
	if len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("verifying ed25519: signature is %d bytes: %w", len(sig), ErrBadSignature)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("verifying ed25519: %w", ErrBadSignature)
	}

	return nil
}

// verifyECDSA checks a fixed-width r||s signature, each half size bytes,
// over digest; t names the key type in errors.
func verifyECDSA(t Type, pub *ecdsa.PublicKey, digest, sig []byte, size int) error {
	if len(sig) != 2*size {
		return fmt.Errorf("verifying %s: signature is %d bytes, want %d: %w",
			t, len(sig), 2*size, ErrBadSignature)
	}

	r := new(big.Int).SetBytes(sig[:size])
	s := new(big.Int).SetBytes(sig[size:])
	if !ecdsa.Verify(pub, digest, r, s) {
		return fmt.Errorf("verifying %s: %w", t, ErrBadSignature)
	}

	return nil
}

// verifyRSA checks an RS256 signature, which must be exactly the modulus
// length.
func verifyRSA(pub *rsa.PublicKey, msg, sig []byte) error {
	if len(sig) != pub.Size() {
		return fmt.Errorf("verifying rsa: signature is %d bytes, want %d: %w",
			len(sig), pub.Size(), ErrBadSignature)
	}

	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return fmt.Errorf("verifying rsa: %w: %w", ErrBadSignature, err)
	}

	return nil
}
