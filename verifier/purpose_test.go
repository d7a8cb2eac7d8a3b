package verifier_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/verifier"
)

const codePurpose = "proof.purpose_not_authorized"

// didWebIssuer is a did:web issuer whose DID document the TLS test site
// of an httpsIssuer serves, and a verifier that resolves it over HTTPS.
type didWebIssuer struct {
	*httpsIssuer
	did string
	v   *verifier.Verifier
}

// newDIDWebIssuer names the issuer did:web:localhost%3APORT. did:web names
// a host, never an IP address, so the verifier's fetch sends localhost to
// the test server, whose certificate is for 127.0.0.1.
func newDIDWebIssuer(t *testing.T) *didWebIssuer {
	t.Helper()
	h := newHTTPSIssuer(t)
	port := h.srv.Listener.Addr().(*net.TCPAddr).Port
	local := fmt.Sprintf("https://localhost:%d", port)
	fetch := func(ctx context.Context, url string) ([]byte, error) {
		return h.fetch(ctx, strings.Replace(url, local, h.srv.URL, 1))
	}

	v, err := verifier.New(verifier.Config{Fetch: fetch, Canonicalizer: h.canon})
	if err != nil {
		t.Fatal(err)
	}
	return &didWebIssuer{httpsIssuer: h, did: fmt.Sprintf("did:web:localhost%%3A%d", port), v: v}
}

// vm is the id of the issuer's key in its DID document.
func (d *didWebIssuer) vm() string { return d.did + "#key-1" }

// publish serves a DID document holding the issuer's key in
// verificationMethod, referenced from each of the relationships rels.
func (d *didWebIssuer) publish(t *testing.T, rels ...string) {
	t.Helper()
	doc := map[string]any{
		"@context":           []any{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":                 d.did,
		"verificationMethod": []any{multikey(t, d.vm(), d.did, d.key)},
	}
	for _, rel := range rels {
		doc[rel] = []any{"#key-1"}
	}
	d.site.set("/.well-known/did.json", doc)
}

// credential is a credential the issuer signed with its key.
func (d *didWebIssuer) credential(t *testing.T) map[string]any {
	t.Helper()
	cred := d.httpsIssuer.credential(func(c map[string]any) { c["issuer"] = d.did })
	return d.sign(t, cred, d.key, d.vm())
}

// presentation is a presentation the issuer, as its holder, signed with
// its key for wantVP.
func (d *didWebIssuer) presentation(t *testing.T) map[string]any {
	t.Helper()
	vp := map[string]any{
		"@context": []any{schemas.ContextVC2},
		"type":     []any{"VerifiablePresentation"},
		"holder":   d.did,
	}
	signed, err := d.engine.Sign(vp, d.key, proof.Options{VerificationMethod: d.vm(),
		Purpose: proof.PurposeAuthentication, Challenge: vpChallenge, Domain: vpDomain})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// A did:web issuer's credential verifies only with a key its DID document
// lists under assertionMethod; a key published in verificationMethod or
// under authentication only signs no credential.
func TestDIDWebCredentialPurpose(t *testing.T) {
	d := newDIDWebIssuer(t)
	cred := d.credential(t)

	d.publish(t, keys.RelAssertionMethod)
	r := verifyDoc(t, d.v, cred)
	wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
	wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)

	for name, rels := range map[string][]string{
		"verificationMethod only": nil,
		"authentication only":     {keys.RelAuthentication},
	} {
		t.Run(name, func(t *testing.T) {
			d.publish(t, rels...)
			r := verifyDoc(t, d.v, cred)
			wantCheck(t, r, verifier.CheckProof, verifier.Failed, codePurpose, false)
			msg := r.Check(verifier.CheckProof).Message
			if !strings.Contains(msg, d.vm()) || !strings.Contains(msg, "assertionMethod") {
				t.Fatalf("message %q names neither the key nor the relationship", msg)
			}
		})
	}
}

// A presentation's key must be listed under authentication: a key that
// may issue credentials does not thereby prove who presents.
func TestDIDWebPresentationPurpose(t *testing.T) {
	d := newDIDWebIssuer(t)
	vp := d.presentation(t)

	cases := []struct {
		name    string
		rels    []string
		outcome verifier.Outcome
		code    string
	}{
		{"authentication", []string{keys.RelAuthentication}, verifier.Passed, ""},
		{"assertionMethod only", []string{keys.RelAssertionMethod}, verifier.Failed, codePurpose},
		{"verificationMethod only", nil, verifier.Failed, codePurpose},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d.publish(t, c.rels...)
			r := d.v.VerifyPresentation(context.Background(), vp, wantVP)
			got, code := presentationOutcome(r, verifier.CheckProof)
			if got != c.outcome || code != c.code || r.Valid != (c.code == "") {
				t.Fatalf("proof %s %s, valid %v; checks %+v", got, code, r.Valid, r.Checks)
			}
			if c.code != "" && !strings.Contains(r.Check(verifier.CheckProof).Message, "authentication") {
				t.Fatalf("message %q", r.Check(verifier.CheckProof).Message)
			}
		})
	}
}

