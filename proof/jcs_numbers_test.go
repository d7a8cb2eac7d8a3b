package proof_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gowebpki/jcs"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// A signer canonicalizes the text it signs; the verifier receives a map
// that encoding/json decoded, numbers as float64 or as json.Number. Both
// hash to what was signed, however RFC 8785 rewrites the numbers.
func TestJCSNumbersSurviveDecoding(t *testing.T) {
	e := newEngine(t)
	for suite, typ := range map[string]keys.Type{
		proof.SuiteEdDSAJCS2022: keys.Ed25519,
		proof.SuiteECDSAJCS2019: keys.P256,
	} {
		k, vm := generate(t, typ)
		signed := testkit.JCSProof(t, testkit.JCSNumbers("did:example:issuer"), k, vm, suite)
		for _, useNumber := range []bool{false, true} {
			doc := decodeJSON(t, signed, useNumber)
			if err := verifyOne(t, e, doc, proof.Expect{}); err != nil {
				t.Errorf("%s, json.Number %v: %v", suite, useNumber, err)
			}

			doc["credentialSubject"].(map[string]any)["credits"] = 2.6
			if err := verifyOne(t, e, doc, proof.Expect{}); !errors.Is(err, keys.ErrBadSignature) {
				t.Errorf("%s, json.Number %v, a number changed: got %v", suite, useNumber, err)
			}
		}
	}
}

// decodeJSON decodes data into a map, numbers as json.Number if useNumber.
func decodeJSON(t *testing.T, data []byte, useNumber bool) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if useNumber {
		dec.UseNumber()
	}
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// FuzzJCSDecodedDocument checks what the JCS suites rely on: a signer
// canonicalizes the JSON text, Laurel the map encoding/json decoded from
// it, and both must hash alike. For any JSON object that RFC 8785 accepts
// (valid UTF-8, no duplicate names, numbers within a double's range), the
// digest of the decoded map equals SHA-256 of the text's canonical form.
func FuzzJCSDecodedDocument(f *testing.F) {
	for _, path := range jcsVectors {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(testkit.JCSNumbers("did:example:issuer"))
	f.Add([]byte(`{"<&>":"\u003c\u2028\ud83d\ude00\u0007\/","\u20ac":[-0.0,1e-400,4.35,[{}]]}`))
	f.Add([]byte(`{"a":1e400}`))
	f.Add([]byte(`{"a":1,"a":2}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		canonical, err := jcs.Transform(data)
		if err != nil {
			return
		}
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}

		got, err := proof.JCSDigestForTest(doc)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if want := sha256.Sum256(canonical); !bytes.Equal(got, want[:]) {
			t.Fatalf("%q: the decoded map hashes otherwise than the text's canonical form %q", data, canonical)
		}
	})
}
