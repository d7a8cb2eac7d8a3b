package vcjwt_test

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

func TestVerifyTamperedPayload(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	token := mustSign(t, newCredential(vcjwt.ShapeVC20, issuer), key, kid)

	payload := segmentJSON(t, token, 1)
	payload["name"] = "Leadership Badge"
	parts := strings.Split(token, ".")
	tampered := parts[0] + "." + encodeJSON(t, payload) + "." + parts[2]

	if err := verifyErr(&vcjwt.Verifier{}, tampered); !errors.Is(err, vcjwt.ErrSignature) {
		t.Errorf("Verify error %v, want ErrSignature", err)
	}
}

func TestVerifyAlgorithmNotAllowed(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	token := mustSign(t, newCredential(vcjwt.ShapeVC20, issuer), key, kid)

	v := &vcjwt.Verifier{Algorithms: []jose.SignatureAlgorithm{jose.RS256, jose.ES256}}
	if err := verifyErr(v, token); !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("Verify error %v, want ErrAlgorithm", err)
	}
}

// TestVerifyRefusesNoneAndHMAC builds the classic downgrade tokens by hand and offers
// them to a verifier that even lists those algorithms.
func TestVerifyRefusesNoneAndHMAC(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, issuer))

	unsigned := func([]byte) []byte { return nil }
	// The HMAC secret is public data, as a verifier confusing key types would use it.
	hmacSHA256 := func(input []byte) []byte {
		mac := hmac.New(sha256.New, []byte(kid))
		mac.Write(input)
		return mac.Sum(nil)
	}
	tokens := map[string]string{
		"none":  forge(t, map[string]any{"alg": "none", "kid": kid}, payload, unsigned),
		"HS256": forge(t, map[string]any{"alg": "HS256", "kid": kid}, payload, hmacSHA256),
	}

	verifiers := map[string]*vcjwt.Verifier{
		"default":    {},
		"configured": {Algorithms: []jose.SignatureAlgorithm{"none", jose.HS256, jose.EdDSA}},
	}
	for vName, v := range verifiers {
		for tName, token := range tokens {
			if err := verifyErr(v, token); !errors.Is(err, vcjwt.ErrAlgorithm) {
				t.Errorf("%s verifier, %s token: error %v, want ErrAlgorithm", vName, tName, err)
			}
		}
	}
}

func TestVerifyJWKOnlyRefused(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, _ := issuerFor(t, key)
	payload, err := json.Marshal(payloadFor(newCredential(vcjwt.ShapeVC20, issuer)))
	if err != nil {
		t.Fatal(err)
	}

	signingKey := jose.SigningKey{Algorithm: jose.EdDSA, Key: cryptosigner.Opaque(key.Signer())}
	signer, err := jose.NewSigner(signingKey, &jose.SignerOptions{EmbedJWK: true})
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	token, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}

	if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrUntrustedKey) {
		t.Errorf("Verify error %v, want ErrUntrustedKey", err)
	}
}

// TestVerifyIgnoresJWKBesideKid: the key named by kid decides; an embedded jwk neither
// helps an attacker nor hurts an honest token.
func TestVerifyIgnoresJWKBesideKid(t *testing.T) {
	issuerKey, attacker := newKey(t, keys.Ed25519), newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, issuerKey)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, issuer))
	jwk := jose.JSONWebKey{Key: attacker.Public()}
	header := map[string]any{"alg": "EdDSA", "kid": kid, "jwk": jwk}

	forged := forge(t, header, payload, ed25519Signer(t, attacker))
	if err := verifyErr(&vcjwt.Verifier{}, forged); !errors.Is(err, vcjwt.ErrSignature) {
		t.Errorf("token signed by the embedded key: error %v, want ErrSignature", err)
	}

	honest := forge(t, header, payload, ed25519Signer(t, issuerKey))
	res, err := (&vcjwt.Verifier{}).Verify(t.Context(), honest)
	if err != nil {
		t.Fatalf("token signed by the kid's key: %v", err)
	}
	if !res.Header.HasJWK {
		t.Error("Result does not report the jwk header")
	}
}

func TestVerifyKidResolvingToAnotherKey(t *testing.T) {
	signing, other, p256 := newKey(t, keys.Ed25519), newKey(t, keys.Ed25519), newKey(t, keys.P256)
	issuer, _ := issuerFor(t, signing)
	credential := newCredential(vcjwt.ShapeVC20, issuer)

	_, otherKid := issuerFor(t, other)
	token := mustSign(t, credential, signing, otherKid)
	if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrSignature) {
		t.Errorf("kid of another Ed25519 key: error %v, want ErrSignature", err)
	}

	_, p256Kid := issuerFor(t, p256)
	token = mustSign(t, credential, signing, p256Kid)
	if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("kid of a P-256 key under EdDSA: error %v, want ErrAlgorithm", err)
	}
}

