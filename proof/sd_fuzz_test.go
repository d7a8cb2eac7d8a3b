package proof_test

import (
	"errors"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/proof"
)

// FuzzDecodeDerived feeds arbitrary proof values to the ecdsa-sd-2023
// decoder, seeded with the two published derived proofs. Whatever the
// input, it must return promptly without panicking, and refuse with one of
// the documented outcomes.
func FuzzDecodeDerived(f *testing.F) {
	for _, path := range []string{sdBadge, sdWind} {
		f.Add(firstProof(testkit.ReadJSON(f, path))["proofValue"].(string))
	}
	f.Add("u2V0AhQ")
	f.Add("u2V0BhUA")
	f.Add("u2V0Bn_8")
	f.Add("")

	f.Fuzz(func(t *testing.T, value string) {
		err := proof.DecodeDerivedForTest(value)
		if err != nil && !errors.Is(err, proof.ErrMalformed) && !errors.Is(err, proof.ErrUnsupported) {
			t.Fatalf("undocumented outcome: %v", err)
		}
	})
}
