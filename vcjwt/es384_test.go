package vcjwt_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

// p384Issuer returns a fresh P-384 key, its did:key and the did:key URL a
// token names as kid.
func p384Issuer(t *testing.T) (k *ecdsa.PrivateKey, did, kid string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	did, err = keys.DIDKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return k, did, did + "#" + strings.TrimPrefix(did, "did:key:")
}

// ecdsaSigner signs a signing input as JWS ECDSA does (RFC 7518 §3.4):
// r||s over the digest, each half size bytes.
func ecdsaSigner(t *testing.T, k *ecdsa.PrivateKey, digest func([]byte) []byte,
	size int) func([]byte) []byte {
	return func(input []byte) []byte {
		r, s, err := ecdsa.Sign(rand.Reader, k, digest(input))
		if err != nil {
			t.Fatalf("signing: %v", err)
		}
		return append(r.FillBytes(make([]byte, size)), s.FillBytes(make([]byte, size))...)
	}
}

func sha384Of(b []byte) []byte { d := sha512.Sum384(b); return d[:] }

func sha256Of(b []byte) []byte { d := sha256.Sum256(b); return d[:] }

// An ES384 token whose kid is a P-384 did:key verifies with the default
// allow-list, and not once the allow-list leaves ES384 out or the payload
// changes.
func TestVerifyES384(t *testing.T) {
	k, did, kid := p384Issuer(t)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, did))
	header := map[string]any{"alg": "ES384", "kid": kid, "typ": "vc+jwt"}
	token := forge(t, header, payload, ecdsaSigner(t, k, sha384Of, 48))

	res, err := (&vcjwt.Verifier{}).Verify(t.Context(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Algorithm != jose.ES384 || res.KeyID != kid {
		t.Fatalf("verified with %s under %s", res.Algorithm, res.KeyID)
	}

	narrow := &vcjwt.Verifier{Algorithms: []jose.SignatureAlgorithm{jose.ES256}}
	if err := verifyErr(narrow, token); !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("ES256-only verifier: error %v, want ErrAlgorithm", err)
	}

	payload["name"] = "Leadership Badge"
	parts := strings.Split(token, ".")
	tampered := parts[0] + "." + encodeJSON(t, payload) + "." + parts[2]
	if err := verifyErr(&vcjwt.Verifier{}, tampered); !errors.Is(err, vcjwt.ErrSignature) {
		t.Errorf("tampered payload: error %v, want ErrSignature", err)
	}
}

// The algorithm must fit the key's curve both ways: ES256 with a P-384 key
// and ES384 with a P-256 key are refused before the signature is checked.
func TestVerifyES384CurveMismatch(t *testing.T) {
	k, did, kid := p384Issuer(t)
	payload := payloadFor(newCredential(vcjwt.ShapeVC20, did))
	es256 := forge(t, map[string]any{"alg": "ES256", "kid": kid, "typ": "vc+jwt"}, payload,
		ecdsaSigner(t, k, sha256Of, 48))
	if err := verifyErr(&vcjwt.Verifier{}, es256); !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("ES256 with a P-384 key: error %v, want ErrAlgorithm", err)
	}

	p256 := newKey(t, keys.P256)
	issuer, p256Kid := issuerFor(t, p256)
	header := map[string]any{"alg": "ES384", "kid": p256Kid, "typ": "vc+jwt"}
	signP256 := func(input []byte) []byte {
		sig, err := p256.SignMessage(input)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	es384 := forge(t, header, payloadFor(newCredential(vcjwt.ShapeVC20, issuer)), signP256)
	if err := verifyErr(&vcjwt.Verifier{}, es384); !errors.Is(err, vcjwt.ErrAlgorithm) {
		t.Errorf("ES384 with a P-256 key: error %v, want ErrAlgorithm", err)
	}
}
