package proof_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/testkit"
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

// p384DIDKeyProof adds to doc an ecdsa-rdfc-2019 proof made with k under
// its did:key, hashing with newHash.
func p384DIDKeyProof(
	t *testing.T, doc map[string]any, k *ecdsa.PrivateKey, newHash func() hash.Hash,
) map[string]any {
	t.Helper()
	did, err := keys.DIDKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	vm := did + "#" + strings.TrimPrefix(did, "did:key:")
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return testkit.P384Proof(t, c, doc, k, vm, newHash)
}

// A fresh P-384 did:key proof verifies when both digests are SHA-384, and
// not when they are SHA-256 as for P-256: the hash follows the curve.
func TestP384HashFollowsCurve(t *testing.T) {
	e := newEngine(t)
	k := testkit.NewP384Key(t)

	good := p384DIDKeyProof(t, credential(), k, sha512.New384)
	if err := verifyOne(t, e, good, proof.Expect{}); err != nil {
		t.Fatalf("sha-384 digests: %v", err)
	}

	p256Style := p384DIDKeyProof(t, credential(), k, sha256.New)
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
	twice := p384DIDKeyProof(t, once, testkit.NewP384Key(t), sha512.New384)

	results, err := e.Verify(context.Background(), twice, didKeys, proof.Expect{})
	if err != nil || len(results) != 2 {
		t.Fatalf("%d results, %v", len(results), err)
	}
	for i, r := range results {
		if r.Err != nil {
			t.Errorf("proof %d (%s): %v", i, curveOf(r), r.Err)
		}
	}
	if curveOf(results[0]) != "P-256" || curveOf(results[1]) != "P-384" {
		t.Fatalf("keys on %s and %s, want P-256 and P-384", curveOf(results[0]), curveOf(results[1]))
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
