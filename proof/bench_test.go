package proof_test

import (
	"context"
	"github.com/laurel-badges/laurel/internal/testkit"
	"path/filepath"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// peerDocs loads the ten peer credentials, signed and unsigned.
func peerDocs(b *testing.B) (signed, unsigned []map[string]any) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(peer, "cred-*.json"))
	if len(files) == 0 {
		b.Skip("peer fixtures not found")
	}
	for _, f := range files {
		signed = append(signed, testkit.ReadJSON(b, f))
		unsigned = append(unsigned, testkit.ReadJSON(b, filepath.Join(peer, "unsigned", filepath.Base(f))))
	}
	return signed, unsigned
}

func BenchmarkSign(b *testing.B) {
	_, unsigned := peerDocs(b)
	e := newEngine(b)
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		b.Fatal(err)
	}
	vm, _ := k.VerificationMethodID()
	opts := proof.Options{VerificationMethod: vm, Created: time.Unix(1735689600, 0)}

	for i := 0; b.Loop(); i++ {
		if _, err := e.Sign(unsigned[i%len(unsigned)], k, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	signed, _ := peerDocs(b)
	e := newEngine(b)
	ctx := context.Background()

	for i := 0; b.Loop(); i++ {
		results, err := e.Verify(ctx, signed[i%len(signed)], didKeys, proof.Expect{})
		if err != nil || results[0].Err != nil {
			b.Fatal(err, results)
		}
	}
}

// BenchmarkVerifySD verifies the two published ecdsa-sd-2023 derived
// proofs: one canonicalization of the options, one relabelled
// canonicalization of the document, and one P-256 verification per
// disclosed statement plus the base signature.
func BenchmarkVerifySD(b *testing.B) {
	e := newEngine(b)
	ctx := context.Background()
	for _, path := range []string{sdBadge, sdWind} {
		doc := testkit.ReadJSON(b, path)
		b.Run(filepath.Base(path), func(b *testing.B) {
			for b.Loop() {
				results, err := e.Verify(ctx, doc, didKeys, proof.Expect{})
				if err != nil || results[0].Err != nil {
					b.Fatal(err, results)
				}
			}
		})
	}
}
