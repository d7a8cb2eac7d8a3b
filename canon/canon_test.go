package canon_test

import (
	"errors"
	"github.com/laurel-badges/laurel/internal/testkit"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/canon"
)

const spec = "../../shared/spec/examples"

func newCanon(t testing.TB) *canon.Canonicalizer {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The 1EdTech implementation guide publishes the canonical N-Quads of its
// test vector; our output must match it byte for byte.
func TestTestVectorDocument(t *testing.T) {
	doc := testkit.ReadJSON(t, filepath.Join(spec, "testvector-ob-eddsa-rdfc-2022-signed.json"))
	delete(doc, "proof")

	want, err := os.ReadFile(filepath.Join(spec, "testvector-ob-document-canon.nq"))
	if err != nil {
		t.Fatal(err)
	}

	got, err := newCanon(t).Canonicalize(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("canonical form differs from the test vector\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// CanonicalizeTo writes what Canonicalize returns.
func TestCanonicalizeTo(t *testing.T) {
	doc := testkit.ReadJSON(t, filepath.Join(spec, "testvector-ob-eddsa-rdfc-2022-signed.json"))
	c := newCanon(t)
	want, err := c.Canonicalize(doc)
	if err != nil {
		t.Fatal(err)
	}

	var got strings.Builder
	if err := c.CanonicalizeTo(&got, doc); err != nil {
		t.Fatal(err)
	}
	if got.String() != want {
		t.Errorf("CanonicalizeTo wrote\n%s\nCanonicalize returned\n%s", got.String(), want)
	}
}

func TestRefusals(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{
			"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
			"type":              []any{"VerifiableCredential"},
			"issuer":            "did:example:issuer",
			"credentialSubject": map[string]any{"id": "did:example:subject"},
		}
	}

	cases := []struct {
		name string
		edit func(map[string]any)
		want error
	}{
		{"undefined term", func(d map[string]any) { d["favouriteColour"] = "blue" }, canon.ErrUnsafe},
		{"undefined type", func(d map[string]any) { d["type"] = []any{"VerifiableCredential", "Foo"} }, canon.ErrUnsafe},
		{"relative id", func(d map[string]any) { d["id"] = "credentials/1" }, canon.ErrUnsafe},
		{"base trick", func(d map[string]any) {
			d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", map[string]any{"@base": "https://evil.example/"}}
			d["id"] = "x"
		}, canon.ErrContext},
		{"unpinned context", func(d map[string]any) {
			d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://example.org/ctx.json"}
		}, canon.ErrContext},
		{"file context", func(d map[string]any) { d["@context"] = []any{"file:///etc/passwd"} }, canon.ErrContext},
		{"numeric context", func(d map[string]any) { d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", 4.0} }, canon.ErrContext},
		{"missing context", func(d map[string]any) { delete(d, "@context") }, canon.ErrContext},
		{"protected redefined", func(d map[string]any) {
			d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", map[string]any{"VerifiableCredential": "https://evil.example/VC"}}
		}, canon.ErrUnsafe},
		{"bad http IRI", func(d map[string]any) { d["id"] = "https://exa mple.com/x" }, canon.ErrUnsafe},
		{"blank-node vocabulary hides claims", func(d map[string]any) {
			d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", map[string]any{"@vocab": "_:"}}
			d["injected"] = "an unsigned claim"
		}, canon.ErrUnsafe},
		{"undefined term inside @set", func(d map[string]any) {
			d["credentialSubject"] = map[string]any{"id": "did:example:subject",
				"https://example.org/p": map[string]any{"@set": []any{map[string]any{"undefined": "x"}}}}
		}, canon.ErrUnsafe},
	}

	c := newCanon(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := base()
			tc.edit(doc)
			_, err := c.Canonicalize(doc)
			if errTo := c.CanonicalizeTo(io.Discard, doc); !errors.Is(errTo, tc.want) {
				t.Fatalf("CanonicalizeTo: got %v, want %v", errTo, tc.want)
			}
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
