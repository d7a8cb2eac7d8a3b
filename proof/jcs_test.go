package proof_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// rdfcSuites are the suites a deployment lists to turn the JCS ones off.
var rdfcSuites = []string{proof.SuiteEdDSARDFC2022, proof.SuiteECDSARDFC2019}

// A deployment turns the JCS suites off by listing the suites it accepts,
// and can accept one without the other.
func TestJCSSuitesTurnedOff(t *testing.T) {
	e := newEngine(t)
	for _, path := range jcsVectors {
		err := verifyOne(t, e, testkit.ReadJSON(t, path), proof.Expect{Suites: rdfcSuites})
		if !errors.Is(err, proof.ErrUnsupported) || !strings.Contains(err.Error(), "not accepted here") {
			t.Fatalf("%s: got %v, want ErrUnsupported", path, err)
		}
	}

	only := proof.Expect{Suites: []string{proof.SuiteEdDSAJCS2022}}
	if err := verifyOne(t, e, testkit.ReadJSON(t, jcsEdDSA), only); err != nil {
		t.Fatalf("eddsa-jcs-2022 alone: %v", err)
	}
	if err := verifyOne(t, e, testkit.ReadJSON(t, jcsP256), only); !errors.Is(err, proof.ErrUnsupported) {
		t.Fatalf("ecdsa-jcs-2019 under eddsa-jcs-2022 alone: got %v", err)
	}
}

// A JCS proof goes through every other rule as an RDFC proof does: the
// key type its suite allows, the expected purpose, created as a
// dateTimeStamp, expires, previousProof naming a proof of the set.
func TestJCSProofRules(t *testing.T) {
	cases := []struct {
		name string
		path string
		edit func(p map[string]any)
		want error
		says string
	}{
		{"ed25519 key under ecdsa-jcs-2019", jcsEdDSA,
			func(p map[string]any) { p["cryptosuite"] = proof.SuiteECDSAJCS2019 },
			proof.ErrUnsupported, "needs a p256 or p384 key"},
		{"p-256 key under eddsa-jcs-2022", jcsP256,
			func(p map[string]any) { p["cryptosuite"] = proof.SuiteEdDSAJCS2022 },
			proof.ErrUnsupported, "needs a ed25519 key"},
		{"jcs signature under ecdsa-rdfc-2019", jcsP256,
			func(p map[string]any) { p["cryptosuite"] = proof.SuiteECDSARDFC2019 },
			proof.ErrSignature, "bad signature"},
		{"another purpose", jcsP384,
			func(p map[string]any) { p["proofPurpose"] = proof.PurposeAuthentication },
			proof.ErrPurpose, "want assertionMethod"},
		{"created without a time zone", jcsEdDSA,
			func(p map[string]any) { p["created"] = "2023-02-24T23:36:38" },
			proof.ErrMalformed, "created"},
		{"expired", jcsP256,
			func(p map[string]any) { p["expires"] = "2024-01-01T00:00:00Z" },
			proof.ErrExpired, "expired"},
		{"previousProof naming no proof", jcsP256,
			func(p map[string]any) { p["previousProof"] = "urn:uuid:no-such-proof" },
			proof.ErrMalformed, "names no proof"},
	}

	e := newEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, tc.path)
			tc.edit(firstProof(doc))
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}

// One credential secured by RDFC and JCS proofs at once, a proof set
// (Data Integrity §2.1.1): each proof verifies under its own suite, with
// its own key.
func TestJCSInProofSetWithRDFC(t *testing.T) {
	doc := testkit.ReadJSON(t, rdfcP256)
	set := []any{firstProof(doc)}
	for _, path := range []string{jcsEdDSA, jcsP256, jcsP384} {
		set = append(set, firstProof(testkit.ReadJSON(t, path)))
	}
	doc["proof"] = set

	results, err := newEngine(t).Verify(context.Background(), doc, didKeys, proof.Expect{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"P-256", "Ed25519", "P-256", "P-384"}
	for i, r := range results {
		if r.Err != nil || keyName(r) != want[i] {
			t.Errorf("proof %d (%v): %v, key %q, want %s", i, r.Proof["cryptosuite"], r.Err, keyName(r), want[i])
		}
	}
}

// Laurel verifies the JCS suites but does not sign with them.
func TestSignRefusesJCS(t *testing.T) {
	e := newEngine(t)
	for suite, typ := range map[string]keys.Type{
		proof.SuiteEdDSAJCS2022: keys.Ed25519,
		proof.SuiteECDSAJCS2019: keys.P256,
	} {
		k, vm := generate(t, typ)
		_, err := e.Sign(credential(), k, proof.Options{Suite: suite, VerificationMethod: vm})
		if !errors.Is(err, proof.ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", suite, err)
		}
	}
}
