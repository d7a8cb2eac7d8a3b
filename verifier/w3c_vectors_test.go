package verifier_test

import (
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/verifier"
)

// The W3C Data Integrity test vectors other implementations signed
// (../proof/testdata/README.md): ecdsa-rdfc-2019 with P-256 and P-384 keys,
// and the JCS suites. They use only pinned contexts.
var (
	w3cECDSAVectors = []string{
		filepath.Join("..", "proof", "testdata", "w3c-ecdsa-rdfc-2019-p256-signed.json"),
		filepath.Join("..", "proof", "testdata", "w3c-ecdsa-rdfc-2019-p384-signed.json"),
	}
	w3cJCSVectors = []string{
		filepath.Join("..", "proof", "testdata", "w3c-eddsa-jcs-2022-signed.json"),
		filepath.Join("..", "proof", "testdata", "w3c-ecdsa-jcs-2019-p256-signed.json"),
		filepath.Join("..", "proof", "testdata", "w3c-ecdsa-jcs-2019-p384-signed.json"),
	}
)

// Every W3C vector verifies through the whole verifier. Their issuer is an
// https URL whose profile is not fetched here, so the key (a did:key or a
// Multikey fragment) stays unconfirmed and the issuer check warns.
func TestW3CVectors(t *testing.T) {
	v := newVerifier(t)
	for _, path := range append(w3cECDSAVectors, w3cJCSVectors...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := verifyFile(t, v, path)
			wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
			wantCheck(t, r, verifier.CheckIssuer, verifier.Warning, "issuer.unconfirmed", true)
			wantCheck(t, r, verifier.CheckContexts, verifier.Passed, "", true)
		})
	}
}

// A changed subject value, signature byte or created makes every W3C
// vector fail its proof check; so does, for a JCS proof, a proof @context
// that does not begin the document's.
func TestW3CVectorsTampered(t *testing.T) {
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
	}
	jcsEdits := map[string]func(t *testing.T, doc map[string]any){
		"proof @context not a prefix": func(_ *testing.T, doc map[string]any) {
			doc["proof"].(map[string]any)["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2"}
		},
	}

	v := newVerifier(t)
	tamper := func(paths []string, edits map[string]func(*testing.T, map[string]any)) {
		for _, path := range paths {
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
	tamper(append(w3cECDSAVectors, w3cJCSVectors...), edits)
	tamper(w3cJCSVectors, jcsEdits)
}
