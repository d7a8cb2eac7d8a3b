package verifier_test

import (
	"crypto/ecdsa"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/verifier"
)

// p384Method is a verification method publishing k: Multikey, or JWK when
// jwk is set.
func p384Method(t *testing.T, id, controller string, k *ecdsa.PrivateKey, jwk bool) map[string]any {
	t.Helper()
	m := map[string]any{"id": id, "type": keys.TypeMultikey, "controller": controller}
	if jwk {
		b, err := keys.PublicJWKJSON(&k.PublicKey, "")
		if err != nil {
			t.Fatal(err)
		}
		m["type"], m["publicKeyJwk"] = keys.TypeJSONWebKey, json.RawMessage(b)
		return m
	}

	mk, err := keys.Multikey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	m["publicKeyMultibase"] = mk
	return m
}

// An issuer may publish a P-384 key in its DID document or its https
// Profile, as Multikey or JWK: the credential it signs with the key then
// verifies, bound to the issuer, with nothing left unconfirmed.
func TestP384PublishedKeys(t *testing.T) {
	d := newDIDWebIssuer(t)
	k := testkit.NewP384Key(t)

	for _, jwk := range []bool{false, true} {
		didDoc := map[string]any{
			"@context":           []any{"https://www.w3.org/ns/did/v1"},
			"id":                 d.did,
			"verificationMethod": []any{p384Method(t, d.did+"#p384", d.did, k, jwk)},
			"assertionMethod":    []any{"#p384"},
		}
		d.site.set("/.well-known/did.json", didDoc)
		d.site.set("/issuers/1", d.profile([]any{p384Method(t, "#p384", d.id, k, jwk)}, "#p384"))

		for name, issuer := range map[string]string{"did:web": d.did, "https": d.id} {
			t.Run(fmt.Sprintf("%s/jwk=%v", name, jwk), func(t *testing.T) {
				cred := d.httpsIssuer.credential(func(c map[string]any) { c["issuer"] = issuer })
				signed := testkit.P384Proof(t, d.canon, cred, k, issuer+"#p384", sha512.New384)
				r := verifyDoc(t, d.v, signed)
				wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
				wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)
			})
		}
	}
}
