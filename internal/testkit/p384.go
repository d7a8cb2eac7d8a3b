package testkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"hash"
	"maps"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/proof"
)

// NewP384Key returns a fresh ECDSA P-384 key, a key type Laurel verifies
// with but never signs with.
func NewP384Key(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// P384Proof returns a copy of doc with an ecdsa-rdfc-2019 proof made with
// the P-384 key k under the verification method vm, added beside any proof
// doc has (a proof set). Laurel does not sign with P-384 keys, so this
// follows the specification's steps itself (Data Integrity ECDSA
// Cryptosuites 1.0, "ecdsa-rdfc-2019"): the proof configuration and the
// document without its proofs, canonicalized with c and each hashed with
// newHash, joined and signed with ECDSA over SHA-384 as 96-byte r||s.
// newHash is sha512.New384 for a correct proof; another hash makes a
// wrong one.
func P384Proof(t testing.TB, c *canon.Canonicalizer, doc map[string]any, k *ecdsa.PrivateKey,
	vm string, newHash func() hash.Hash) map[string]any {
	t.Helper()
	config := map[string]any{
		"@context":           doc["@context"],
		"type":               proof.TypeDataIntegrity,
		"cryptosuite":        proof.SuiteECDSARDFC2019,
		"created":            time.Now().UTC().Format(time.RFC3339),
		"verificationMethod": vm,
		"proofPurpose":       proof.PurposeAssertionMethod,
	}
	unsecured := maps.Clone(doc)
	delete(unsecured, "proof")

	data := append(canonicalHash(t, c, config, newHash), canonicalHash(t, c, unsecured, newHash)...)
	delete(config, "@context")
	config["proofValue"] = multibase.EncodeBase58BTC(signP384(t, k, data))

	out := maps.Clone(doc)
	switch p := doc["proof"].(type) {
	case nil:
		out["proof"] = config
	case []any:
		out["proof"] = append(append([]any(nil), p...), config)
	default:
		out["proof"] = []any{p, config}
	}
	return out
}

// canonicalHash hashes the canonical N-Quads of doc with newHash.
func canonicalHash(t testing.TB, c *canon.Canonicalizer, doc map[string]any,
	newHash func() hash.Hash) []byte {
	t.Helper()
	h := newHash()
	if err := c.CanonicalizeTo(h, doc); err != nil {
		t.Fatal(err)
	}
	return h.Sum(nil)
}

// signP384 signs SHA-384(data) with k as fixed-width r||s.
func signP384(t testing.TB, k *ecdsa.PrivateKey, data []byte) []byte {
	t.Helper()
	digest := sha512.Sum384(data)
	r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return append(r.FillBytes(make([]byte, 48)), s.FillBytes(make([]byte, 48))...)
}
