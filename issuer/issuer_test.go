package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

func badge() map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2",
			"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":        "urn:uuid:0b8d4f8e-6c57-4a2e-9d0e-3b1c1a0f6e21",
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":      "Formative Assessment Practices",
		"validFrom": "2026-09-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id":   "did:example:teacher-1",
			"type": []any{"AchievementSubject"},
			"achievement": map[string]any{
				"id":          "https://district.example/achievements/fa-101",
				"type":        []any{"Achievement"},
				"name":        "Formative Assessment Practices",
				"description": "Uses formative assessment to adjust instruction.",
				"criteria":    map[string]any{"narrative": "Submit two lesson plans with reflections."},
			},
		},
	}
}

func newSigner(t *testing.T, typ keys.Type) *issuer.Signer {
	t.Helper()
	key, err := keys.Generate(typ)
	if err != nil {
		t.Fatal(err)
	}
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := issuer.NewSigner(issuer.SignerConfig{Engine: proof.NewEngine(c), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Whatever Laurel signs, Laurel's verifier accepts with every check passed
// that can pass for a credential without status.
func TestSignedBadgesVerify(t *testing.T) {
	v, err := verifier.New(verifier.Config{})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		key    keys.Type
		format issuer.Format
	}{
		{keys.Ed25519, issuer.DataIntegrity},
		{keys.P256, issuer.DataIntegrity},
		{keys.Ed25519, issuer.JWT},
		{keys.P256, issuer.JWT},
	} {
		t.Run(string(tc.key)+"-"+string(tc.format), func(t *testing.T) {
			s := newSigner(t, tc.key)
			out, err := s.Sign(badge(), issuer.SignOptions{Format: tc.format})
			if err != nil {
				t.Fatal(err)
			}

			r, err := v.Verify(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Valid || r.Issuer != s.Issuer() {
				t.Fatalf("valid=%v issuer=%s checks=%+v", r.Valid, r.Issuer, r.Checks)
			}
			for _, name := range []string{verifier.CheckSchema, verifier.CheckProof, verifier.CheckIssuer} {
				if c := r.Check(name); c.Outcome != verifier.Passed {
					t.Errorf("%s: %+v", name, c)
				}
			}
		})
	}
}

func TestIssuerFilledAndChecked(t *testing.T) {
	s := newSigner(t, keys.Ed25519)

	out, err := s.Sign(badge(), issuer.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var signed map[string]any
	if err := json.Unmarshal(out, &signed); err != nil {
		t.Fatal(err)
	}
	if signed["issuer"] != s.Issuer() {
		t.Fatalf("issuer %v, want %s", signed["issuer"], s.Issuer())
	}

	other := badge()
	other["issuer"] = map[string]any{"id": "did:key:z6MkieQqLVhDpiPaHdPBq9RqX8f9eNESZjCdUMeSTpAdXFKC", "type": []any{"Profile"}}
	if _, err := s.Sign(other, issuer.SignOptions{}); !errors.Is(err, issuer.ErrIssuerMismatch) {
		t.Fatalf("got %v, want ErrIssuerMismatch", err)
	}

	if _, err := s.Sign(badge(), issuer.SignOptions{Format: "xml"}); !errors.Is(err, issuer.ErrFormat) {
		t.Fatalf("got %v, want ErrFormat", err)
	}
}
