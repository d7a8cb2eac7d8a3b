package vcjwt

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/keys"
)

// Verifier checks VC-JWT proofs (OB 3.0 §8.2.6). Its zero value is ready to use and
// accepts RS256, ES256, ES384 and EdDSA tokens whose kid is a did:key URL.
//
// Validity dates are not judged here: the verifier package judges them in one place
// for every proof format, from Result.Claims and the credential. Verify does check that
// nbf and exp, when present, equal the credential's own dates.
type Verifier struct {
	// Algorithms is the allow-list of alg values. Nil or empty means RS256, ES256,
	// ES384 (for the P-384 keys Laurel verifies with but does not sign with) and EdDSA.
	// Only asymmetric algorithms count: "none" and the HMAC algorithms are dropped
	// from any list, since a shared secret cannot show who the issuer is.
	Algorithms []jose.SignatureAlgorithm

	// Resolve finds the verification method for an absolute kid; a relative kid such as
	// "#key-1" has already been resolved against iss. It is the only source of keys.
	// Nil means did:key only, through keys.ResolveDIDKey, which needs no network.
	Resolve func(ctx context.Context, kid string) (*keys.VerificationMethod, error)
}

// Result is what a verified token says. The embedded Token gives the credential, its
// shape, the header and the claims (Claims.NotBefore and Claims.Expiry for the caller's
// date checks).
type Result struct {
	Token

	// Algorithm is the alg the signature was checked with.
	Algorithm jose.SignatureAlgorithm

	// KeyID is the absolute kid that was resolved.
	KeyID string

	// Method is the resolved verification method. Its controller is not compared with
	// the issuer here: that binding is the caller's check.
	Method *keys.VerificationMethod
}

// Verify checks a compact VC-JWT: form and limits, the algorithm allow-list, the key
// found through kid only (a jwk header is never used), the algorithm against the key
// type, the signature, and that iss, jti, sub, nbf and exp agree with the credential
// (OB 3.0 §8.2.6.1). Any failure returns a nil Result and an error wrapping one of the
// package's sentinel errors.
func (v *Verifier) Verify(ctx context.Context, token string) (*Result, error) {
	tok, jws, err := decode(token, v.algorithms())
	if err != nil {
		return nil, err
	}
	if err := checkForm(tok); err != nil {
		return nil, err
	}

	kid, err := absoluteKeyID(tok)
	if err != nil {
		return nil, err
	}
	method, err := v.resolve(ctx, kid)
	if err != nil {
		return nil, err
	}

	alg := jose.SignatureAlgorithm(tok.Header.Algorithm)
	if err := checkKey(alg, method.PublicKey); err != nil {
		return nil, err
	}
	if _, err := jws.Verify(method.PublicKey); err != nil {
		return nil, fmt.Errorf("verifying signature: %w: %w", ErrSignature, err)
	}

	if err := checkClaims(tok); err != nil {
		return nil, err
	}
	return &Result{Token: *tok, Algorithm: alg, KeyID: kid, Method: method}, nil
}

// algorithms returns the effective allow-list.
func (v *Verifier) algorithms() []jose.SignatureAlgorithm {
	if len(v.Algorithms) == 0 {
		return []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.ES384, jose.EdDSA}
	}

	supported := signatureAlgorithms()
	return slices.DeleteFunc(slices.Clone(v.Algorithms), func(a jose.SignatureAlgorithm) bool {
		return !slices.Contains(supported, a)
	})
}

// resolve finds the verification method for kid.
func (v *Verifier) resolve(ctx context.Context, kid string) (*keys.VerificationMethod, error) {
	resolve := v.Resolve
	if resolve == nil {
		resolve = resolveDIDKey
	}

	method, err := resolve(ctx, kid)
	if err != nil {
		return nil, fmt.Errorf("resolving kid %q: %w: %w", kid, ErrKeyNotFound, err)
	}
	if method == nil || method.PublicKey == nil {
		return nil, fmt.Errorf("resolving kid %q: no public key: %w", kid, ErrKeyNotFound)
	}

	// Where the resolver read the controller's document (keys.Relationships),
	// the key must be one it lists for issuing, as a Data Integrity proof's must.
	if listed, known := method.Relationships.Lists(keys.RelAssertionMethod); known && !listed {
		return nil, fmt.Errorf("resolving kid %q: its controller's document does not "+
			"list it under assertionMethod: %w", kid, ErrKeyNotAuthorized)
	}
	return method, nil
}

