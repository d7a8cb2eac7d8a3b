package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
)

// Multikey values published in specifications: the did:key Method example
// key and the P-256 key of the VC Data Integrity ECDSA test vectors.
const (
	didKeySpecEd25519 = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
	ecdsaSpecP256     = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
)

func TestMultikeyRoundTrip(t *testing.T) {
	prefix := map[Type]string{Ed25519: "z6Mk", P256: "zDn"}

	for _, typ := range []Type{Ed25519, P256} {
		k := newTestKey(t, typ)
		mk, err := Multikey(k.Public())
		if err != nil {
			t.Fatalf("Multikey(%s): %v", typ, err)
		}
		if !strings.HasPrefix(mk, prefix[typ]) {
			t.Errorf("Multikey(%s) = %q, want prefix %q", typ, mk, prefix[typ])
		}

		pub, err := ParseMultikey(mk)
		if err != nil {
			t.Fatalf("ParseMultikey(%s): %v", typ, err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Public()) {
			t.Errorf("ParseMultikey(%s) gave a different key", typ)
		}
	}
}

func TestParseMultikeyPublishedValues(t *testing.T) {
	for _, mk := range []string{obTestMultikey, didKeySpecEd25519, ecdsaSpecP256} {
		pub, err := ParseMultikey(mk)
		if err != nil {
			t.Fatalf("ParseMultikey(%q): %v", mk, err)
		}

		again, err := Multikey(pub)
		if err != nil || again != mk {
			t.Errorf("Multikey(ParseMultikey(%q)) = %q, %v", mk, again, err)
		}
	}

	pub, _ := ParseMultikey(ecdsaSpecP256)
	if p, ok := pub.(*ecdsa.PublicKey); !ok || p.Curve.Params().Name != "P-256" {
		t.Fatalf("ParseMultikey(p256) = %T", pub)
	}
	pub, _ = ParseMultikey(obTestMultikey)
	if _, ok := pub.(ed25519.PublicKey); !ok {
		t.Fatalf("ParseMultikey(ed25519) = %T", pub)
	}
}

func TestParseMultikeyRejects(t *testing.T) {
	edKey := mustHex(t, obTestPublicHex)
	p256, _ := ParseMultikey(ecdsaSpecP256)
	point, err := compressPoint(p256.(*ecdsa.PublicKey))
	if err != nil {
		t.Fatalf("compressPoint: %v", err)
	}
	// x = 1 has no y on P-256 (1 - 3 + b is not a square mod p); x = 2^256-1
	// is not even a field element.
	offCurve := append([]byte{0x02}, make([]byte, 32)...)
	offCurve[32] = 1
	overField := append([]byte{0x03}, bytesOf(0xff, 32)...)
	uncompressed, _ := p256.(*ecdsa.PublicKey).Bytes()

	cases := map[string]string{
		"empty":              "",
		"base64url":          multibase.EncodeBase64URL(multibase.PutCodec(multibase.CodecEd25519Pub, edKey)),
		"no prefix":          obTestMultikey[1:],
		"bad char":           obTestMultikey[:10] + "0" + obTestMultikey[11:],
		"ed25519 short":      b58(multibase.CodecEd25519Pub, edKey[:31]),
		"ed25519 long":       b58(multibase.CodecEd25519Pub, append(edKey, 0)),
		"p256 short":         b58(multibase.CodecP256Pub, point[:32]),
		"p256 bad tag":       b58(multibase.CodecP256Pub, append([]byte{0x05}, point[1:]...)),
		"p256 off curve":     b58(multibase.CodecP256Pub, offCurve),
		"p256 x over field":  b58(multibase.CodecP256Pub, overField),
		"p256 uncompressed":  b58(multibase.CodecP256Pub, uncompressed),
		"no codec":           multibase.EncodeBase58BTC(nil),
		"truncated varint":   multibase.EncodeBase58BTC([]byte{0xed}),
		"non-minimal varint": multibase.EncodeBase58BTC(append([]byte{0xed, 0x81, 0x00}, edKey...)),
		"too long":           "z" + strings.Repeat("2", maxMultikeyLen),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseMultikey(in); !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseMultikey error = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestParseMultikeyUnsupportedCodecs(t *testing.T) {
	// secp256k1-pub, x25519-pub, p521-pub, ed25519-priv: real codecs Laurel
	// does not accept.
	for _, code := range []uint64{0xe7, 0xec, 0x1202, 0x1300} {
		in := b58(code, make([]byte, 33))
		if _, err := ParseMultikey(in); !errors.Is(err, ErrUnsupported) {
			t.Errorf("ParseMultikey(codec %#x) error = %v, want ErrUnsupported", code, err)
		}
	}
}

// bytesOf returns n copies of b.
func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}

	return out
}

// b58 builds a Multikey-shaped string from a codec and body.
func b58(code uint64, body []byte) string {
	return multibase.EncodeBase58BTC(multibase.PutCodec(code, body))
}

func TestResolveDIDKey(t *testing.T) {
	did := "did:key:" + obTestMultikey
	for _, in := range []string{did, did + "#" + obTestMultikey} {
		vm, err := ResolveDIDKey(in)
		if err != nil {
			t.Fatalf("ResolveDIDKey(%q): %v", in, err)
		}

		want := VerificationMethod{ID: did + "#" + obTestMultikey, Type: "Multikey", Controller: did}
		if vm.ID != want.ID || vm.Type != want.Type || vm.Controller != want.Controller {
			t.Fatalf("ResolveDIDKey(%q) = %+v", in, vm)
		}
		if string(vm.PublicKey.(ed25519.PublicKey)) != string(mustHex(t, obTestPublicHex)) {
			t.Fatal("ResolveDIDKey returned the wrong key")
		}
	}

	vm, err := ResolveDIDKey("did:key:" + ecdsaSpecP256)
	if err != nil {
		t.Fatalf("ResolveDIDKey(p256): %v", err)
	}
	if _, ok := vm.PublicKey.(*ecdsa.PublicKey); !ok {
		t.Fatalf("ResolveDIDKey(p256) key = %T", vm.PublicKey)
	}
}

func TestResolveDIDKeyRejects(t *testing.T) {
	did := "did:key:" + obTestMultikey
	cases := map[string]string{
		"empty":          "",
		"other method":   "did:web:example.com",
		"no key":         "did:key:",
		"wrong fragment": did + "#key-1",
		"other key frag": did + "#" + didKeySpecEd25519,
		"empty fragment": did + "#",
		"two fragments":  did + "#" + obTestMultikey + "#" + obTestMultikey,
		"path":           did + "/path",
		"query":          did + "?service=x",
		"uppercase":      "DID:KEY:" + obTestMultikey,
		"too long":       "did:key:z" + strings.Repeat("2", maxDIDLen),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ResolveDIDKey(in); !errors.Is(err, ErrMalformed) {
				t.Fatalf("ResolveDIDKey error = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestJWK(t *testing.T) {
	wantKty := map[Type]string{Ed25519: "OKP", P256: "EC", RSA: "RSA"}
	wantAlg := map[Type]string{Ed25519: "EdDSA", P256: "ES256", RSA: "RS256"}

	for _, typ := range allTypes() {
		k := newTestKey(t, typ)
		b, err := PublicJWKJSON(k.Public(), "kid-1")
		if err != nil {
			t.Fatalf("PublicJWKJSON(%s): %v", typ, err)
		}

		s := string(b)
		for _, want := range []string{`"kty":"` + wantKty[typ] + `"`, `"alg":"` + wantAlg[typ] + `"`, `"kid":"kid-1"`} {
			if !strings.Contains(s, want) {
				t.Errorf("%s jwk %s lacks %s", typ, s, want)
			}
		}

		pub, err := parsePublicJWK(b)
		if err != nil {
			t.Fatalf("parsePublicJWK(%s): %v", typ, err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Public()) {
			t.Errorf("%s jwk round trip changed the key", typ)
		}
	}

	if _, err := JWK(newP521Key(t).Public(), ""); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("JWK(p521) error = %v, want ErrUnsupported", err)
	}
}

func TestThumbprint(t *testing.T) {
	// RFC 8037 Appendix A.3: thumbprint of the example Ed25519 key.
	x := "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	pub, err := parsePublicJWK([]byte(`{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}`))
	if err != nil {
		t.Fatalf("parsePublicJWK: %v", err)
	}

	got, err := Thumbprint(pub)
	if err != nil || got != "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" {
		t.Fatalf("Thumbprint = %q, %v", got, err)
	}
}
