package vcjwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/keys"
)

// Header typ values: OB 3.0 §8.2.3 asks for "JWT"; VC-JOSE-COSE §3.1.1 asks for
// "vc+jwt" when the payload is a VC 2.0 credential.
const (
	typJWT   = "JWT"
	typVCJWT = "vc+jwt"
)

// Sign encodes credential as a compact VC-JWT signed with key (OB 3.0 §8.2.5).
//
// The payload shape follows the credential's first @context entry: VC 1.1 puts the
// credential in a vc claim under typ "JWT"; VC 2.0 makes the credential the payload
// under typ "vc+jwt". iss, jti, sub, nbf and exp are derived from the credential
// (OB 3.0 §8.2.4.1); iat is left out so that signing is repeatable. The protected header
// holds exactly alg, kid and typ, never a jwk: a verifier must find the key through kid.
// The algorithm follows the key: RS256 for RSA (the OB 3.0 minimum), ES256 for P-256,
// EdDSA for Ed25519. Signing goes through key.Signer(), so a KMS-held key works.
//
// Errors wrap ErrMalformed for a credential that cannot be signed (no issuer id, an
// unknown context, a bad date, a VC 2.0 credential that already holds a registered claim
// name) and ErrAlgorithm for a key that fits no algorithm.
func Sign(credential map[string]any, key *keys.Key, kid string) (string, error) {
	if key == nil || kid == "" {
		return "", errors.New("signing vc-jwt: a key and a kid are required")
	}

	payload, typ, err := buildPayload(credential)
	if err != nil {
		return "", err
	}

	alg, err := algorithmFor(key)
	if err != nil {
		return "", err
	}

	data, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("encoding payload: %w", err)
	}

	return signCompact(data, alg, key, kid, typ)
}

// buildPayload makes the JWT payload and chooses typ for the credential's shape.
func buildPayload(credential map[string]any) (map[string]any, jose.ContentType, error) {
	shape, err := shapeOf(credential)
	if err != nil {
		return nil, "", err
	}

	claims, err := claimsFor(credential, shape)
	if err != nil {
		return nil, "", err
	}

	if shape == ShapeVC11 {
		claims["vc"] = credential
		return claims, typJWT, nil
	}

	// Parse strips registered claim names from a VC 2.0 payload, so a credential
	// property of that name would not survive the round trip.
	for _, name := range registeredClaims() {
		if _, taken := credential[name]; taken {
			return nil, "", fmt.Errorf("building payload: credential has property %q: %w",
				name, ErrMalformed)
		}
	}
	payload := maps.Clone(credential)
	maps.Copy(payload, claims)
	return payload, typVCJWT, nil
}

// claimsFor derives the registered claims from the credential (OB 3.0 §8.2.4.1).
func claimsFor(credential map[string]any, shape Shape) (map[string]any, error) {
	iss := vcdm.IssuerID(credential)
	if iss == "" {
		return nil, fmt.Errorf("reading issuer: no id: %w", ErrMalformed)
	}

	claims := map[string]any{"iss": iss}
	if id := credentialID(credential); id != "" {
		claims["jti"] = id
	}
	if ids := subjectIDs(credential); len(ids) > 0 {
		claims["sub"] = ids[0]
	}

	from, until := dateNames(shape)
	for claim, name := range map[string]string{"nbf": from, "exp": until} {
		t, ok, err := credentialDate(credential, name)
		if err != nil {
			return nil, fmt.Errorf("deriving %s: %w: %w", claim, ErrMalformed, err)
		}
		if ok {
			claims[claim] = t.Unix()
		}
	}
	return claims, nil
}

// algorithmFor picks the JWS algorithm for the key's type and checks the key fits it.
func algorithmFor(key *keys.Key) (jose.SignatureAlgorithm, error) {
	var alg jose.SignatureAlgorithm
	switch key.Type() {
	case keys.RSA:
		alg = jose.RS256
	case keys.P256:
		alg = jose.ES256
	case keys.Ed25519:
		alg = jose.EdDSA
	default:
		return "", fmt.Errorf("choosing algorithm: key type %q: %w", key.Type(), ErrAlgorithm)
	}

	if err := checkKey(alg, key.Public()); err != nil {
		return "", err
	}
	return alg, nil
}

// signCompact signs data through the key's crypto.Signer and serializes the JWS.
func signCompact(data []byte, alg jose.SignatureAlgorithm, key *keys.Key, kid string,
	typ jose.ContentType) (string, error) {
	signingKey := jose.SigningKey{Algorithm: alg, Key: cryptosigner.Opaque(key.Signer())}
	opts := (&jose.SignerOptions{}).WithType(typ).WithHeader("kid", kid)
	signer, err := jose.NewSigner(signingKey, opts)
	if err != nil {
		return "", fmt.Errorf("creating signer: %w", err)
	}

	jws, err := signer.Sign(data)
	if err != nil {
		return "", fmt.Errorf("signing payload: %w", err)
	}

	token, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("serializing jws: %w", err)
	}
	return token, nil
}
