package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	msg := []byte("Laurel signs badges for school districts")
	wantLen := map[Type]int{Ed25519: 64, P256: 64, RSA: 256}

	for _, typ := range allTypes() {
		t.Run(string(typ), func(t *testing.T) {
			k := newTestKey(t, typ)
			sig, err := k.SignMessage(msg)
			if err != nil {
				t.Fatalf("SignMessage: %v", err)
			}
			if len(sig) != wantLen[typ] {
				t.Fatalf("signature length = %d, want %d", len(sig), wantLen[typ])
			}

			if err := VerifyMessage(k.Public(), msg, sig); err != nil {
				t.Fatalf("VerifyMessage: %v", err)
			}

			checkVerifyRejects(t, k.Public(), msg, sig)
		})
	}
}

// checkVerifyRejects tampers with the message and the signature in several
// ways; each must give ErrBadSignature.
func checkVerifyRejects(t *testing.T, pub crypto.PublicKey, msg, sig []byte) {
	t.Helper()

	tamperedMsg := append([]byte(nil), msg...)
	tamperedMsg[0] ^= 1
	flipped := append([]byte(nil), sig...)
	flipped[len(flipped)-1] ^= 1

	cases := map[string]struct{ msg, sig []byte }{
		"tampered message":  {tamperedMsg, sig},
		"flipped signature": {msg, flipped},
		"short signature":   {msg, sig[:len(sig)-1]},
		"long signature":    {msg, append(append([]byte(nil), sig...), 0)},
		"empty signature":   {msg, nil},
		"zero signature":    {msg, make([]byte, len(sig))},
	}
	for name, c := range cases {
		if err := VerifyMessage(pub, c.msg, c.sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: VerifyMessage error = %v, want ErrBadSignature", name, err)
		}
	}
}

func TestSignEd25519MatchesStdlib(t *testing.T) {
	k := obTestKey(t)
	msg := []byte("deterministic")

	sig, err := k.SignMessage(msg)
	if err != nil {
		t.Fatalf("SignMessage: %v", err)
	}

	want := ed25519.Sign(ed25519.NewKeyFromSeed(mustHex(t, obTestSeedHex)), msg)
	if string(sig) != string(want) {
		t.Fatal("Ed25519 signature differs from crypto/ed25519 over the raw message")
	}
}

func TestP256SignatureIsRawRS(t *testing.T) {
	k := newTestKey(t, P256)
	msg := []byte("r||s, not DER")

	sig, err := k.SignMessage(msg)
	if err != nil {
		t.Fatalf("SignMessage: %v", err)
	}

	// The stdlib verifier over SHA-256 with the DER form of the same r and s
	// must agree, which pins both the hash and the split.
	der, err := asn1.Marshal(ecdsaSignature{
		R: new(big.Int).SetBytes(sig[:32]),
		S: new(big.Int).SetBytes(sig[32:]),
	})
	if err != nil {
		t.Fatalf("marshalling der: %v", err)
	}
	digest := sha256.Sum256(msg)
	if !ecdsa.VerifyASN1(k.Public().(*ecdsa.PublicKey), digest[:], der) {
		t.Fatal("crypto/ecdsa does not accept the r||s signature as DER over SHA-256")
	}

	// The DER form itself must not verify through VerifyMessage.
	if err := VerifyMessage(k.Public(), msg, der); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("VerifyMessage(DER) error = %v, want ErrBadSignature", err)
	}
}

func TestRSASignatureIsRS256(t *testing.T) {
	k := newTestKey(t, RSA)
	msg := []byte("pkcs1 v1.5 over sha-256")

	sig, err := k.SignMessage(msg)
	if err != nil {
		t.Fatalf("SignMessage: %v", err)
	}

	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(k.Public().(*rsa.PublicKey), crypto.SHA256, digest[:], sig); err != nil {
		t.Fatalf("crypto/rsa rejects the signature: %v", err)
	}
}

func TestVerifyMessageRefusesOtherKeys(t *testing.T) {
	p521 := newP521Key(t)
	digest := sha512.Sum512([]byte("m"))
	r, s, err := ecdsa.Sign(rand.Reader, p521, digest[:])
	if err != nil {
		t.Fatalf("signing with p521: %v", err)
	}
	sig := append(r.FillBytes(make([]byte, 66)), s.FillBytes(make([]byte, 66))...)

	if err := VerifyMessage(&p521.PublicKey, []byte("m"), sig); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("VerifyMessage(p521) error = %v, want ErrUnsupported", err)
	}
	if err := VerifyMessage("not a key", []byte("m"), sig); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("VerifyMessage(string) error = %v, want ErrUnsupported", err)
	}
}

func TestVerifyMessageRefusesBrokenKeys(t *testing.T) {
	good := newTestKey(t, P256).Public().(*ecdsa.PublicKey)
	sig := make([]byte, 64)

	broken := map[string]crypto.PublicKey{
		"no coordinates": &ecdsa.PublicKey{Curve: good.Curve},
		"off curve":      &ecdsa.PublicKey{Curve: good.Curve, X: good.X, Y: new(big.Int).Add(good.Y, big.NewInt(1))},
		"nil ecdsa":      (*ecdsa.PublicKey)(nil),
		"nil rsa":        (*rsa.PublicKey)(nil),
		"short ed25519":  ed25519.PublicKey(make([]byte, 31)),
	}
	for name, pub := range broken {
		err := VerifyMessage(pub, []byte("m"), sig)
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: VerifyMessage error = %v, want ErrMalformed or ErrUnsupported", name, err)
		}
	}
}

func TestVerifyMessageWrongKey(t *testing.T) {
	for _, typ := range allTypes() {
		signer, other := newTestKey(t, typ), newTestKey(t, typ)
		sig, err := signer.SignMessage([]byte("m"))
		if err != nil {
			t.Fatalf("SignMessage: %v", err)
		}

		if err := VerifyMessage(other.Public(), []byte("m"), sig); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: VerifyMessage(other key) error = %v, want ErrBadSignature", typ, err)
		}
	}
}

func TestDERToP1363(t *testing.T) {
	small := ecdsaSignature{R: big.NewInt(1), S: big.NewInt(2)}
	der, err := asn1.Marshal(small)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}

	got, err := derToP1363(der)
	if err != nil {
		t.Fatalf("derToP1363: %v", err)
	}
	if len(got) != 64 || got[31] != 1 || got[63] != 2 {
		t.Fatalf("derToP1363 did not left-pad: %x", got)
	}

	big33 := new(big.Int).Lsh(big.NewInt(1), 256)
	bad := map[string][]byte{
		"trailing": append(append([]byte(nil), der...), 0),
		"garbage":  []byte{0x30, 0x01},
		"too big":  mustMarshal(t, ecdsaSignature{R: big33, S: big.NewInt(1)}),
		"zero r":   mustMarshal(t, ecdsaSignature{R: big.NewInt(0), S: big.NewInt(1)}),
		"negative": mustMarshal(t, ecdsaSignature{R: big.NewInt(-1), S: big.NewInt(1)}),
	}
	for name, in := range bad {
		if _, err := derToP1363(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: derToP1363 error = %v, want ErrMalformed", name, err)
		}
	}
}

// mustMarshal DER-encodes an ECDSA signature.
func mustMarshal(t *testing.T, sig ecdsaSignature) []byte {
	t.Helper()

	b, err := asn1.Marshal(sig)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}

	return b
}
