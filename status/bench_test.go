package status_test

import (
	"testing"

	"github.com/laurel-badges/laurel/status"
)

// The cost of publishing one revocation: set the bit, encode the list,
// build the list credential and sign it.
func BenchmarkSetEncodeSign(b *testing.B) {
	engine := newEngine(b)
	signer := newSigner(b, engine)
	list := newList(b)

	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := list.Set(i%list.Len(), true); err != nil {
			b.Fatal(err)
		}
		publish(b, signer, revocationURL, status.PurposeRevocation, list)
	}
}

// The cost of checking one entry against a list not yet seen.
func BenchmarkCheck(b *testing.B) {
	engine := newEngine(b)
	signer := newSigner(b, engine)
	c := newChecker(b, engine, docs{
		revocationURL: publish(b, signer, revocationURL, status.PurposeRevocation, newList(b, 7)),
	})
	cred := credentialWith(signer.Issuer(), status.Entry(revocationURL, status.PurposeRevocation, 7))

	for b.Loop() {
		if r := c.Check(b.Context(), cred); r[0].Status != status.Revoked {
			b.Fatalf("status %v: %v", r[0].Status, r[0].Err)
		}
	}
}
