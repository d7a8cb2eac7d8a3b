package proof_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"github.com/laurel-badges/laurel/internal/testkit"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

const (
	examples = "../../shared/spec/examples"
	peer     = "../../shared/fixtures/peer-eddsa"
	// The 1EdTech implementation guide's published test key.
	vectorSeed = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
)

func newEngine(t testing.TB) *proof.Engine {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return proof.NewEngine(c)
}

func seedKey(t testing.TB, seedHex string) *keys.Key {
	t.Helper()
	seed, err := hex.DecodeString(seedHex)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.FromEd25519Seed(seed)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// didKeys resolves did:key methods, and https methods whose fragment is a
// Multikey, as the 1EdTech fixtures expect; binding is the verifier's job.
var didKeys = proof.ResolverFunc(func(_ context.Context, id string) (*keys.VerificationMethod, error) {
	if strings.HasPrefix(id, "did:key:") {
		return keys.ResolveDIDKey(id)
	}
	_, frag, ok := strings.Cut(id, "#")
	if !ok {
		return nil, errors.New("no key in fragment")
	}
	pub, err := keys.ParseMultikey(frag)
	if err != nil {
		return nil, err
	}
	return &keys.VerificationMethod{ID: id, Type: "Multikey", PublicKey: pub}, nil
})

func firstProof(doc map[string]any) map[string]any {
	switch p := doc["proof"].(type) {
	case []any:
		return p[0].(map[string]any)
	case map[string]any:
		return p
	}
	return nil
}

// resign signs unsigned with the key and the proof options of signed, and
// compares the proofValue with the published one.
func resign(t *testing.T, e *proof.Engine, key *keys.Key, unsigned, signed map[string]any) {
	t.Helper()
	want := firstProof(signed)
	created, err := time.Parse(time.RFC3339, want["created"].(string))
	if err != nil {
		t.Fatal(err)
	}

	out, err := e.Sign(unsigned, key, proof.Options{
		VerificationMethod: want["verificationMethod"].(string),
		Created:            created,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := firstProof(out)["proofValue"]; got != want["proofValue"] {
		t.Errorf("proofValue %v, want %v", got, want["proofValue"])
	}
}

func TestTestVectorReproduced(t *testing.T) {
	e := newEngine(t)
	signed := testkit.ReadJSON(t, filepath.Join(examples, "testvector-ob-eddsa-rdfc-2022-signed.json"))
	unsigned := testkit.ReadJSON(t, filepath.Join(examples, "testvector-ob-eddsa-rdfc-2022-signed.json"))
	delete(unsigned, "proof")

	resign(t, e, seedKey(t, vectorSeed), unsigned, signed)
}

func TestPeerFixturesReproduced(t *testing.T) {
	var issuer struct{ SeedHex string }
	data, err := os.ReadFile(filepath.Join(peer, "issuer.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &issuer); err != nil {
		t.Fatal(err)
	}

	e := newEngine(t)
	key := seedKey(t, issuer.SeedHex)
	files, _ := filepath.Glob(filepath.Join(peer, "cred-*.json"))
	if len(files) != 10 {
		t.Fatalf("found %d peer credentials, want 10", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			signed := testkit.ReadJSON(t, f)
			unsigned := testkit.ReadJSON(t, filepath.Join(peer, "unsigned", filepath.Base(f)))
			resign(t, e, key, unsigned, signed)
			verifyAll(t, e, signed)
		})
	}
}

func verifyAll(t *testing.T, e *proof.Engine, doc map[string]any) {
	t.Helper()
	results, err := e.Verify(context.Background(), doc, didKeys, proof.Expect{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("proof did not verify: %v", r.Err)
		}
	}
}

// Every 1EdTech validator fixture that carries a proof verifies, the legacy
// VC 1.1 suites included.
func TestValidatorFixtures(t *testing.T) {
	e := newEngine(t)
	for _, name := range []string{
		"testvector-ob-eddsa-rdfc-2022-signed.json",
		"validator-simple-eddsa-rdfc-2022.json",
		"validator-simple-didkey-eddsa-rdfc-2022.json",
		"validator-endorsement-eddsa-rdfc-2022.json",
		"validator-simple-vc11-eddsa-2022.json",
		"validator-simple-vc11-ed25519signature2020.json",
		"validator-credential-status-1edtechrevocationlist.json",
		"validator-credential-status-bitstring-revoked.json",
		"validator-bitstring-statuslist-credential.json",
	} {
		t.Run(name, func(t *testing.T) {
			verifyAll(t, e, testkit.ReadJSON(t, filepath.Join(examples, name)))
		})
	}
}

// The peer's broken credentials whose fault lies in the proof itself.
func TestPeerBadProofs(t *testing.T) {
	cases := map[string]error{
		"tampered-achievement-name.json":    proof.ErrSignature,
		"tampered-subject-id.json":          proof.ErrSignature,
		"tampered-issuer-name.json":         proof.ErrSignature,
		"wrong-key-verificationmethod.json": proof.ErrSignature,
		"proofvalue-malformed.json":         proof.ErrMalformed,
		"proofvalue-truncated.json":         proof.ErrSignature,
		"proofvalue-bitflip.json":           proof.ErrSignature,
		"proof-created-changed.json":        proof.ErrSignature,
		"context-ob-removed.json":           canon.ErrUnsafe,
		"context-ob-version-changed.json":   canon.ErrUnsafe,
		"context-unknown.json":              canon.ErrContext,
		// eddsa-jcs-2022, whose hashes the eddsa-rdfc-2022 signature
		// does not match.
		"cryptosuite-changed.json": proof.ErrSignature,
	}

	e := newEngine(t)
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, filepath.Join(peer, "bad", name))
			results, err := e.Verify(context.Background(), doc, didKeys, proof.Expect{})
			if err != nil {
				t.Fatal(err)
			}
			if !errors.Is(results[0].Err, want) {
				t.Fatalf("got %v, want %v", results[0].Err, want)
			}
		})
	}

	doc := testkit.ReadJSON(t, filepath.Join(peer, "bad", "proof-removed.json"))
	if _, err := e.Verify(context.Background(), doc, didKeys, proof.Expect{}); !errors.Is(err, proof.ErrNoProof) {
		t.Fatalf("proof-removed: got %v, want ErrNoProof", err)
	}
}
