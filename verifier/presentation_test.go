package verifier_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/verifier"
)

const (
	vpChallenge = "u3f0c0e7a-6c9b-4bde-9a57-3d51c1c1a0c2"
	vpDomain    = "example.org"
)

// holderKit is a verifier and a holder who is also the issuer of the
// credentials it presents, as in the W3C vcdm2 suite.
type holderKit struct {
	v      *verifier.Verifier
	engine *proof.Engine
	key    *keys.Key
	signer *issuer.Signer
}

func newHolderKit(t *testing.T) *holderKit {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Canonicalizer: c})
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	engine := proof.NewEngine(c)
	s, err := issuer.NewSigner(issuer.SignerConfig{Engine: engine, Key: k})
	if err != nil {
		t.Fatal(err)
	}
	return &holderKit{v: v, engine: engine, key: k, signer: s}
}

func (h *holderKit) credential(t *testing.T, format issuer.Format) any {
	t.Helper()
	cred := map[string]any{
		"@context":          []any{schemas.ContextVC2, "https://www.w3.org/ns/credentials/examples/v2"},
		"id":                "urn:uuid:7f2c4b0e-3c51-4bd0-bb8c-6d8a4a0e8f10",
		"type":              []any{"VerifiableCredential", "ExampleCredential"},
		"issuer":            h.signer.Issuer(),
		"credentialSubject": map[string]any{"id": "did:example:learner", "skill": "welding"},
	}
	out, err := h.signer.Sign(cred, issuer.SignOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	if format == issuer.JWT {
		return map[string]any{
			"@context": schemas.ContextVC2,
			"id":       "data:application/vc+jwt," + string(out),
			"type":     "EnvelopedVerifiableCredential",
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// presentation builds a presentation of creds, edits it, and signs it for
// vpChallenge and vpDomain.
func (h *holderKit) presentation(t *testing.T, edit func(vp map[string]any), creds ...any) map[string]any {
	t.Helper()
	vp := map[string]any{
		"@context":             []any{schemas.ContextVC2},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               h.signer.Issuer(),
		"verifiableCredential": creds,
	}
	if edit != nil {
		edit(vp)
	}
	signed, err := h.engine.Sign(vp, h.key, proof.Options{
		VerificationMethod: h.signer.VerificationMethod(),
		Purpose:            proof.PurposeAuthentication,
		Challenge:          vpChallenge,
		Domain:             vpDomain,
	})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

var wantVP = verifier.PresentationOptions{Challenge: vpChallenge, Domain: vpDomain}

func presentationOutcome(r *verifier.PresentationReport, name string) (verifier.Outcome, string) {
	if c := r.Check(name); c != nil {
		return c.Outcome, c.Code
	}
	return "", ""
}

func TestVerifyPresentation(t *testing.T) {
	h := newHolderKit(t)
	vp := h.presentation(t, nil, h.credential(t, issuer.DataIntegrity), h.credential(t, issuer.JWT))

	r := h.v.VerifyPresentation(context.Background(), vp, wantVP)
	if !r.Valid || r.Holder != h.signer.Issuer() || len(r.Credentials) != 2 {
		t.Fatalf("report %+v", r)
	}
	for _, name := range []string{verifier.CheckStructure, verifier.CheckContexts, verifier.CheckProof,
		verifier.CheckHolder, verifier.CheckCredentials} {
		if got, _ := presentationOutcome(r, name); got != verifier.Passed {
			t.Errorf("%s: %s", name, got)
		}
	}
	if r.Credentials[1].Format != "vc-jwt" {
		t.Errorf("enveloped credential verified as %s", r.Credentials[1].Format)
	}
}

func TestVerifyPresentationFailures(t *testing.T) {
	h := newHolderKit(t)
	cred := h.credential(t, issuer.DataIntegrity)
	good := h.presentation(t, nil, cred)
	tampered := h.credential(t, issuer.DataIntegrity).(map[string]any)
	tampered["credentialSubject"].(map[string]any)["skill"] = "surgery"
	many := make([]any, 17)
	for i := range many {
		many[i] = cred
	}
	unsigned := h.presentation(t, nil, cred)
	delete(unsigned, "proof")

	otherHolder := h.presentation(t, func(vp map[string]any) { vp["holder"] = "did:example:other" }, cred)
	structure := "structure.invalid"
	cases := []struct {
		name  string
		vp    map[string]any
		want  verifier.PresentationOptions
		check string
		code  string
	}{
		{"wrong challenge", good, verifier.PresentationOptions{Challenge: "x"}, verifier.CheckProof, "proof.purpose"},
		{"wrong domain", good, verifier.PresentationOptions{Domain: "x.org"}, verifier.CheckProof, "proof.purpose"},
		{"unsigned", unsigned, wantVP, verifier.CheckProof, "proof.missing"},
		{"holder is someone else", otherHolder, wantVP, verifier.CheckHolder, "holder.mismatch"},
		{"tampered credential", h.presentation(t, nil, tampered), wantVP, verifier.CheckCredentials,
			"credentials.invalid"},
		{"too many credentials", good, wantVP, verifier.CheckStructure, structure},
		{"credential as a string", good, wantVP, verifier.CheckStructure, structure},
		{"holder not a URL", good, wantVP, verifier.CheckStructure, structure},
	}
	cases[5].vp = withMember(t, good, "verifiableCredential", many)
	cases[6].vp = withMember(t, good, "verifiableCredential", []any{"eyJhbGciOiJFZERTQSJ9.e30.c2ln"})
	cases[7].vp = withMember(t, good, "holder", "not a url")

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.v.VerifyPresentation(context.Background(), c.vp, c.want)
			got, code := presentationOutcome(r, c.check)
			if r.Valid || got != verifier.Failed || code != c.code {
				t.Fatalf("valid %v, %s: %s %s; checks %+v", r.Valid, c.check, got, code, r.Checks)
			}
		})
	}
}

// A presentation without a holder verifies, but says the holder is not
// confirmed; one without a proof leaves its credentials unchecked.
func TestVerifyPresentationUnconfirmed(t *testing.T) {
	h := newHolderKit(t)
	cred := h.credential(t, issuer.DataIntegrity)

	vp := h.presentation(t, func(vp map[string]any) { delete(vp, "holder") }, cred)
	r := h.v.VerifyPresentation(context.Background(), vp, wantVP)
	got, code := presentationOutcome(r, verifier.CheckHolder)
	if !r.Valid || got != verifier.NotChecked || code != "holder.none" {
		t.Fatalf("no holder: %+v", r)
	}

	delete(vp, "proof")
	r = h.v.VerifyPresentation(context.Background(), vp, wantVP)
	got, _ = presentationOutcome(r, verifier.CheckCredentials)
	if got != verifier.NotChecked || len(r.Credentials) != 0 {
		t.Fatalf("unsigned: %+v", r)
	}
}

func TestEnvelopedJWT(t *testing.T) {
	envelope := func(ctx any, id string) map[string]any {
		doc := map[string]any{"@context": ctx, "type": "EnvelopedVerifiableCredential", "id": id}
		if id == "" {
			delete(doc, "id")
		}
		return doc
	}
	v2, jwt := schemas.ContextVC2, "data:application/vc+jwt,a.b.c"

	cases := []struct {
		name      string
		doc       map[string]any
		enveloped bool
		err       error
	}{
		{"not an envelope", map[string]any{"type": []any{"VerifiableCredential"}}, false, nil},
		{"envelope", envelope(v2, jwt), true, nil},
		{"context list", envelope([]any{v2}, jwt), true, nil},
		{"media type in capitals", envelope(v2, "data:Application/VC+JWT,a.b.c"), true, nil},
		{"other media type", envelope(v2, "data:application/vc+cose,xyz"), true, verifier.ErrEnvelope},
		{"VC 1.1 context", envelope([]any{schemas.ContextVC1}, jwt), true, verifier.ErrEnvelope},
		{"no context", envelope(nil, jwt), true, verifier.ErrEnvelope},
		{"empty data", envelope(v2, "data:application/vc+jwt,"), true, verifier.ErrEnvelope},
		{"no id", envelope(v2, ""), true, verifier.ErrEnvelope},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token, enveloped, err := verifier.EnvelopedJWT(c.doc)
			wrongToken := err == nil && enveloped && token != "a.b.c"
			if enveloped != c.enveloped || !errors.Is(err, c.err) || wrongToken {
				t.Fatalf("token %q, enveloped %v, err %v", token, enveloped, err)
			}
		})
	}
}

func TestVerifyObjectRefusesUnknownEnvelope(t *testing.T) {
	h := newHolderKit(t)
	doc := map[string]any{
		"@context": schemas.ContextVC2,
		"type":     "EnvelopedVerifiableCredential",
		"id":       "data:application/vc+sd-jwt,abc",
	}
	r := h.v.VerifyObject(context.Background(), doc)
	if c := r.Check(verifier.CheckStructure); r.Valid || c == nil || c.Code != "structure.envelope" {
		t.Fatalf("report %+v", r)
	}
}

// withMember returns a copy of doc with one member replaced.
func withMember(t *testing.T, doc map[string]any, name string, v any) map[string]any {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	out[name] = v
	return out
}
