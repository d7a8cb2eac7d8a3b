package proof_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// The ecdsa-rdfc-2019 credentials of the W3C Data Integrity ECDSA
// Cryptosuites test vectors, signed with P-256 and with P-384 (see
// testdata/README.md).
var (
	rdfcP256 = filepath.Join("testdata", "w3c-ecdsa-rdfc-2019-p256-signed.json")
	rdfcP384 = filepath.Join("testdata", "w3c-ecdsa-rdfc-2019-p384-signed.json")
)

// Both published ecdsa-rdfc-2019 credentials verify, each with the key of
// its curve: the P-384 one only if both digests are SHA-384.
func TestECDSARDFC2019Vectors(t *testing.T) {
	e := newEngine(t)
	for path, curve := range map[string]string{rdfcP256: "P-256", rdfcP384: "P-384"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc := testkit.ReadJSON(t, path)
			results, err := e.Verify(context.Background(), doc, didKeys, proof.Expect{})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0].Err != nil {
				t.Fatalf("results %+v", results)
			}
			if got := curveOf(results[0]); got != curve {
				t.Fatalf("key on %q, want %s", got, curve)
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

// Changing the vectors breaks them: a credentialSubject value, a signature
// byte in r or in s, or a proof option.
func TestECDSARDFC2019VectorsTampered(t *testing.T) {
	edits := map[string]func(d map[string]any){
		"subject value": func(d map[string]any) {
			d["credentialSubject"].(map[string]any)["alumniOf"] = "The School of Counterexamples"
		},
		"signature byte in r": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), 0)
		},
		"signature byte in s": func(d map[string]any) {
			p := firstProof(d)
			p["proofValue"] = flipSignatureByte(t, p["proofValue"].(string), -1)
		},
		"created": func(d map[string]any) { firstProof(d)["created"] = "2023-02-24T23:36:39Z" },
	}

	e := newEngine(t)
	for _, path := range []string{rdfcP256, rdfcP384} {
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

// A P-384 key signs only ecdsa-rdfc-2019 proofs, with 96-byte signatures:
// under an EdDSA suite it is refused before any hashing, and a 64-byte
// (P-256 sized) or 97-byte signature does not verify.
func TestP384Refusals(t *testing.T) {
	p256Value := firstProof(testkit.ReadJSON(t, rdfcP256))["proofValue"].(string)
	p384Value := firstProof(testkit.ReadJSON(t, rdfcP384))["proofValue"].(string)
	sig, err := multibase.DecodeBase58BTC(p384Value)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name string
		edit func(p map[string]any)
		want error
		says string
	}{
		{"eddsa-rdfc-2022", func(p map[string]any) { p["cryptosuite"] = proof.SuiteEdDSARDFC2022 },
			proof.ErrUnsupported, "needs a ed25519 key"},
		{"eddsa-2022", func(p map[string]any) { p["cryptosuite"] = proof.SuiteEdDSA2022 },
			proof.ErrUnsupported, "needs a ed25519 key"},
		{"p256-sized signature", func(p map[string]any) { p["proofValue"] = p256Value },
			proof.ErrSignature, "signature is 64 bytes, want 96"},
		{"signature with a byte more", func(p map[string]any) {
			p["proofValue"] = multibase.EncodeBase58BTC(append(sig, 0))
		}, proof.ErrSignature, "signature is 97 bytes"},
	}

	e := newEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, rdfcP384)
			tc.edit(firstProof(doc))
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}
