package vcjwt_test

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

// The dates of newCredential as NumericDates.
const (
	validFromUnix  = 1704067200 // 2024-01-01T00:00:00Z
	validUntilUnix = 2019686400 // 2034-01-01T00:00:00Z
)

func TestSignVerifyRoundTrip(t *testing.T) {
	algs := map[keys.Type]jose.SignatureAlgorithm{
		keys.Ed25519: jose.EdDSA, keys.P256: jose.ES256, keys.RSA: jose.RS256,
	}
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.RSA} {
		key := newKey(t, typ)
		issuer, kid := issuerFor(t, key)
		for _, shape := range []vcjwt.Shape{vcjwt.ShapeVC11, vcjwt.ShapeVC20} {
			t.Run(string(typ)+"/"+string(shape), func(t *testing.T) {
				credential := newCredential(shape, issuer)
				token := mustSign(t, credential, key, kid)
				res, err := verifierFor(key, kid).Verify(t.Context(), token)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}

				if !reflect.DeepEqual(res.Credential, credential) {
					t.Errorf("credential changed:\n got %v\nwant %v", res.Credential, credential)
				}
				if res.Shape != shape || res.Algorithm != algs[typ] || res.KeyID != kid {
					t.Errorf("shape %s alg %s kid %s", res.Shape, res.Algorithm, res.KeyID)
				}
				if res.Method == nil || !reflect.DeepEqual(res.Method.PublicKey, key.Public()) {
					t.Errorf("resolved method %+v does not hold the signing key", res.Method)
				}
				nbf, exp := res.Claims.NotBefore.Unix(), res.Claims.Expiry.Unix()
				if nbf != validFromUnix || exp != validUntilUnix {
					t.Errorf("nbf %d exp %d", nbf, exp)
				}
			})
		}
	}
}

func TestSignHeaderHoldsOnlyAlgKidTyp(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	wantTyp := map[vcjwt.Shape]string{vcjwt.ShapeVC11: "JWT", vcjwt.ShapeVC20: "vc+jwt"}

	for shape, typ := range wantTyp {
		header := segmentJSON(t, mustSign(t, newCredential(shape, issuer), key, kid), 0)

		names := slices.Sorted(maps.Keys(header))
		if !slices.Equal(names, []string{"alg", "kid", "typ"}) {
			t.Errorf("%s: header parameters %v, want exactly alg, kid, typ", shape, names)
		}
		if header["alg"] != "EdDSA" || header["kid"] != kid || header["typ"] != typ {
			t.Errorf("%s: header %v", shape, header)
		}
	}
}

func TestSignClaims(t *testing.T) {
	key := newKey(t, keys.P256)
	issuer, kid := issuerFor(t, key)
	want := map[string]any{"iss": issuer, "jti": credentialURN, "sub": learnerDID,
		"nbf": float64(validFromUnix), "exp": float64(validUntilUnix)}

	for _, shape := range []vcjwt.Shape{vcjwt.ShapeVC11, vcjwt.ShapeVC20} {
		payload := segmentJSON(t, mustSign(t, newCredential(shape, issuer), key, kid), 1)

		for name, v := range want {
			if payload[name] != v {
				t.Errorf("%s: claim %s = %v, want %v", shape, name, payload[name], v)
			}
		}
		if _, ok := payload["iat"]; ok {
			t.Errorf("%s: iat present; signing should be repeatable", shape)
		}

		_, hasVC := payload["vc"]
		_, hasContext := payload["@context"]
		if hasVC != (shape == vcjwt.ShapeVC11) || hasContext != (shape == vcjwt.ShapeVC20) {
			t.Errorf("%s: vc claim %v, top-level @context %v", shape, hasVC, hasContext)
		}
	}
}

func TestSignIssuerStringAndSubjectArray(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	credential := newCredential(vcjwt.ShapeVC20, issuer)
	credential["issuer"] = issuer
	credential["credentialSubject"] = []any{
		map[string]any{"type": []any{"AchievementSubject"}},
		map[string]any{"id": "did:example:second"},
	}

	token := mustSign(t, credential, key, kid)
	payload := segmentJSON(t, token, 1)
	if payload["iss"] != issuer || payload["sub"] != "did:example:second" {
		t.Errorf("iss %v sub %v", payload["iss"], payload["sub"])
	}

	if err := verifyErr(&vcjwt.Verifier{}, token); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestSignRefuses(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)

	cases := map[string]func(c map[string]any){
		"no issuer":         func(c map[string]any) { delete(c, "issuer") },
		"issuer without id": func(c map[string]any) { c["issuer"] = map[string]any{"name": "x"} },
		"unknown context":   func(c map[string]any) { c["@context"] = []any{"urn:example:x"} },
		"no context":        func(c map[string]any) { delete(c, "@context") },
		"bad validFrom":     func(c map[string]any) { c["validFrom"] = "1 January 2024" },
		"claim name taken":  func(c map[string]any) { c["nbf"] = 1 },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			credential := newCredential(vcjwt.ShapeVC20, issuer)
			mutate(credential)

			if _, err := vcjwt.Sign(credential, key, kid); !errors.Is(err, vcjwt.ErrMalformed) {
				t.Errorf("Sign error %v, want ErrMalformed", err)
			}
		})
	}

	if _, err := vcjwt.Sign(newCredential(vcjwt.ShapeVC20, issuer), key, ""); err == nil {
		t.Error("Sign with an empty kid succeeded")
	}
}

// TestSignStandardJWS checks tokens with go-jose's own plain API and the bare public
// key, so that the format is standard and not only readable by this package.
func TestSignStandardJWS(t *testing.T) {
	algs := []jose.SignatureAlgorithm{jose.EdDSA, jose.ES256, jose.RS256}
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256, keys.RSA} {
		key := newKey(t, typ)
		issuer, kid := issuerFor(t, key)
		token := mustSign(t, newCredential(vcjwt.ShapeVC20, issuer), key, kid)

		jws, err := jose.ParseSignedCompact(token, algs)
		if err != nil {
			t.Fatalf("%s: go-jose parse: %v", typ, err)
		}
		payload, err := jws.Verify(key.Public())
		if err != nil {
			t.Fatalf("%s: go-jose verify: %v", typ, err)
		}

		if got := jws.Signatures[0].Protected.KeyID; got != kid || len(payload) == 0 {
			t.Errorf("%s: kid %q, payload %d bytes", typ, got, len(payload))
		}
	}
}