// An embedded endorsement is held to assertionMethod like the credential
// that carries it: one signed with an authentication key is a warning.
func TestDIDWebEndorsementPurpose(t *testing.T) {
	d := newDIDWebIssuer(t)
	endorsement := testkit.ReadJSON(t, filepath.Join(examples, "validator-endorsement-eddsa-rdfc-2022.json"))
	delete(endorsement, "proof")
	endorsement["issuer"].(map[string]any)["id"] = d.did
	endorsement = d.sign(t, endorsement, d.key, d.vm())

	other := newKey(t)
	vm, err := other.VerificationMethodID()
	if err != nil {
		t.Fatal(err)
	}
	cred := testkit.ReadJSON(t, filepath.Join(peer, "unsigned", "cred-001.json"))
	delete(cred, "issuer")
	cred["issuer"] = strings.Split(vm, "#")[0]
	cred["endorsement"] = []any{endorsement}
	signed := d.sign(t, cred, other, vm)

	for rel, want := range map[string]verifier.Outcome{
		keys.RelAssertionMethod: verifier.Passed,
		keys.RelAuthentication:  verifier.Warning,
	} {
		t.Run(rel, func(t *testing.T) {
			d.publish(t, rel)
			r := verifyDoc(t, d.v, signed)
			c := r.Check(verifier.CheckEndorsements)
			if c == nil || c.Outcome != want || !r.Valid {
				t.Fatalf("endorsements %+v, valid %v; checks %+v", c, r.Valid, r.Checks)
			}
		})
	}
}

// An https issuer's profile is its controller document: a key it lists
// under assertionMethod, embedded or by reference, signs its credentials;
// one it publishes in verificationMethod or under authentication only
// does not.
func TestHTTPSProfilePurpose(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	key := func() map[string]any { return multikey(t, "#key-1", h.id, h.key) }
	signed := h.sign(t, h.credential(nil), h.key, h.id+"#key-1")
	authOnly := h.profile([]any{key()})
	authOnly["authentication"] = []any{"#key-1"}

	cases := []struct {
		name    string
		profile map[string]any
		code    string
	}{
		{"assertionMethod by reference", h.profile([]any{key()}, "#key-1"), ""},
		{"assertionMethod embedded", h.profile(nil, key()), ""},
		{"verificationMethod only", h.profile([]any{key()}), codePurpose},
		{"authentication only", authOnly, codePurpose},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.site.set("/issuers/1", c.profile)
			r := verifyDoc(t, v, signed)
			if c.code == "" {
				wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", true)
				wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)
				return
			}
			wantCheck(t, r, verifier.CheckProof, verifier.Failed, c.code, false)
		})
	}
}
