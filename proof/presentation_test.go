package proof_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/proof"
)

// graphs holds presentations with the canonical N-Quads jsonld.js gives
// them (canon/testdata/graphs/README.md).
const graphs = "../canon/testdata/graphs"

// TestPresentationHashesJSONLDForm signs a presentation of a credential
// from another implementation, and checks the signature over the hash a
// jsonld.js-based signer computes: SHA-256 of the canonical proof options
// and of the canonical presentation as jsonld.js writes them, joined (Data
// Integrity EdDSA Cryptosuites §3.3.6). Each embedded credential is a named
// graph there (VC Data Model 2.0, verifiableCredential), so a presentation
// proof made by Laurel verifies in jsonld.js-based verifiers, and theirs in
// Laurel.
func TestPresentationHashesJSONLDForm(t *testing.T) {
	holder := testkit.ReadJSON(t, filepath.Join(peer, "issuer.json"))
	method := holder["verificationMethod"].(string)
	vp := testkit.ReadJSON(t, filepath.Join(graphs, "vp-one-credential.json"))
	options := testkit.ReadJSON(t, filepath.Join(graphs, "vp-one-credential.proof-options.json"))

	created, err := time.Parse(time.RFC3339, options["created"].(string))
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t)
	signed, err := e.Sign(vp, seedKey(t, holder["seedHex"].(string)), proof.Options{
		VerificationMethod: method,
		Created:            created,
		Purpose:            proof.PurposeAuthentication,
		Challenge:          options["challenge"].(string),
		Domain:             options["domain"].(string),
	})
	if err != nil {
		t.Fatal(err)
	}

	// The proof options jsonld.js canonicalized are the ones Laurel signed.
	p := firstProof(signed)
	signedOptions := map[string]any{"@context": vp["@context"]}
	for k, v := range p {
		if k != "proofValue" {
			signedOptions[k] = v
		}
	}
	if !reflect.DeepEqual(signedOptions, options) {
		t.Fatalf("proof options %v, want %v", signedOptions, options)
	}

	data := append(sha256NQuads(t, "vp-one-credential.proof-options.nq"),
		sha256NQuads(t, "vp-one-credential.nq")...)
	sig, err := multibase.Decode(p["proofValue"].(string))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := hex.DecodeString(holder["publicKeyHex"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(pub, data, sig) {
		t.Error("the signature does not cover the jsonld.js canonical form")
	}

	want := proof.Expect{Purpose: proof.PurposeAuthentication,
		Challenge: options["challenge"].(string), Domain: options["domain"].(string)}
	if err := verifyOne(t, e, signed, want); err != nil {
		t.Errorf("verifying: %v", err)
	}
}

func sha256NQuads(t *testing.T, name string) []byte {
	t.Helper()
	nq, err := os.ReadFile(filepath.Join(graphs, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(nq)
	return sum[:]
}
