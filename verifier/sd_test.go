package verifier_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/verifier"
)

// A selectively disclosed Open Badge (ecdsa-sd-2023 derived proof, from
// the 1EdTech validator) verifies through the whole verifier. Its key sits
// in the verification method's fragment, so the issuer check warns.
func TestSDDerivedBadge(t *testing.T) {
	v := newVerifier(t)
	r := verifyFile(t, v, filepath.Join(examples, "validator-ecdsa-sd-2023-derived.json"))
	if !r.Valid {
		t.Fatalf("not valid: %+v", r.Checks)
	}
	c := r.Check(verifier.CheckProof)
	if c == nil || c.Outcome != verifier.Passed || !strings.Contains(c.Message, "selective disclosure") {
		t.Fatalf("proof check %+v, want passed and saying it is a selective disclosure", c)
	}
	if got := outcome(r, verifier.CheckIssuer); got != verifier.Warning {
		t.Fatalf("issuer: %s, want warning", got)
	}
}

// Tampering with a disclosed claim, or presenting the issuer's base proof,
// fails the proof check with a code the API can act on.
func TestSDDerivedBadgeRefused(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(examples, "validator-ecdsa-sd-2023-derived.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		edit func(doc map[string]any)
		code string
	}{
		"changed achievement name": {func(doc map[string]any) {
			subject := doc["credentialSubject"].(map[string]any)
			subject["achievement"].(map[string]any)["name"] = "Leadership"
		}, "proof.signature"},
		"base proof": {func(doc map[string]any) {
			doc["proof"].([]any)[0].(map[string]any)["proofValue"] = "u2V0AhQ"
		}, "proof.unsupported"},
	}

	v := newVerifier(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			tc.edit(doc)
			r := v.VerifyCredential(context.Background(), doc)
			c := r.Check(verifier.CheckProof)
			if r.Valid || c == nil || c.Outcome != verifier.Failed || c.Code != tc.code {
				t.Fatalf("proof check %+v, want failed with %s", c, tc.code)
			}
		})
	}
}
