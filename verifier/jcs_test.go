package verifier_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

// A deployment that lists only the RDFC suites in Config.Suites refuses
// JCS proofs as unsupported, the peer's credential whose cryptosuite was
// changed to eddsa-jcs-2022 among them.
func TestJCSSuitesTurnedOff(t *testing.T) {
	v, err := verifier.New(verifier.Config{
		Suites: []string{proof.SuiteEdDSARDFC2022, proof.SuiteECDSARDFC2019},
	})
	if err != nil {
		t.Fatal(err)
	}

	paths := append([]string{filepath.Join(peer, "bad", "cryptosuite-changed.json")}, w3cJCSVectors...)
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := verifyFile(t, v, path)
			wantCheck(t, r, verifier.CheckProof, verifier.Failed, "proof.unsupported", false)
		})
	}
}

// A JCS credential whose numbers RFC 8785 rewrites (1E+21, 2.50, -0,
// integers beyond 2^53), given to Verify as the text its issuer signed,
// verifies and binds to its did:key issuer: decoding the text does not
// change what is hashed.
func TestJCSNumbersVerify(t *testing.T) {
	k := newKey(t)
	did, err := k.DIDKey()
	if err != nil {
		t.Fatal(err)
	}
	vm, err := k.VerificationMethodID()
	if err != nil {
		t.Fatal(err)
	}
	signed := testkit.JCSProof(t, testkit.JCSNumbers(did), k, vm, proof.SuiteEdDSAJCS2022)

	r, err := newVerifier(t).Verify(context.Background(), signed)
	if err != nil {
		t.Fatal(err)
	}
	wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
	wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)
}
