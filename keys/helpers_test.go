package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"testing"
)

// Published 1EdTech Open Badges 3.0 test key (implementation guide, "Linked
// Data Proof Test Vector"); a test key only, never protecting anything.
const (
	obTestSeedHex   = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
	obTestPublicHex = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
	obTestMultikey  = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
)

// mustHex decodes test hex or stops the test.
func mustHex(t *testing.T, s string) []byte {
	t.Helper()

	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test data: %v", err)
	}

	return b
}

// newTestKey returns a fresh key of type typ. RSA keys are 2048 bits, the
// smallest accepted, to keep the suite fast; Generate's 3072 bits are
// checked once in TestGenerate.
func newTestKey(t *testing.T, typ Type) *Key {
	t.Helper()

	if typ != RSA {
		k, err := Generate(typ)
		if err != nil {
			t.Fatalf("Generate(%s): %v", typ, err)
		}
		return k
	}

	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generating rsa key: %v", err)
	}

	k, err := FromSigner(priv)
	if err != nil {
		t.Fatalf("FromSigner(rsa): %v", err)
	}

	return k
}

// obTestKey is the 1EdTech test key.
func obTestKey(t *testing.T) *Key {
	t.Helper()

	k, err := FromEd25519Seed(mustHex(t, obTestSeedHex))
	if err != nil {
		t.Fatalf("FromEd25519Seed: %v", err)
	}

	return k
}

// newP384Key returns a key of a curve Laurel verifies with but does not
// sign with.
func newP384Key(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()

	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatalf("generating p384 key: %v", err)
	}

	return k
}

// newP521Key returns a key of a curve Laurel refuses.
func newP521Key(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()

	k, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatalf("generating p521 key: %v", err)
	}

	return k
}

// allTypes lists every supported key type for table tests.
func allTypes() []Type { return []Type{Ed25519, P256, RSA} }
