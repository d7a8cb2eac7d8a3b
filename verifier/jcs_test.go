package verifier_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

// The W3C eddsa-jcs-2022 and ecdsa-jcs-2019 (P-256, P-384) credentials
// (../proof/testdata/README.md). They use only pinned contexts.
var w3cJCSVectors = []string{
	filepath.Join("..", "proof", "testdata", "w3c-eddsa-jcs-2022-signed.json"),
	filepath.Join("..", "proof", "testdata", "w3c-ecdsa-jcs-2019-p256-signed.json"),
	filepath.Join("..", "proof", "testdata", "w3c-ecdsa-jcs-2019-p384-signed.json"),
}

// The three W3C JCS credentials verify through the whole verifier. Their
// issuer is an https URL whose profile is not fetched here, so the key (a
// Multikey fragment or a did:key) stays unconfirmed and the issuer check
// warns, as for the RDFC vectors.
func TestW3CJCSVectors(t *testing.T) {
	v := newVerifier(t)
	for _, path := range w3cJCSVectors {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := verifyFile(t, v, path)
			wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
			wantCheck(t, r, verifier.CheckIssuer, verifier.Warning, "issuer.unconfirmed", true)
			wantCheck(t, r, verifier.CheckContexts, verifier.Passed, "", true)
		})
	}
}

// A changed subject value, signature byte or created, or a proof @context
// that does not begin the document's, makes each W3C JCS credential fail
// its proof check.
func TestW3CJCSVectorsTampered(t *testing.T) {
	edits := map[string]func(t *testing.T, doc map[string]any){
		"subject value": func(_ *testing.T, doc map[string]any) {
			doc["credentialSubject"].(map[string]any)["alumniOf"] = "The School of Counterexamples"
		},
		"signature byte": func(t *testing.T, doc map[string]any) {
			p := doc["proof"].(map[string]any)
			sig, err := multibase.DecodeBase58BTC(p["proofValue"].(string))
			if err != nil {
				t.Fatal(err)
			}
			sig[len(sig)/2] ^= 0x80
			p["proofValue"] = multibase.EncodeBase58BTC(sig)
		},
		"created": func(_ *testing.T, doc map[string]any) {
			doc["proof"].(map[string]any)["created"] = "2023-02-24T23:36:39Z"
		},
		"proof @context not a prefix": func(_ *testing.T, doc map[string]any) {
			doc["proof"].(map[string]any)["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2"}
		},
	}

	v := newVerifier(t)
	for _, path := range w3cJCSVectors {
		for name, edit := range edits {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				doc := testkit.ReadJSON(t, path)
				edit(t, doc)
				r := verifyDoc(t, v, doc)
				wantCheck(t, r, verifier.CheckProof, verifier.Failed, "proof.signature", false)
			})
		}
	}
}

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
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
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
