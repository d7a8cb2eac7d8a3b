package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/verifier"
)

// Hostile credentials get a failed report or an input error, quickly.
func TestHostileInput(t *testing.T) {
	base, err := os.ReadFile(filepath.Join(peer, "cred-001.json"))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(base, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc)
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	deep := any("x")
	for range 2000 {
		deep = map[string]any{"name": deep}
	}
	many := make([]any, 100)
	for i := range many {
		many[i] = map[string]any{"type": "DataIntegrityProof"}
	}
	twins := make([]any, 12)
	for i := range twins {
		twins[i] = map[string]any{"type": []any{"Evidence"}, "name": "same"}
	}

	cases := map[string][]byte{
		"too large":        []byte(`{"a":"` + strings.Repeat("x", 2<<20) + `"}`),
		"deeply nested":    edit(func(d map[string]any) { d["credentialSubject"].(map[string]any)["achievement"] = deep }),
		"many proofs":      edit(func(d map[string]any) { d["proof"] = many }),
		"twin blank nodes": edit(func(d map[string]any) { d["evidence"] = twins }),
		"proof as string":  edit(func(d map[string]any) { d["proof"] = "z123" }),
		"context number":   edit(func(d map[string]any) { d["@context"] = []any{"https://www.w3.org/ns/credentials/v2", 4} }),
		"context object":   edit(func(d map[string]any) { d["@context"] = map[string]any{} }),
		"issuer number":    edit(func(d map[string]any) { d["issuer"] = 4 }),
		"subject empty":    edit(func(d map[string]any) { d["credentialSubject"] = map[string]any{} }),
		"type missing":     edit(func(d map[string]any) { delete(d, "type") }),
		"bad validFrom":    edit(func(d map[string]any) { d["validFrom"] = "2024-01-01" }),
		"json string":      []byte(`"{\"@context\": []}"`),
		"nonconforming":    []byte(`{"type": ["NonconformingDocument"]}`),
	}

	v := newVerifier(t)
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			r, err := v.Verify(context.Background(), in)
			if d := time.Since(start); d > time.Second {
				t.Fatalf("took %v", d)
			}
			if err != nil {
				if !errors.Is(err, verifier.ErrInput) {
					t.Fatalf("error %v is not ErrInput", err)
				}
				return
			}
			if r.Valid {
				t.Fatalf("reported valid: %+v", r.Checks)
			}
		})
	}
}
