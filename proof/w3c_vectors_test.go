package proof_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// The credentials of the W3C Data Integrity EdDSA and ECDSA Cryptosuites
// test vectors (see testdata/README.md), all securing one credential:
// ecdsa-rdfc-2019 with P-256 and with P-384, eddsa-jcs-2022, and
// ecdsa-jcs-2019 with P-256 and with P-384.
var (
	rdfcP256 = filepath.Join("testdata", "w3c-ecdsa-rdfc-2019-p256-signed.json")
	rdfcP384 = filepath.Join("testdata", "w3c-ecdsa-rdfc-2019-p384-signed.json")
	jcsEdDSA = filepath.Join("testdata", "w3c-eddsa-jcs-2022-signed.json")
	jcsP256  = filepath.Join("testdata", "w3c-ecdsa-jcs-2019-p256-signed.json")
	jcsP384  = filepath.Join("testdata", "w3c-ecdsa-jcs-2019-p384-signed.json")
)

// jcsVectors are the vectors with a JCS proof.
var jcsVectors = []string{jcsEdDSA, jcsP256, jcsP384}

// w3cVectors maps each vector to the key it is verified with.
var w3cVectors = map[string]string{
	rdfcP256: "P-256", rdfcP384: "P-384",
	jcsEdDSA: "Ed25519", jcsP256: "P-256", jcsP384: "P-384",
}

// keyName names the key a proof was verified with: its curve.
func keyName(r proof.Result) string {
	if r.Method != nil {
		if _, ok := r.Method.PublicKey.(ed25519.PublicKey); ok {
			return "Ed25519"
		}
	}
	return curveOf(r)
}

// Every published credential verifies, each with the key of its curve: a
// P-384 one only if both digests are SHA-384.
func TestW3CVectors(t *testing.T) {
	e := newEngine(t)
	for path, key := range w3cVectors {
		t.Run(filepath.Base(path), func(t *testing.T) {
			results, err := e.Verify(context.Background(), testkit.ReadJSON(t, path), didKeys, proof.Expect{})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0].Err != nil {
				t.Fatalf("results %+v", results)
			}
			if got := keyName(results[0]); got != key {
				t.Fatalf("key %q, want %s", got, key)
			}
		})
	}
}

// flipSignatureByte returns the proofValue with signature byte i changed;
// a negative i counts from the end.
func flipSignatureByte(t *testing.T, value string, i int) string {
	t.Helper()
	sig, err := multibase.DecodeBase58BTC(value)
	if err != nil {
		t.Fatal(err)
	}
	if i < 0 {
		i += len(sig)
	}
	sig[i] ^= 0x01
	return multibase.EncodeBase58BTC(sig)
}

// Changing a vector breaks its signature: a credentialSubject value, a
// signature byte at either end (in r or in s for ECDSA), or the proof's
// created.
func TestW3CVectorsTampered(t *testing.T) {
	edits := map[string]func(d map[string]any){
		"subject value": func(d map[string]any) {
			d["credentialSubject"].(map[string]any)["alumniOf"] = "The School of Counterexamples"
		},
		"first signature byte": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), 0)
		},
		"last signature byte": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), -1)
		},
		"created": func(d map[string]any) { firstProof(d)["created"] = "2023-02-24T23:36:39Z" },
	}

	e := newEngine(t)
	for path := range w3cVectors {
		for name, edit := range edits {
			t.Run(filepath.Base(path)+"/"+name, func(t *testing.T) {
				doc := testkit.ReadJSON(t, path)
				edit(doc)
				err := verifyOne(t, e, doc, proof.Expect{})
				if !errors.Is(err, proof.ErrSignature) || !errors.Is(err, keys.ErrBadSignature) {
					t.Fatalf("got %v, want ErrSignature", err)
				}
			})
		}
	}
}