// resolveDIDKey is the default resolver: did:key needs no network.
func resolveDIDKey(_ context.Context, kid string) (*keys.VerificationMethod, error) {
	return keys.ResolveDIDKey(kid)
}

// absoluteKeyID picks the kid to resolve. A token that names its key only in a jwk
// header is refused: anyone can embed a key, so it says nothing about the issuer.
func absoluteKeyID(tok *Token) (string, error) {
	kid := tok.Header.KeyID
	switch {
	case kid == "" && tok.Header.HasJWK:
		return "", fmt.Errorf("finding key: only an embedded jwk: %w", ErrUntrustedKey)
	case kid == "":
		return "", fmt.Errorf("finding key: no kid: %w", ErrKeyNotFound)
	case !strings.HasPrefix(kid, "#"):
		return kid, nil
	case tok.Claims.Issuer == "":
		return "", fmt.Errorf("finding key: relative kid %q without iss: %w", kid, ErrKeyNotFound)
	}

	base, _, _ := strings.Cut(tok.Claims.Issuer, "#")
	return base + kid, nil
}

// checkForm checks what needs no key: typ, and that the credential's context matches
// the payload shape (a vc claim for VC 1.1, the payload itself for VC 2.0).
func checkForm(tok *Token) error {
	// RFC 8725 §3.11: a typ naming another kind of JWT must not pass as a credential.
	typ := strings.TrimPrefix(strings.ToLower(tok.Header.Type), "application/")
	if !slices.Contains([]string{"", "jwt", "vc+jwt", "vc+ld+jwt"}, typ) {
		return fmt.Errorf("checking typ %q: %w", tok.Header.Type, ErrMalformed)
	}

	shape, err := shapeOf(tok.Credential)
	if err != nil {
		return err
	}
	if shape != tok.Shape {
		return fmt.Errorf("checking shape: %s context in a %s payload: %w",
			shape, tok.Shape, ErrMalformed)
	}
	return nil
}

// checkClaims compares the signed claims with the credential (OB 3.0 §8.2.6.1). iss is
// required; jti and sub are compared when present, as are nbf and exp when the
// credential has the matching date.
func checkClaims(tok *Token) error {
	c, credential := tok.Claims, tok.Credential
	if iss := vcdm.IssuerID(credential); c.Issuer == "" || c.Issuer != iss {
		return fmt.Errorf("checking iss: %q, credential issuer %q: %w", c.Issuer, iss, ErrClaims)
	}
	if c.ID != "" && c.ID != credentialID(credential) {
		return fmt.Errorf("checking jti: %q, credential id %q: %w",
			c.ID, credentialID(credential), ErrClaims)
	}
	if c.Subject != "" && !slices.Contains(subjectIDs(credential), c.Subject) {
		return fmt.Errorf("checking sub: %q is no credential subject id: %w", c.Subject, ErrClaims)
	}

	from, until := dateNames(tok.Shape)
	if err := checkDate("nbf", c.NotBefore, credential, from); err != nil {
		return err
	}
	return checkDate("exp", c.Expiry, credential, until)
}

// checkDate compares a NumericDate claim with a credential date at whole seconds, the
// precision of a NumericDate.
func checkDate(claim string, t time.Time, credential map[string]any, name string) error {
	if t.IsZero() {
		return nil
	}

	want, ok, err := credentialDate(credential, name)
	if err != nil {
		return fmt.Errorf("checking %s: %w: %w", claim, ErrClaims, err)
	}
	if ok && want.Unix() != t.Unix() {
		return fmt.Errorf("checking %s: %s, credential %s %s: %w",
			claim, t.Format(time.RFC3339), name, want.Format(time.RFC3339), ErrClaims)
	}
	return nil
}
