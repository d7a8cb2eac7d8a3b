package vcjwt

import "errors"

// Sentinel errors name the outcomes a caller can act on; check them with errors.Is.
// Each returned error wraps one of them together with the step that failed.
var (
	// ErrMalformed means the token or the credential does not have the form OB 3.0 §8.2
	// describes: too large, not three segments, bad base64 or JSON, too deep, a payload
	// without a credential, or a credential that cannot be signed (no issuer id).
	ErrMalformed = errors.New("malformed vc-jwt")

	// ErrAlgorithm means the header's alg is not on the verifier's allow-list, is not an
	// asymmetric signature algorithm, or does not fit the resolved key (RS256 needs RSA
	// of at least 2048 bits, ES256 needs P-256, ES384 P-384, EdDSA Ed25519).
	ErrAlgorithm = errors.New("signature algorithm not accepted")

	// ErrUntrustedKey means the token names its key only through an embedded jwk header.
	// Such a key proves nothing about the issuer, so it is never used.
	ErrUntrustedKey = errors.New("untrusted embedded key")

	// ErrKeyNotFound means no key could be found for the token: it has no kid, or
	// resolving the kid failed; the resolver's error is wrapped beside it.
	ErrKeyNotFound = errors.New("verification key not found")

	// ErrKeyNotAuthorized means the resolved key's controller document was read and
	// does not list the key under assertionMethod, the relationship a credential
	// issuer's key must be in (Controlled Identifiers 1.0 §3.3).
	ErrKeyNotAuthorized = errors.New("key not authorized to issue credentials")

	// ErrSignature means the signature does not verify with the resolved key.
	ErrSignature = errors.New("invalid signature")

	// ErrClaims means a signed JWT claim (iss, jti, sub, nbf, exp) disagrees with the
	// credential it carries (OB 3.0 §8.2.6.1).
	ErrClaims = errors.New("jwt claims disagree with the credential")
)
