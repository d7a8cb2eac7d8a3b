package canon_test

import (
	"errors"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/canon"
)

func vc(extra map[string]any) map[string]any {
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2",
			map[string]any{"@vocab": "https://example.org/vocab#"}},
		"type":              []any{"VerifiableCredential"},
		"issuer":            "did:example:issuer",
		"credentialSubject": map[string]any{"id": "did:example:subject"},
	}
	for k, v := range extra {
		doc[k] = v
	}
	return doc
}

func TestLimits(t *testing.T) {
	deep := any("bottom")
	for range 60 {
		deep = map[string]any{"nest": deep}
	}

	long := make([]any, 5000)
	for i := range long {
		long[i] = "x"
	}

	// Eight blank nodes that differ in nothing, all linked to one blank
	// node and to each other: RDFC-1.0 would try 8! orders at each level.
	twins := make([]any, 8)
	for i := range twins {
		twins[i] = map[string]any{"peer": map[string]any{"peer": "same"}}
	}

	cases := map[string]map[string]any{
		"too deep":   {"deep": deep},
		"too long":   {"long": long},
		"twin nodes": {"twins": map[string]any{"member": twins}},
	}
	c := newCanon(t)
	for name, extra := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := c.Canonicalize(vc(extra))
			if !errors.Is(err, canon.ErrLimit) {
				t.Fatalf("got %v, want ErrLimit", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Fatalf("refusal took %v", d)
			}
		})
	}
}

func TestDistinctBlankNodesAllowed(t *testing.T) {
	members := make([]any, 20)
	for i := range members {
		members[i] = map[string]any{"n": float64(i)}
	}
	if _, err := newCanon(t).Canonicalize(vc(map[string]any{"group": map[string]any{"member": members}})); err != nil {
		t.Fatal(err)
	}
}
