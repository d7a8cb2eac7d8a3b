package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/internal/multibase"
)

// ecdsaSpecP384 is the P-384 key of the W3C Data Integrity ECDSA
// Cryptosuites test vectors (TestVectors/ecdsa-rdfc-2019-p384).
const ecdsaSpecP384 = "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"

// isP384 reports whether pub is an ECDSA key on P-384.
func isP384(pub crypto.PublicKey) bool {
	p, ok := pub.(*ecdsa.PublicKey)
	return ok && p.Curve.Params().Name == "P-384"
}

// The published P-384 Multikey parses to a point on P-384 and encodes back
// to itself; a fresh key round-trips and takes the "z82" prefix.
func TestP384Multikey(t *testing.T) {
	pub, err := ParseMultikey(ecdsaSpecP384)
	if err != nil || !isP384(pub) {
		t.Fatalf("ParseMultikey(p384) = %T, %v", pub, err)
	}
	if again, err := Multikey(pub); err != nil || again != ecdsaSpecP384 {
		t.Fatalf("Multikey(ParseMultikey(p384)) = %q, %v", again, err)
	}

	fresh := &newP384Key(t).PublicKey
	mk, err := Multikey(fresh)
	if err != nil || !strings.HasPrefix(mk, "z82") {
		t.Fatalf("Multikey(fresh p384) = %q, %v", mk, err)
	}
	back, err := ParseMultikey(mk)
	if err != nil || !fresh.Equal(back) {
		t.Fatalf("ParseMultikey(%q) gave another key: %v", mk, err)
	}
}

// P-384 Multikeys that are not exactly one compressed point on P-384 are
// refused, including a P-256 point under the P-384 codec and the reverse.
func TestP384MultikeyRejects(t *testing.T) {
	p384, _ := ParseMultikey(ecdsaSpecP384)
	point, err := compressPoint(p384.(*ecdsa.PublicKey))
	if err != nil {
		t.Fatalf("compressPoint: %v", err)
	}
	p256, _ := ParseMultikey(ecdsaSpecP256)
	p256Point, _ := compressPoint(p256.(*ecdsa.PublicKey))
	uncompressed, _ := p384.(*ecdsa.PublicKey).Bytes()

	// x = 1 has no y on P-384 either; 48 bytes of 0xff exceed the field.
	offCurve := append([]byte{0x02}, make([]byte, 48)...)
	offCurve[48] = 1
	overField := append([]byte{0x03}, bytesOf(0xff, 48)...)

	cases := map[string]string{
		"short":               b58(multibase.CodecP384Pub, point[:48]),
		"long":                b58(multibase.CodecP384Pub, append(point, 0)),
		"bad tag":             b58(multibase.CodecP384Pub, append([]byte{0x04}, point[1:]...)),
		"off curve":           b58(multibase.CodecP384Pub, offCurve),
		"x over field":        b58(multibase.CodecP384Pub, overField),
		"uncompressed":        b58(multibase.CodecP384Pub, uncompressed),
		"p256 point":          b58(multibase.CodecP384Pub, p256Point),
		"under p256 codec":    b58(multibase.CodecP256Pub, point),
		"did:key, p256 point": "did:key:" + b58(multibase.CodecP384Pub, p256Point),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseMultikey(in)
			if strings.HasPrefix(in, didKeyPrefix) {
				_, err = ResolveDIDKey(in)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error = %v, want ErrMalformed", err)
			}
		})
	}
}

