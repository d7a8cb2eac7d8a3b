package keys

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// isPrivateMember reports JWK members that carry secret material (RFC 7518
// §6.2.2, §6.3.2 and §6.4.1; RFC 8037 §2; "priv" for ML-DSA). A published
// key holding any of them is refused before go-jose sees it: go-jose's own
// docs warn that plain UnmarshalJSON parses private keys and so is unsafe on
// untrusted input.
func isPrivateMember(name string) bool {
	switch name {
	case "d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv":
		return true
	default:
		return false
	}
}

// JWK returns the public JWK (RFC 7517) for an Ed25519, P-256, P-384 or RSA
// key, with "alg" pinned (EdDSA, ES256, ES384, RS256) and "use" set to "sig"
// so a consumer cannot pair the key with another algorithm. kid may be empty.
func JWK(pub crypto.PublicKey, kid string) (jose.JSONWebKey, error) {
	t, err := TypeOf(pub)
	if err != nil {
		return jose.JSONWebKey{}, fmt.Errorf("building jwk: %w", err)
	}

	return jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: jwsAlgorithm(t), Use: "sig"}, nil
}

// PublicJWKJSON is JWK marshalled to JSON, for CLI output and documents.
func PublicJWKJSON(pub crypto.PublicKey, kid string) ([]byte, error) {
	jwk, err := JWK(pub, kid)
	if err != nil {
		return nil, err
	}

	b, err := jwk.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("marshalling jwk: %w", err)
	}

	return b, nil
}

// Thumbprint returns the RFC 7638 SHA-256 thumbprint of the public key in
// base64url, a stable "kid" for keys that have no DID URL of their own.
func Thumbprint(pub crypto.PublicKey) (string, error) {
	jwk, err := JWK(pub, "")
	if err != nil {
		return "", err
	}

	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("computing jwk thumbprint: %w", err)
	}

	return base64.RawURLEncoding.EncodeToString(sum), nil
}

// jwsAlgorithm names the JWS algorithm (RFC 7518 §3.1, RFC 8037 §3.1) that
// SignMessage produces, or for P-384 VerifyMessage checks, for t.
func jwsAlgorithm(t Type) string {
	switch t {
	case Ed25519:
		return string(jose.EdDSA)
	case P256:
		return string(jose.ES256)
	case P384:
		return string(jose.ES384)
	default:
		return string(jose.RS256)
	}
}

// parsePublicJWK reads an untrusted publicKeyJwk. Private members are refused
// first, then go-jose parses the key, then the type and size rules of this
// package apply, and a present "alg" must match the key type.
func parsePublicJWK(raw json.RawMessage) (crypto.PublicKey, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, fmt.Errorf("parsing jwk: %w: %w", ErrMalformed, err)
	}
	for name := range members {
		if isPrivateMember(name) {
			return nil, fmt.Errorf("parsing jwk: holds private member %q: %w", name, ErrMalformed)
		}
	}

	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("parsing jwk: %w: %w", ErrMalformed, err)
	}

	return checkParsedJWK(&jwk)
}

// checkParsedJWK applies this package's rules to a key go-jose has parsed.
func checkParsedJWK(jwk *jose.JSONWebKey) (crypto.PublicKey, error) {
	if !jwk.IsPublic() || !jwk.Valid() {
		return nil, fmt.Errorf("parsing jwk: not a valid public key: %w", ErrMalformed)
	}

	t, err := TypeOf(jwk.Key)
	if err != nil {
		return nil, fmt.Errorf("parsing jwk: %w", err)
	}
	if jwk.Algorithm != "" && jwk.Algorithm != jwsAlgorithm(t) {
		return nil, fmt.Errorf("parsing jwk: alg %q does not fit a %s key: %w",
			jwk.Algorithm, t, ErrUnsupported)
	}

	return jwk.Key, nil
}
