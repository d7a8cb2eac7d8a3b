package canon_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/canon"
)

// twoBlankNodes is a credential whose subject and the subject's friend have
// no id, so canonicalization labels them c14n0 and c14n1.
func twoBlankNodes() map[string]any {
	return map[string]any{
		"@context": []any{
			"https://www.w3.org/ns/credentials/v2",
			map[string]any{"@vocab": "https://example.org/vocab#"},
		},
		"id":     "urn:uuid:8c3f2a64-5e1d-4b8a-9f1e-2d7c6b5a4e30",
		"type":   []any{"VerifiableCredential"},
		"issuer": "did:example:issuer",
		"credentialSubject": map[string]any{
			"name":   "A teacher",
			"friend": map[string]any{"name": "_:c14n0 is only text here"},
		},
	}
}

// Relabelling replaces the canonical labels in subject and object position
// only, never inside literals, and sorts the lines again.
func TestCanonicalizeRelabeled(t *testing.T) {
	c := newCanon(t)
	plain, err := c.Canonicalize(twoBlankNodes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain, "_:c14n1") {
		t.Fatalf("expected two blank nodes:\n%s", plain)
	}

	labels := map[string]string{"c14n0": "uZZ", "c14n1": "uAA-_9"}
	got, err := c.CanonicalizeRelabeled(twoBlankNodes(), labels)
	if err != nil {
		t.Fatal(err)
	}

	var want []string
	for _, line := range strings.SplitAfter(plain, "\n") {
		if line == "" {
			continue
		}
		line = strings.ReplaceAll(line, "_:c14n0 <", "_:uZZ <")
		line = strings.ReplaceAll(line, "_:c14n1 <", "_:uAA-_9 <")
		line = strings.ReplaceAll(line, "> _:c14n0 .", "> _:uZZ .")
		line = strings.ReplaceAll(line, "> _:c14n1 .", "> _:uAA-_9 .")
		want = append(want, line)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(strings.Join(got, ""), `"_:c14n0 is only text here"`) {
		t.Fatal("a literal was relabelled")
	}
}

// A label map that does not fit the document is refused.
func TestCanonicalizeRelabeledRefusals(t *testing.T) {
	cases := map[string]map[string]string{
		"missing label":   {"c14n0": "ua"},
		"extra label":     {"c14n0": "ua", "c14n1": "ub", "c14n2": "uc"},
		"merged nodes":    {"c14n0": "ua", "c14n1": "ua"},
		"space in label":  {"c14n0": "u a", "c14n1": "ub"},
		"line break":      {"c14n0": "ua\n<x> <y> <z> .", "c14n1": "ub"},
		"leading hyphen":  {"c14n0": "-a", "c14n1": "ub"},
		"empty label":     {"c14n0": "", "c14n1": "ub"},
		"very long label": {"c14n0": strings.Repeat("a", 200), "c14n1": "ub"},
	}

	c := newCanon(t)
	for name, labels := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := c.CanonicalizeRelabeled(twoBlankNodes(), labels); !errors.Is(err, canon.ErrLabels) {
				t.Fatalf("got %v, want ErrLabels", err)
			}
		})
	}

	doc := twoBlankNodes()
	delete(doc, "@context")
	if _, err := c.CanonicalizeRelabeled(doc, nil); !errors.Is(err, canon.ErrContext) {
		t.Fatalf("no context: got %v", err)
	}
}
