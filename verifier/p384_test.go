package verifier_test

import (
	"crypto/ecdsa"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/verifier"
)

// The W3C ecdsa-rdfc-2019 credentials, signed with P-256 and P-384 keys
// (../proof/testdata/README.md). They use only pinned contexts.
var w3cECDSAVectors = []string{
	filepath.Join("..", "proof", "testdata", "w3c-ecdsa-rdfc-2019-p256-signed.json"),
	filepath.Join("..", "proof", "testdata", "w3c-ecdsa-rdfc-2019-p384-signed.json"),
}

// Both W3C credentials verify through the whole verifier. Their issuer is
// an https URL and their key a did:key, which nothing the issuer publishes
// confirms here (no fetch), so the issuer check warns.
func TestW3CECDSAVectors(t *testing.T) {
	v := newVerifier(t)
	for _, path := range w3cECDSAVectors {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := verifyFile(t, v, path)
			wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
			wantCheck(t, r, verifier.CheckIssuer, verifier.Warning, "issuer.unconfirmed", true)
			wantCheck(t, r, verifier.CheckContexts, verifier.Passed, "", true)
		})
	}
}

// A changed credentialSubject value or a flipped signature byte makes
// either W3C credential fail its proof check.
func TestW3CECDSAVectorsTampered(t *testing.T) {
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
	}

	v := newVerifier(t)
	for _, path := range w3cECDSAVectors {
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
