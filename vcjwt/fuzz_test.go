package vcjwt_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

// FuzzParse feeds untrusted tokens to Parse and to Verify with did:key resolution;
// neither may panic, and a parsed token always carries a credential.
func FuzzParse(f *testing.F) {
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256} {
		key := newKey(f, typ)
		issuer, kid := issuerFor(f, key)
		for _, shape := range []vcjwt.Shape{vcjwt.ShapeVC11, vcjwt.ShapeVC20} {
			f.Add(mustSign(f, newCredential(shape, issuer), key, kid))
		}
	}
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("eyJhbGciOiJFZERTQSIsImtpZCI6IiNrZXktMSJ9.eyJ2YyI6e319.c2ln")
	f.Add("..")

	v := &vcjwt.Verifier{}
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := vcjwt.Parse(token)
		if err == nil && tok.Credential == nil {
			t.Errorf("Parse returned a token without a credential")
		}

		res, err := v.Verify(context.Background(), token)
		if err == nil && (res.Method == nil || res.Credential == nil) {
			t.Errorf("Verify succeeded without a method or credential")
		}
	})
}

// FuzzParseJSON fuzzes the decoded header and payload, which mutations of a base64url
// token rarely reach intact.
func FuzzParseJSON(f *testing.F) {
	key := newKey(f, keys.Ed25519)
	issuer, kid := issuerFor(f, key)
	for _, shape := range []vcjwt.Shape{vcjwt.ShapeVC11, vcjwt.ShapeVC20} {
		parts := strings.Split(mustSign(f, newCredential(shape, issuer), key, kid), ".")
		header, _ := base64.RawURLEncoding.DecodeString(parts[0])
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		f.Add(header, payload)
	}
	f.Add([]byte(`{"alg":"EdDSA","kid":"#k"}`),
		[]byte(`{"vc":{"issuer":{"id":1}},"aud":["a"],"nbf":-1.5}`))

	v := &vcjwt.Verifier{}
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		token := base64.RawURLEncoding.EncodeToString(header) + "." +
			base64.RawURLEncoding.EncodeToString(payload) + ".c2ln"

		if tok, err := vcjwt.Parse(token); err == nil && tok.Credential == nil {
			t.Errorf("Parse returned a token without a credential")
		}
		if _, err := v.Verify(context.Background(), token); err == nil {
			t.Errorf("Verify accepted a token with a made-up signature")
		}
	})
}

// BenchmarkVerify measures verification of a typical credential per algorithm.
func BenchmarkVerify(b *testing.B) {
	names := map[keys.Type]string{keys.Ed25519: "EdDSA", keys.RSA: "RS256"}
	for _, typ := range []keys.Type{keys.Ed25519, keys.RSA} {
		key := newKey(b, typ)
		issuer, kid := issuerFor(b, key)
		token := mustSign(b, newCredential(vcjwt.ShapeVC20, issuer), key, kid)
		v := verifierFor(key, kid)

		b.Run(names[typ], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(context.Background(), token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