// A P-384 did:key ("did:key:z82...") resolves without the network to a
// Multikey method listed under every relationship, and a P-384 key's
// did:key is that identifier.
func TestP384DIDKey(t *testing.T) {
	did := "did:key:" + ecdsaSpecP384
	for _, in := range []string{did, did + "#" + ecdsaSpecP384} {
		vm, err := ResolveDIDKey(in)
		if err != nil {
			t.Fatalf("ResolveDIDKey(%q): %v", in, err)
		}
		if vm.ID != did+"#"+ecdsaSpecP384 || vm.Type != TypeMultikey || vm.Controller != did {
			t.Fatalf("ResolveDIDKey(%q) = %+v", in, vm)
		}
		if listed, known := vm.Relationships.Lists(RelAssertionMethod); !listed || !known {
			t.Fatalf("did:key method not under assertionMethod: %+v", vm.Relationships)
		}
		if !isP384(vm.PublicKey) {
			t.Fatalf("ResolveDIDKey(%q) key = %T", in, vm.PublicKey)
		}
		if again, err := DIDKey(vm.PublicKey); err != nil || again != did {
			t.Fatalf("DIDKey = %q, %v, want %q", again, err, did)
		}
	}
}

// A P-384 key has a JWK with crv P-384 and alg ES384, which reads back;
// a P-384 JWK claiming another algorithm is refused.
func TestP384JWK(t *testing.T) {
	pub := &newP384Key(t).PublicKey
	b, err := PublicJWKJSON(pub, "kid-1")
	if err != nil {
		t.Fatalf("PublicJWKJSON(p384): %v", err)
	}
	for _, want := range []string{`"kty":"EC"`, `"crv":"P-384"`, `"alg":"ES384"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("p384 jwk %s lacks %s", b, want)
		}
	}

	back, err := parsePublicJWK(b)
	if err != nil || !pub.Equal(back) {
		t.Fatalf("parsePublicJWK(p384) changed the key: %v", err)
	}

	es256 := strings.Replace(string(b), `"alg":"ES384"`, `"alg":"ES256"`, 1)
	if _, err := parsePublicJWK([]byte(es256)); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("p384 jwk with alg ES256: %v, want ErrUnsupported", err)
	}
}

// p384JWKMember is a P-384 public key as a publicKeyJwk member, written by
// go-jose rather than by this package.
func p384JWKMember(t *testing.T, pub *ecdsa.PublicKey) string {
	t.Helper()

	b, err := jose.JSONWebKey{Key: pub}.MarshalJSON()
	if err != nil {
		t.Fatalf("marshalling p384 jwk: %v", err)
	}

	return `"publicKeyJwk":` + string(b)
}

// A did:web document, an issuer profile and a key document may publish
// P-384 keys as Multikey or JWK.
func TestP384Documents(t *testing.T) {
	jwkPub := &newP384Key(t).PublicKey
	did := didDoc(method("#mk", TypeMultikey, mbMember(ecdsaSpecP384)),
		method("#jwk", TypeJSONWebKey, p384JWKMember(t, jwkPub)))
	methods, err := ParseDIDDocument([]byte(did), districtDID)
	if err != nil || len(methods) != 2 {
		t.Fatalf("ParseDIDDocument: %+v %v", methods, err)
	}
	for _, m := range methods {
		if !isP384(m.PublicKey) {
			t.Errorf("%s: key %T", m.ID, m.PublicKey)
		}
	}

	profile := profileDoc(method("#key-1", TypeMultikey, mbMember(ecdsaSpecP384)), `"#key-1"`)
	d, err := ParseControllerDocument([]byte(profile), profileURL)
	if err != nil {
		t.Fatalf("ParseControllerDocument: %v", err)
	}
	if m, _ := d.Find(profileURL + "#key-1"); m == nil || !isP384(m.PublicKey) {
		t.Fatalf("profile method: %+v", m)
	}

	keyDoc := `{"id":"` + keyDocURL + `","type":"JsonWebKey",` + p384JWKMember(t, jwkPub) + `}`
	m, err := ParseMethodDocument([]byte(keyDoc), keyDocURL)
	if err != nil || !jwkPub.Equal(m.PublicKey) {
		t.Fatalf("ParseMethodDocument: %+v %v", m, err)
	}

	legacy := didDoc(method("#k", TypeEd25519VerificationKey2020, mbMember(ecdsaSpecP384)))
	if _, err := ParseDIDDocument([]byte(legacy), districtDID); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Ed25519VerificationKey2020 holding a p384 key: %v, want ErrMalformed", err)
	}
}

// signP384 signs digest with k as fixed-width r||s.
func signP384(t *testing.T, k *ecdsa.PrivateKey, digest []byte) []byte {
	t.Helper()

	r, s, err := ecdsa.Sign(rand.Reader, k, digest)
	if err != nil {
		t.Fatalf("signing with p384: %v", err)
	}

	return append(r.FillBytes(make([]byte, 48)), s.FillBytes(make([]byte, 48))...)
}

// VerifyMessage takes a P-384 signature over SHA-384 of the message as
// 96-byte r||s, and nothing else: not SHA-256, not DER, not 64 bytes.
func TestVerifyMessageP384(t *testing.T) {
	k := newP384Key(t)
	msg := []byte("ecdsa-rdfc-2019 with p-384 signs sha-384")
	digest := sha512.Sum384(msg)
	sig := signP384(t, k, digest[:])

	if err := VerifyMessage(&k.PublicKey, msg, sig); err != nil {
		t.Fatalf("VerifyMessage(p384): %v", err)
	}
	checkVerifyRejects(t, &k.PublicKey, msg, sig)

	short := sha256.Sum256(msg)
	r, s, _ := ecdsa.Sign(rand.Reader, k, digest[:])
	der, err := asn1.Marshal(ecdsaSignature{R: r, S: s})
	if err != nil {
		t.Fatalf("marshalling der: %v", err)
	}
	refused := map[string][]byte{
		"over sha-256": signP384(t, k, short[:]),
		"der":          der,
		"p256 length":  sig[:64],
		"other key":    signP384(t, newP384Key(t), digest[:]),
		"s out of range": append(sig[:48:48],
			k.Params().N.FillBytes(make([]byte, 48))...),
		"r zero": append(make([]byte, 48), sig[48:]...),
	}
	for name, bad := range refused {
		if err := VerifyMessage(&k.PublicKey, msg, bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: VerifyMessage error = %v, want ErrBadSignature", name, err)
		}
	}
}

// Laurel verifies with P-384 keys but neither makes nor wraps one for
// signing.
func TestP384IsVerificationOnly(t *testing.T) {
	if _, err := Generate(P384); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Generate(P384) error = %v, want ErrUnsupported", err)
	}
	if _, err := ParseType(string(P384)); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("ParseType(p384) error = %v, want ErrUnsupported", err)
	}
	_, err := FromSigner(newP384Key(t))
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "verification only") {
		t.Fatalf("FromSigner(p384) error = %v, want ErrUnsupported", err)
	}

	one := big.NewInt(1)
	offCurve := &ecdsa.PublicKey{Curve: newP384Key(t).Curve, X: one, Y: one}
	err = VerifyMessage(offCurve, []byte("m"), make([]byte, 96))
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("VerifyMessage(off-curve p384) error = %v, want ErrMalformed", err)
	}
}

// TypeOf names each accepted key type, P-384 included, and refuses other
// curves and broken keys.
func TestTypeOf(t *testing.T) {
	for _, typ := range allTypes() {
		if got, err := TypeOf(newTestKey(t, typ).Public()); got != typ || err != nil {
			t.Errorf("TypeOf(%s) = %q, %v", typ, got, err)
		}
	}
	if got, err := TypeOf(&newP384Key(t).PublicKey); got != P384 || err != nil {
		t.Errorf("TypeOf(p384) = %q, %v", got, err)
	}

	if _, err := TypeOf(&newP521Key(t).PublicKey); !errors.Is(err, ErrUnsupported) {
		t.Errorf("TypeOf(p521) error = %v, want ErrUnsupported", err)
	}
	broken := &ecdsa.PublicKey{Curve: newP384Key(t).Curve}
	if _, err := TypeOf(broken); !errors.Is(err, ErrMalformed) {
		t.Errorf("TypeOf(p384 without coordinates) error = %v, want ErrMalformed", err)
	}
}
