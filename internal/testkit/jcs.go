package testkit

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gowebpki/jcs"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/keys"
)

// JCSNumbers returns the text of a credential by issuer whose subject
// holds numbers that RFC 8785 writes otherwise than they are given here
// (1E+21, 2.50, -0, 1.0, integers beyond 2^53, more digits than a double
// keeps) and numbers it keeps as they are.
func JCSNumbers(issuer string) []byte {
	return fmt.Appendf(nil, `{
  "@context": ["https://www.w3.org/ns/credentials/v2"],
  "id": "urn:uuid:0c6a3b8e-52a4-4f3e-9d1c-7b2e5f8a9d10",
  "type": ["VerifiableCredential"],
  "issuer": %q,
  "validFrom": "2025-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:teacher",
    "credits": 2.5,
    "hours": 1.0,
    "numbers": [1e21, 1E+21, 1e23, 0.1, 2.50, 100, -0, 1e-7, 0.000001, -1.5e-10,
      12345678901234567890, 9007199254740993, 333333333.33333329,
      5e-324, 1.7976931348623157e308]
  }
}`, issuer)
}

// JCSProof returns the JSON text doc with an eddsa-jcs-2022 or
// ecdsa-jcs-2019 proof (suite) made by k under vm, as another issuer's
// signer makes it from the text itself, following "Create Proof" of either
// suite (Data Integrity EdDSA and ECDSA Cryptosuites 1.0, §3.3.1): the
// proof options take the document's @context; both are put in RFC 8785
// form straight from their JSON text, hashed with SHA-256 (Ed25519 or
// P-256 keys), joined options first and signed. The proof is written into
// the text without decoding it, so every number keeps the form doc gives
// it. doc must be a JSON object without a proof.
func JCSProof(t testing.TB, doc []byte, k *keys.Key, vm, suite string) []byte {
	t.Helper()
	var top struct {
		Context json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(doc, &top); err != nil {
		t.Fatal(err)
	}
	options := map[string]any{
		"type": "DataIntegrityProof", "cryptosuite": suite, "created": "2025-01-01T00:00:00Z",
		"verificationMethod": vm, "proofPurpose": "assertionMethod",
	}
	if top.Context != nil {
		options["@context"] = top.Context
	}
	optionsJSON, err := json.Marshal(options)
	if err != nil {
		t.Fatal(err)
	}

	data := append(jcsHash(t, optionsJSON), jcsHash(t, doc)...)
	sig, err := k.SignMessage(data)
	if err != nil {
		t.Fatal(err)
	}
	options["proofValue"] = multibase.EncodeBase58BTC(sig)
	proofJSON, err := json.Marshal(options)
	if err != nil {
		t.Fatal(err)
	}

	body := bytes.TrimSuffix(bytes.TrimSpace(doc), []byte("}"))
	return fmt.Appendf(nil, "%s,\n  \"proof\": %s\n}\n", bytes.TrimSpace(body), proofJSON)
}

// jcsHash is SHA-256 of the RFC 8785 form of the JSON text doc.
func jcsHash(t testing.TB, doc []byte) []byte {
	t.Helper()
	canonical, err := jcs.Transform(doc)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(canonical)
	return sum[:]
}
