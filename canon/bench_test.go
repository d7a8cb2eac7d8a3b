package canon_test

import (
	"github.com/laurel-badges/laurel/internal/testkit"
	"path/filepath"
	"testing"
)

func BenchmarkCanonicalizePeer(b *testing.B) {
	files, _ := filepath.Glob("../../shared/fixtures/peer-eddsa/unsigned/cred-*.json")
	if len(files) == 0 {
		b.Skip("peer fixtures not found")
	}
	c := newCanon(b)
	docs := make([]map[string]any, len(files))
	for i, f := range files {
		docs[i] = testkit.ReadJSON(b, f)
	}

	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := c.Canonicalize(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
}
