package verifier_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/verifier"
)

// FuzzVerify feeds arbitrary bytes to the verifier, seeded with real
// credentials, broken ones and a VC-JWT. Whatever the input, Verify must
// return either an error or a report with a verdict, never panic, and never
// call a credential valid without a passed proof.
func FuzzVerify(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(peer, "cred-00[12].json"))
	bad, _ := filepath.Glob(filepath.Join(peer, "bad", "*.json"))
	seeds = append(seeds, bad...)
	seeds = append(seeds, filepath.Join(examples, "validator-simple-vc11.jwt"),
		filepath.Join(examples, "validator-ecdsa-sd-2023-derived.json"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}

	v := newVerifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := v.Verify(context.Background(), data)
		if err != nil {
			return
		}
		if r.Valid {
			if c := r.Check(verifier.CheckProof); c == nil || c.Outcome != verifier.Passed {
				t.Fatalf("valid without a passed proof: %+v", r.Checks)
			}
		}
	})
}
