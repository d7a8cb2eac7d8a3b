package canon_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
)

// TestNamedGraphsMatchJSONLD canonicalizes the presentations of
// testdata/graphs, whose canonical N-Quads jsonld.js produced (see the
// README there): each embedded credential, and each proof inside one, is a
// named graph of its own, as VC Data Model 2.0's @graph containers ask.
func TestNamedGraphsMatchJSONLD(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join("testdata", "graphs", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 6 {
		t.Fatalf("found only %d documents", len(docs))
	}

	c := newCanon(t)
	for _, path := range docs {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".nq")
			if err != nil {
				t.Fatal(err)
			}

			got, err := c.Canonicalize(testkit.ReadJSON(t, path))
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("canonical form differs from jsonld.js\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
