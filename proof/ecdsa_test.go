package proof_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"maps"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// specP384Multikey is the P-384 key of the W3C ECDSA test vectors.
const specP384Multikey = "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"

// curveOf names the curve of a resolved ECDSA key, or "".
func curveOf(r proof.Result) string {
	if r.Method == nil {
		return ""
	}
	if k, ok := r.Method.PublicKey.(*ecdsa.PublicKey); ok {
		return k.Curve.Params().Name
	}
	return ""
}

// p384Proof adds an ecdsa-rdfc-2019 proof made with a P-384 key to a copy
// of doc, hashing the proof options and the document (without its other
// proofs) with newHash. It follows the specification's steps on its own,
// apart from package proof, so it can also make the proof wrongly.
func p384Proof(
	t *testing.T, doc map[string]any, k *ecdsa.PrivateKey, newHash func() hash.Hash,
) map[string]any {
	t.Helper()
	did, err := keys.DIDKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	options := map[string]any{
		"@context":           doc["@context"],
		"type":               proof.TypeDataIntegrity,
		"cryptosuite":        proof.SuiteECDSARDFC2019,
		"created":            "2024-05-01T00:00:00Z",
		"verificationMethod": did + "#" + strings.TrimPrefix(did, "did:key:"),
		"proofPurpose":       proof.PurposeAssertionMethod,
	}
	unsecured := maps.Clone(doc)
	delete(unsecured, "proof")

	data := append(canonHash(t, options, newHash), canonHash(t, unsecured, newHash)...)
	digest := sha512.Sum384(data)
	r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	delete(options, "@context")
	sig := append(r.FillBytes(make([]byte, 48)), s.FillBytes(make([]byte, 48))...)
	options["proofValue"] = multibase.EncodeBase58BTC(sig)

	out := maps.Clone(doc)
	switch p := doc["proof"].(type) {
	case nil:
		out["proof"] = options
	case map[string]any:
		out["proof"] = []any{p, options}
	}
	return out
}

// canonHash hashes the RDFC-1.0 canonical form of doc.
func canonHash(t *testing.T, doc map[string]any, newHash func() hash.Hash) []byte {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHash()
	if err := c.CanonicalizeTo(h, doc); err != nil {
		t.Fatal(err)
	}
	return h.Sum(nil)
}

func newP384(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A fresh P-384 did:key proof verifies when both digests are SHA-384, and
// not when they are SHA-256 as for P-256: the hash follows the curve.
func TestP384HashFollowsCurve(t *testing.T) {
	e := newEngine(t)
	k := newP384(t)

	good := p384Proof(t, credential(), k, sha512.New384)
	if err := verifyOne(t, e, good, proof.Expect{}); err != nil {
		t.Fatalf("sha-384 digests: %v", err)
	}

	p256Style := p384Proof(t, credential(), k, sha256.New)
	if err := verifyOne(t, e, p256Style, proof.Expect{}); !errors.Is(err, proof.ErrSignature) {
		t.Fatalf("sha-256 digests: got %v, want ErrSignature", err)
	}
}

// A proof set holding a P-256 proof and a P-384 proof hashes the same
// document with SHA-256 for one and SHA-384 for the other; both verify,
// and a change to the document breaks both.
func TestMixedCurveProofSet(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.P256)
	once, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	twice := p384Proof(t, once, newP384(t), sha512.New384)

	results, err := e.Verify(context.Background(), twice, didKeys, proof.Expect{})
	if err != nil || len(results) != 2 {
		t.Fatalf("%d results, %v", len(results), err)
	}
	for i, r := range results {
		if r.Err != nil {
			t.Errorf("proof %d (%s): %v", i, curveOf(r), r.Err)
		}
	}

	twice["credentialSubject"] = map[string]any{"id": "did:example:someone-else"}
	results, _ = e.Verify(context.Background(), twice, didKeys, proof.Expect{})
	for i, r := range results {
		if !errors.Is(r.Err, proof.ErrSignature) {
			t.Errorf("tampered proof %d (%s): got %v, want ErrSignature", i, curveOf(r), r.Err)
		}
	}
}

// p384Signer is a signer, such as a KMS key, that says it holds a P-384
// key. Sign must refuse it before asking it to sign.
type p384Signer struct{ t *testing.T }

func (p384Signer) Type() keys.Type { return keys.P384 }

func (s p384Signer) SignMessage([]byte) ([]byte, error) {
	s.t.Error("SignMessage called for a P-384 key")
	return nil, errors.New("not signing")
}

// Laurel verifies P-384 proofs but does not make them.
func TestP384SignRefused(t *testing.T) {
	e := newEngine(t)
	for _, suite := range []string{"", proof.SuiteECDSARDFC2019} {
		opts := proof.Options{VerificationMethod: "did:example:x#k", Suite: suite}
		_, err := e.Sign(credential(), p384Signer{t}, opts)
		if !errors.Is(err, proof.ErrUnsupported) {
			t.Errorf("suite %q: got %v, want ErrUnsupported", suite, err)
		}
	}
}
