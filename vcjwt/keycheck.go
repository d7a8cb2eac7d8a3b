package vcjwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"slices"

	"github.com/go-jose/go-jose/v4"
)

// RSA modulus bounds. The floor follows OB 3.0 §8.2.3's pointer to the 1EdTech Security
// Framework §6.1 (and NIST SP 800-131A); the ceiling, the same as package keys, keeps a
// hostile key document from making verification slow.
const (
	minRSABits = 2048
	maxRSABits = 8192
)

// checkKey refuses a key that does not fit alg, so that a token cannot choose how a
// resolved key is used (RFC 8725 §3.1).
func checkKey(alg jose.SignatureAlgorithm, pub crypto.PublicKey) error {
	var fits bool
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil || k.N == nil || k.N.BitLen() < minRSABits || k.N.BitLen() > maxRSABits {
			return fmt.Errorf("checking key: rsa key outside %d..%d bits: %w",
				minRSABits, maxRSABits, ErrAlgorithm)
		}
		fits = slices.Contains([]jose.SignatureAlgorithm{
			jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		}, alg)
	case *ecdsa.PublicKey:
		fits = k != nil && k.Curve != nil && k.Curve == curveFor(alg)
	case ed25519.PublicKey:
		fits = alg == jose.EdDSA && len(k) == ed25519.PublicKeySize
	default:
		return fmt.Errorf("checking key: unsupported key type %T: %w", pub, ErrAlgorithm)
	}

	if !fits {
		return fmt.Errorf("checking key: %s does not fit a %T: %w", alg, pub, ErrAlgorithm)
	}
	return nil
}

// curveFor names the curve an ECDSA algorithm requires (RFC 7518 §3.4), or nil.
func curveFor(alg jose.SignatureAlgorithm) elliptic.Curve {
	switch alg {
	case jose.ES256:
		return elliptic.P256()
	case jose.ES384:
		return elliptic.P384()
	case jose.ES512:
		return elliptic.P521()
	}
	return nil
}