func TestVerifyClaimsDisagree(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)

	cases := map[string]func(p map[string]any){
		"iss mismatch": func(p map[string]any) { p["iss"] = "did:example:someone-else" },
		"iss missing":  func(p map[string]any) { delete(p, "iss") },
		"jti mismatch": func(p map[string]any) { p["jti"] = "urn:uuid:other" },
		"sub mismatch": func(p map[string]any) { p["sub"] = "did:example:other" },
		"nbf mismatch": func(p map[string]any) { p["nbf"] = validFromUnix + 1 },
		"exp mismatch": func(p map[string]any) { p["exp"] = validUntilUnix - 1 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			payload := payloadFor(newCredential(vcjwt.ShapeVC20, issuer))
			mutate(payload)
			header := map[string]any{"alg": "EdDSA", "kid": kid}

			token := forge(t, header, payload, ed25519Signer(t, key))
			if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrClaims) {
				t.Errorf("Verify error %v, want ErrClaims", err)
			}
		})
	}
}

func TestVerifyRelativeKid(t *testing.T) {
	key := newKey(t, keys.P256)
	token := mustSign(t, newCredential(vcjwt.ShapeVC11, httpsIssuer), key, "#key-1")
	v := &vcjwt.Verifier{Resolve: resolverFor(map[string]*keys.Key{httpsIssuerKey: key})}

	res, err := v.Verify(t.Context(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.KeyID != httpsIssuerKey || res.Header.KeyID != "#key-1" {
		t.Errorf("resolved kid %q from header kid %q", res.KeyID, res.Header.KeyID)
	}
}

func TestVerifyResolverFailure(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	token := mustSign(t, newCredential(vcjwt.ShapeVC20, httpsIssuer), key, httpsIssuerKey)

	cause := errors.New("issuer profile unreachable")
	failing := func(context.Context, string) (*keys.VerificationMethod, error) { return nil, cause }
	err := verifyErr(&vcjwt.Verifier{Resolve: failing}, token)
	if !errors.Is(err, vcjwt.ErrKeyNotFound) || !errors.Is(err, cause) {
		t.Errorf("Verify error %v, want ErrKeyNotFound wrapping the cause", err)
	}

	// The default resolver knows did:key only.
	if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrKeyNotFound) {
		t.Errorf("https kid with the default resolver: error %v, want ErrKeyNotFound", err)
	}
}

// TestVerifyKeyMustIssue refuses a key its controller's document lists,
// but not under assertionMethod, and accepts one whose relationships the
// resolver could not know.
func TestVerifyKeyMustIssue(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	token := mustSign(t, newCredential(vcjwt.ShapeVC20, httpsIssuer), key, httpsIssuerKey)
	cases := map[string]struct {
		rel  keys.Relationships
		want error
	}{
		"assertionMethod":         {keys.Relationships{Known: true, AssertionMethod: true}, nil},
		"authentication only":     {keys.Relationships{Known: true, Authentication: true}, vcjwt.ErrKeyNotAuthorized},
		"verificationMethod only": {keys.Relationships{Known: true}, vcjwt.ErrKeyNotAuthorized},
		"not known":               {keys.Relationships{}, nil},
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			resolve := func(_ context.Context, kid string) (*keys.VerificationMethod, error) {
				return &keys.VerificationMethod{ID: kid, PublicKey: key.Public(), Relationships: c.rel}, nil
			}
			err := verifyErr(&vcjwt.Verifier{Resolve: resolve}, token)
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("Verify error %v, want %v", err, c.want)
			}
		})
	}
}

func TestVerifyShortRSAKeyRefused(t *testing.T) {
	key := newKey(t, keys.RSA)
	token := mustSign(t, newCredential(vcjwt.ShapeVC20, httpsIssuer), key, httpsIssuerKey)
	short, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}

	resolve := func(_ context.Context, kid string) (*keys.VerificationMethod, error) {
		return &keys.VerificationMethod{ID: kid, PublicKey: &short.PublicKey}, nil
	}
	err = verifyErr(&vcjwt.Verifier{Resolve: resolve}, token)
	if !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("Verify error %v, want ErrAlgorithm", err)
	}
}

func TestVerifyRefusesForeignTypAndShape(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, issuer))

	header := map[string]any{"alg": "EdDSA", "kid": kid, "typ": "at+jwt"}
	foreign := forge(t, header, payload, ed25519Signer(t, key))
	if err := verifyErr(&vcjwt.Verifier{}, foreign); !errors.Is(err, vcjwt.ErrMalformed) {
		t.Errorf("typ at+jwt: error %v, want ErrMalformed", err)
	}

	// A VC 1.1 context in a VC 2.0 payload.
	payload["@context"] = []any{"https://www.w3.org/2018/credentials/v1"}
	header = map[string]any{"alg": "EdDSA", "kid": kid}
	mixed := forge(t, header, payload, ed25519Signer(t, key))
	if err := verifyErr(&vcjwt.Verifier{}, mixed); !errors.Is(err, vcjwt.ErrMalformed) {
		t.Errorf("VC 1.1 context without vc claim: error %v, want ErrMalformed", err)
	}
}

func TestVerifyWithoutKid(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, _ := issuerFor(t, key)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, issuer))

	token := forge(t, map[string]any{"alg": "EdDSA"}, payload, ed25519Signer(t, key))
	if err := verifyErr(&vcjwt.Verifier{}, token); !errors.Is(err, vcjwt.ErrKeyNotFound) {
		t.Errorf("Verify error %v, want ErrKeyNotFound", err)
	}
}
