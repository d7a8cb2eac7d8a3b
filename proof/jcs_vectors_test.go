package proof_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

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
