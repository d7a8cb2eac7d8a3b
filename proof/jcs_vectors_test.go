package proof_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// The eddsa-jcs-2022 and ecdsa-jcs-2019 (P-256, P-384) credentials of the
// W3C Data Integrity EdDSA and ECDSA Cryptosuites test vectors (see
// testdata/README.md). All three secure the same credential as the
// ecdsa-rdfc-2019 vectors.
var (
	jcsEdDSA = filepath.Join("testdata", "w3c-eddsa-jcs-2022-signed.json")
	jcsP256  = filepath.Join("testdata", "w3c-ecdsa-jcs-2019-p256-signed.json")
	jcsP384  = filepath.Join("testdata", "w3c-ecdsa-jcs-2019-p384-signed.json")
)

// jcsVectors maps each JCS vector to the key it is verified with.
var jcsVectors = map[string]string{jcsEdDSA: "Ed25519", jcsP256: "P-256", jcsP384: "P-384"}

// keyName names the key a proof was verified with: its curve.
func keyName(r proof.Result) string {
	if r.Method != nil {
		if _, ok := r.Method.PublicKey.(ed25519.PublicKey); ok {
			return "Ed25519"
		}
	}
	return curveOf(r)
}

// The three published JCS credentials verify, each with the key of its
// curve: the P-384 one only if both digests are SHA-384.
func TestJCSVectors(t *testing.T) {
	e := newEngine(t)
	for path, key := range jcsVectors {
		t.Run(filepath.Base(path), func(t *testing.T) {
			results, err := e.Verify(context.Background(), testkit.ReadJSON(t, path), didKeys, proof.Expect{})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0].Err != nil {
				t.Fatalf("results %+v", results)
			}
			if got := keyName(results[0]); got != key {
				t.Fatalf("key %q, want %s", got, key)
			}
		})
	}
}

// Changing a JCS vector breaks its signature: a credentialSubject value,
// a signature byte at either end, or the proof's created.
func TestJCSVectorsTampered(t *testing.T) {
	edits := map[string]func(d map[string]any){
		"subject value": func(d map[string]any) {
			d["credentialSubject"].(map[string]any)["alumniOf"] = "The School of Counterexamples"
		},
		"first signature byte": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), 0)
		},
		"last signature byte": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), -1)
		},
		"created": func(d map[string]any) { firstProof(d)["created"] = "2023-02-24T23:36:39Z" },
	}

	e := newEngine(t)
	for path := range jcsVectors {
		for name, edit := range edits {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				doc := testkit.ReadJSON(t, path)
				edit(doc)
				err := verifyOne(t, e, doc, proof.Expect{})
				if !errors.Is(err, proof.ErrSignature) || !errors.Is(err, keys.ErrBadSignature) {
					t.Fatalf("got %v, want ErrSignature", err)
				}
			})
		}
	}
}

// noKeys resolves nothing: a proof refused with another error than ErrKey
// was refused before its key was looked for.
var noKeys = proof.ResolverFunc(func(context.Context, string) (*keys.VerificationMethod, error) {
	return nil, errors.New("no keys here")
})

// A proof @context must begin the document's @context, value by value in
// order, or the proof fails before its key is resolved (Verify Proof
// (eddsa-jcs-2022), step 4.1).
func TestJCSProofContextNotPrefix(t *testing.T) {
	examples := "https://www.w3.org/ns/credentials/examples/v2"
	v2 := "https://www.w3.org/ns/credentials/v2"
	cases := map[string]struct {
		path string
		edit func(d map[string]any)
	}{
		"proof contexts reordered": {jcsEdDSA, func(d map[string]any) {
			firstProof(d)["@context"] = []any{examples, v2}
		}},
		"proof context not the first": {jcsEdDSA, func(d map[string]any) {
			firstProof(d)["@context"] = examples
		}},
		"document context removed": {jcsEdDSA, func(d map[string]any) { d["@context"] = v2 }},
		"proof context longer": {jcsP256, func(d map[string]any) {
			firstProof(d)["@context"] = []any{v2, examples, "https://w3id.org/security/data-integrity/v2"}
		}},
	}

	e := newEngine(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, tc.path)
			tc.edit(doc)
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, proof.ErrSignature) || !strings.Contains(err.Error(), "@context") {
				t.Fatalf("got %v, want ErrSignature about @context", err)
			}
			results, _ := e.Verify(context.Background(), doc, noKeys, proof.Expect{})
			if errors.Is(results[0].Err, proof.ErrKey) {
				t.Fatalf("key looked for: %v", results[0].Err)
			}
		})
	}
}

// The document is hashed under the proof's @context when the proof has
// one, so a context appended after signing leaves the eddsa vector
// verified; the ECDSA vectors carry none, and the same change breaks them,
// as adding the document's @context to their proof does.
func TestJCSProofContextHashed(t *testing.T) {
	appended := func(d map[string]any) {
		d["@context"] = append(d["@context"].([]any), "https://w3id.org/security/data-integrity/v2")
	}
	e := newEngine(t)

	doc := testkit.ReadJSON(t, jcsEdDSA)
	appended(doc)
	if err := verifyOne(t, e, doc, proof.Expect{}); err != nil {
		t.Fatalf("eddsa vector with a context appended: %v", err)
	}

	for _, path := range []string{jcsP256, jcsP384} {
		for name, edit := range map[string]func(d map[string]any){
			"context appended":      appended,
			"proof context written": func(d map[string]any) { firstProof(d)["@context"] = d["@context"] },
		} {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				doc := testkit.ReadJSON(t, path)
				edit(doc)
				if err := verifyOne(t, e, doc, proof.Expect{}); !errors.Is(err, keys.ErrBadSignature) {
					t.Fatalf("got %v, want a bad signature", err)
				}
			})
		}
	}
}
