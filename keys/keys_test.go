package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseType(t *testing.T) {
	good := map[string]Type{"ed25519": Ed25519, "P256": P256, " rsa ": RSA, "ED25519": Ed25519}
	for in, want := range good {
		got, err := ParseType(in)
		if err != nil || got != want {
			t.Errorf("ParseType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}

	for _, in := range []string{"", "p384", "secp256k1", "ed448", "p-256x"} {
		if _, err := ParseType(in); !errors.Is(err, ErrUnsupported) {
			t.Errorf("ParseType(%q) error = %v, want ErrUnsupported", in, err)
		}
	}
}

func TestGenerate(t *testing.T) {
	for _, typ := range allTypes() {
		t.Run(string(typ), func(t *testing.T) {
			k, err := Generate(typ)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if k.Type() != typ {
				t.Fatalf("Type() = %q", k.Type())
			}

			checkGeneratedShape(t, k)
		})
	}

	if _, err := Generate("p384"); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Generate(p384) error = %v, want ErrUnsupported", err)
	}
}

// checkGeneratedShape checks the public key type and, for RSA, the size.
func checkGeneratedShape(t *testing.T, k *Key) {
	t.Helper()

	switch pub := k.Public().(type) {
	case ed25519.PublicKey:
		if k.Type() != Ed25519 {
			t.Fatalf("ed25519 public key for type %s", k.Type())
		}
	case *ecdsa.PublicKey:
		if k.Type() != P256 || pub.Curve.Params().Name != "P-256" {
			t.Fatalf("ecdsa key on %s for type %s", pub.Curve.Params().Name, k.Type())
		}
	case *rsa.PublicKey:
		if k.Type() != RSA || pub.N.BitLen() != 3072 {
			t.Fatalf("rsa key of %d bits for type %s", pub.N.BitLen(), k.Type())
		}
	default:
		t.Fatalf("unexpected public key %T", pub)
	}

	if !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(k.Signer().Public()) {
		t.Fatal("Public() and Signer().Public() differ")
	}
}

func TestOneEdTechTestKey(t *testing.T) {
	k := obTestKey(t)

	pub := k.Public().(ed25519.PublicKey)
	if hex.EncodeToString(pub) != obTestPublicHex {
		t.Fatalf("public key = %x, want %s", pub, obTestPublicHex)
	}

	mk, err := Multikey(pub)
	if err != nil || mk != obTestMultikey {
		t.Fatalf("Multikey = %q, %v; want %q", mk, err, obTestMultikey)
	}

	did, err := k.DIDKey()
	if err != nil || did != "did:key:"+obTestMultikey {
		t.Fatalf("DIDKey = %q, %v", did, err)
	}

	vm, err := k.VerificationMethodID()
	if err != nil || vm != "did:key:"+obTestMultikey+"#"+obTestMultikey {
		t.Fatalf("VerificationMethodID = %q, %v", vm, err)
	}
}

// fixtureIssuer is the part of shared/fixtures/peer-eddsa/issuer.json the
// tests use.
type fixtureIssuer struct {
	DID                string `json:"did"`
	VerificationMethod string `json:"verificationMethod"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
	PublicKeyHex       string `json:"publicKeyHex"`
	SeedHex            string `json:"seedHex"`
	OtherKey           struct {
		DID                string `json:"did"`
		VerificationMethod string `json:"verificationMethod"`
		SeedHex            string `json:"seedHex"`
	} `json:"otherKey"`
}

func TestPeerFixtureIssuerKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "fixtures", "peer-eddsa", "issuer.json"))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}

	var fx fixtureIssuer
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatalf("decoding fixture: %v", err)
	}

	checkSeedGives(t, fx.SeedHex, fx.DID, fx.VerificationMethod)
	checkSeedGives(t, fx.OtherKey.SeedHex, fx.OtherKey.DID, fx.OtherKey.VerificationMethod)

	k, err := FromEd25519Seed(mustHex(t, fx.SeedHex))
	if err != nil {
		t.Fatalf("FromEd25519Seed: %v", err)
	}
	if got := hex.EncodeToString(k.Public().(ed25519.PublicKey)); got != fx.PublicKeyHex {
		t.Errorf("public key = %s, want %s", got, fx.PublicKeyHex)
	}
	if mk, _ := Multikey(k.Public()); mk != fx.PublicKeyMultibase {
		t.Errorf("Multikey = %q, want %q", mk, fx.PublicKeyMultibase)
	}
}

// checkSeedGives checks that a published seed yields the published did:key
// and verification method.
func checkSeedGives(t *testing.T, seedHex, wantDID, wantVM string) {
	t.Helper()

	k, err := FromEd25519Seed(mustHex(t, seedHex))
	if err != nil {
		t.Fatalf("FromEd25519Seed: %v", err)
	}

	did, err := k.DIDKey()
	if err != nil || did != wantDID {
		t.Errorf("DIDKey = %q, %v; want %q", did, err, wantDID)
	}

	vm, err := k.VerificationMethodID()
	if err != nil || vm != wantVM {
		t.Errorf("VerificationMethodID = %q, %v; want %q", vm, err, wantVM)
	}
}

func TestFromEd25519SeedRejectsBadLength(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		seed := make([]byte, n)
		for i := range seed {
			seed[i] = 0xab
		}

		_, err := FromEd25519Seed(seed)
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("FromEd25519Seed(%d bytes) error = %v, want ErrMalformed", n, err)
		}
		if n > 0 && strings.Contains(strings.ToLower(err.Error()), "abab") {
			t.Fatal("error message contains seed bytes")
		}
	}
}

func TestFromSigner(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatalf("generating small rsa key: %v", err)
	}

	refused := map[string]crypto.Signer{
		"nil":      nil,
		"p384":     newP384Key(t),
		"rsa 1024": small,
	}
	for name, s := range refused {
		if _, err := FromSigner(s); !errors.Is(err, ErrUnsupported) {
			t.Errorf("FromSigner(%s) error = %v, want ErrUnsupported", name, err)
		}
	}

	for _, typ := range allTypes() {
		k := newTestKey(t, typ)
		again, err := FromSigner(k.Signer())
		if err != nil || again.Type() != typ {
			t.Errorf("FromSigner(%s) = %v, %v", typ, again, err)
		}
	}
}

func TestRSAHasNoDIDKey(t *testing.T) {
	k := newTestKey(t, RSA)

	if _, err := k.DIDKey(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("DIDKey error = %v, want ErrUnsupported", err)
	}
	if _, err := k.VerificationMethodID(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("VerificationMethodID error = %v, want ErrUnsupported", err)
	}
	if _, err := Multikey(k.Public()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Multikey error = %v, want ErrUnsupported", err)
	}
}
