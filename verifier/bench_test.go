package verifier_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerify runs the whole report (structure, schema, proof, binding,
// dates) over the ten peer credentials.
func BenchmarkVerify(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(peer, "cred-*.json"))
	if len(files) == 0 {
		b.Skip("peer fixtures not found")
	}
	inputs := make([][]byte, len(files))
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		inputs[i] = data
	}
	v := newVerifier(b)
	ctx := context.Background()

	for i := 0; b.Loop(); i++ {
		r, err := v.Verify(ctx, inputs[i%len(inputs)])
		if err != nil || !r.Valid {
			b.Fatal(err, r)
		}
	}
}
