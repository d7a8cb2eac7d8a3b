package schemas_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/schemas"
)

// Every pinned document loads, which also proves its bytes match the pin.
func TestEveryPinLoads(t *testing.T) {
	for _, url := range schemas.ContextURLs() {
		if _, err := schemas.Context(url); err != nil {
			t.Errorf("context %s: %v", url, err)
		}
	}
	for _, url := range schemas.SchemaURLs() {
		if _, err := schemas.Schema(url); err != nil {
			t.Errorf("schema %s: %v", url, err)
		}
	}
}

// IsContext knows the pinned contexts and nothing else.
func TestIsContext(t *testing.T) {
	for _, url := range schemas.ContextURLs() {
		if !schemas.IsContext(url) {
			t.Errorf("IsContext(%s) is false", url)
		}
	}
	for _, url := range append(schemas.SchemaURLs(), "https://example.org/context.json", "") {
		if schemas.IsContext(url) {
			t.Errorf("IsContext(%q) is true", url)
		}
	}
}

// The embedded copies are the published files of the shared spec folder,
// byte for byte.
func TestEmbeddedMatchesSpec(t *testing.T) {
	for _, dir := range []string{"contexts", "jsonschema"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			ours, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			specDir := map[string]string{"contexts": "contexts", "jsonschema": "schemas"}[dir]
			theirs, err := os.ReadFile(filepath.Join("../../shared/spec", specDir, filepath.Base(f)))
			if err != nil {
				t.Fatal(err)
			}
			if sum(ours) != sum(theirs) {
				t.Errorf("%s differs from the shared spec copy", f)
			}
		}
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestLoaderRefusesOthers(t *testing.T) {
	l, err := schemas.NewLoader()
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{
		"https://example.org/context.json", "file:///etc/passwd", "/etc/passwd", "context.json",
		"http://www.w3.org/ns/credentials/v2",
	} {
		if _, err := l.LoadDocument(url); err == nil {
			t.Errorf("%s loaded", url)
		}
	}
	if _, err := schemas.Context("https://example.org/x"); !errors.Is(err, schemas.ErrNotPinned) {
		t.Errorf("got %v, want ErrNotPinned", err)
	}

	only, err := schemas.NewLoader(schemas.ContextVC2)
	if err != nil {
		t.Fatal(err)
	}
	if only.Allows(schemas.ContextOB303) || !only.Allows(schemas.ContextVC2) {
		t.Error("restricted loader serves the wrong set")
	}
	if _, err := only.LoadDocument(schemas.ContextVC2); err != nil {
		t.Error(err)
	}
}
