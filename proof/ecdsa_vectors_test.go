package proof_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/proof"
)

// A P-384 key signs only ecdsa-rdfc-2019 proofs, with 96-byte signatures:
// under an EdDSA suite it is refused before any hashing, and a 64-byte
// (P-256 sized) or 97-byte signature does not verify.
func TestP384Refusals(t *testing.T) {
	p256Value := firstProof(testkit.ReadJSON(t, rdfcP256))["proofValue"].(string)
	p384Value := firstProof(testkit.ReadJSON(t, rdfcP384))["proofValue"].(string)
	sig, err := multibase.DecodeBase58BTC(p384Value)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		edit func(p map[string]any)
		want error
		says string
	}{
		{"eddsa-rdfc-2022", func(p map[string]any) { p["cryptosuite"] = proof.SuiteEdDSARDFC2022 },
			proof.ErrUnsupported, "needs a ed25519 key"},
		{"eddsa-2022", func(p map[string]any) { p["cryptosuite"] = proof.SuiteEdDSA2022 },
			proof.ErrUnsupported, "needs a ed25519 key"},
		{"p256-sized signature", func(p map[string]any) { p["proofValue"] = p256Value },
			proof.ErrSignature, "signature is 64 bytes, want 96"},
		{"signature with a byte more", func(p map[string]any) {
			p["proofValue"] = multibase.EncodeBase58BTC(append(sig, 0))
		}, proof.ErrSignature, "signature is 97 bytes"},
	}

	e := newEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, rdfcP384)
			tc.edit(firstProof(doc))
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}
