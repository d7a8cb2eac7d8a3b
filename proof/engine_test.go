package proof_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

func credential() map[string]any {
	return map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"id":                "urn:uuid:3f0e6a7c-1d2b-4c5e-8f9a-0b1c2d3e4f50",
		"type":              []any{"VerifiableCredential"},
		"issuer":            "did:example:issuer",
		"credentialSubject": map[string]any{"id": "did:example:teacher"},
	}
}

func generate(t testing.TB, typ keys.Type) (*keys.Key, string) {
	t.Helper()
	k, err := keys.Generate(typ)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := k.VerificationMethodID()
	if err != nil {
		t.Fatal(err)
	}
	return k, vm
}

func verifyOne(t *testing.T, e *proof.Engine, doc map[string]any, want proof.Expect) error {
	t.Helper()
	results, err := e.Verify(context.Background(), doc, didKeys, want)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			return r.Err
		}
	}
	return nil
}

func TestRoundTrips(t *testing.T) {
	e := newEngine(t)
	for _, typ := range []keys.Type{keys.Ed25519, keys.P256} {
		t.Run(string(typ), func(t *testing.T) {
			k, vm := generate(t, typ)
			signed, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm})
			if err != nil {
				t.Fatal(err)
			}
			if err := verifyOne(t, e, signed, proof.Expect{}); err != nil {
				t.Fatal(err)
			}

			signed["credentialSubject"] = map[string]any{"id": "did:example:someone-else"}
			if err := verifyOne(t, e, signed, proof.Expect{}); !errors.Is(err, proof.ErrSignature) {
				t.Fatalf("tampered: got %v", err)
			}
		})
	}
}

func TestSuiteMustSuitKey(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	_, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm, Suite: proof.SuiteECDSARDFC2019})
	if !errors.Is(err, proof.ErrUnsupported) {
		t.Fatalf("got %v", err)
	}

	rsa, err := keys.Generate(keys.RSA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sign(credential(), rsa, proof.Options{VerificationMethod: "did:example:x#rsa"}); !errors.Is(err, proof.ErrUnsupported) {
		t.Fatalf("rsa: got %v", err)
	}
}

// A proof set: each proof signs the document without the others, and each
// must verify (Data Integrity §2.1.1).
func TestProofSet(t *testing.T) {
	e := newEngine(t)
	k1, vm1 := generate(t, keys.Ed25519)
	k2, vm2 := generate(t, keys.P256)

	once, err := e.Sign(credential(), k1, proof.Options{VerificationMethod: vm1})
	if err != nil {
		t.Fatal(err)
	}
	twice, err := e.Sign(once, k2, proof.Options{VerificationMethod: vm2})
	if err != nil {
		t.Fatal(err)
	}

	results, err := e.Verify(context.Background(), twice, didKeys, proof.Expect{})
	if err != nil || len(results) != 2 {
		t.Fatalf("%d results, %v", len(results), err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}

	set := twice["proof"].([]any)
	set[1].(map[string]any)["proofValue"] = set[0].(map[string]any)["proofValue"]
	if err := verifyOne(t, e, twice, proof.Expect{}); !errors.Is(err, proof.ErrSignature) {
		t.Fatalf("one bad proof in the set: got %v", err)
	}
}

func TestPresentationPurpose(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	signed, err := e.Sign(credential(), k, proof.Options{
		VerificationMethod: vm, Purpose: proof.PurposeAuthentication, Challenge: "c-123", Domain: "district.example",
	})
	if err != nil {
		t.Fatal(err)
	}

	good := proof.Expect{Purpose: proof.PurposeAuthentication, Challenge: "c-123", Domain: "district.example"}
	if err := verifyOne(t, e, signed, good); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []proof.Expect{
		{},
		{Purpose: proof.PurposeAuthentication, Challenge: "other"},
		{Purpose: proof.PurposeAuthentication, Domain: "evil.example"},
	} {
		if err := verifyOne(t, e, signed, bad); !errors.Is(err, proof.ErrPurpose) {
			t.Errorf("%+v: got %v", bad, err)
		}
	}
}

// withRelationships resolves did:key methods as if their controller's
// document listed them under rel only.
func withRelationships(rel keys.Relationships) proof.Resolver {
	return proof.ResolverFunc(func(_ context.Context, id string) (*keys.VerificationMethod, error) {
		m, err := keys.ResolveDIDKey(id)
		if err == nil {
			m.Relationships = rel
		}
		return m, err
	})
}

// A method must be listed under the relationship its proof's purpose names;
// one whose relationships are not known is left to the binding check.
func TestPurposeAuthorized(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	assertion, auth := proof.PurposeAssertionMethod, proof.PurposeAuthentication
	asserts := keys.Relationships{Known: true, AssertionMethod: true}
	authenticates := keys.Relationships{Known: true, Authentication: true}

	cases := []struct {
		name    string
		purpose string
		rel     keys.Relationships
		ok      bool
	}{
		{"assertion listed", assertion, asserts, true},
		{"assertion, authentication only", assertion, authenticates, false},
		{"assertion, verificationMethod only", assertion, keys.Relationships{Known: true}, false},
		{"assertion, not known", assertion, keys.Relationships{}, true},
		{"authentication listed", auth, authenticates, true},
		{"authentication, assertion only", auth, asserts, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			signed, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm, Purpose: c.purpose})
			if err != nil {
				t.Fatal(err)
			}
			results, err := e.Verify(context.Background(), signed, withRelationships(c.rel),
				proof.Expect{Purpose: c.purpose})
			if err != nil {
				t.Fatal(err)
			}
			checkAuthorized(t, results[0], vm, c.purpose, c.ok)
		})
	}
}

// checkAuthorized checks one result of TestPurposeAuthorized.
func checkAuthorized(t *testing.T, res proof.Result, vm, purpose string, ok bool) {
	t.Helper()
	if ok {
		if res.Err != nil {
			t.Fatalf("refused: %v", res.Err)
		}
		return
	}

	var pe *proof.PurposeError
	if !errors.Is(res.Err, proof.ErrPurposeNotAuthorized) || errors.Is(res.Err, proof.ErrPurpose) ||
		!errors.As(res.Err, &pe) || pe.Method != vm || pe.Purpose != purpose {
		t.Fatalf("got %v, want a PurposeError for %s", res.Err, purpose)
	}
	if res.Method == nil || res.Method.ID != vm {
		t.Fatalf("result method %+v", res.Method)
	}
}

func TestMalformedProofs(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	signed, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	base := signed["proof"].(map[string]any)

	edit := func(f func(p map[string]any)) map[string]any {
		p := map[string]any{}
		for k, v := range base {
			p[k] = v
		}
		f(p)
		doc := credential()
		doc["proof"] = p
		return doc
	}

	cases := map[string]struct {
		doc  map[string]any
		want error
	}{
		"no type":         {edit(func(p map[string]any) { delete(p, "type") }), proof.ErrMalformed},
		"unknown type":    {edit(func(p map[string]any) { p["type"] = "RsaSignature2018" }), proof.ErrUnsupported},
		"no method":       {edit(func(p map[string]any) { delete(p, "verificationMethod") }), proof.ErrMalformed},
		"no purpose":      {edit(func(p map[string]any) { delete(p, "proofPurpose") }), proof.ErrMalformed},
		"wrong purpose":   {edit(func(p map[string]any) { p["proofPurpose"] = "authentication" }), proof.ErrPurpose},
		"no value":        {edit(func(p map[string]any) { delete(p, "proofValue") }), proof.ErrMalformed},
		"huge value":      {edit(func(p map[string]any) { p["proofValue"] = "z" + strings.Repeat("1", 10000) }), proof.ErrMalformed},
		"bad created":     {edit(func(p map[string]any) { p["created"] = "2025-01-01" }), proof.ErrMalformed},
		"expired":         {edit(func(p map[string]any) { p["expires"] = "2020-01-01T00:00:00Z" }), proof.ErrExpired},
		"unknown key":     {edit(func(p map[string]any) { p["verificationMethod"] = "did:example:nobody#key" }), proof.ErrKey},
		"missing chained": {edit(func(p map[string]any) { p["previousProof"] = "urn:uuid:nothing" }), proof.ErrMalformed},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := verifyOne(t, e, tc.doc, proof.Expect{}); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}

	for name, p := range map[string]any{"string": "proof", "number": 4.0, "empty list": []any{}, "null": nil} {
		doc := credential()
		doc["proof"] = p
		if _, err := e.Verify(context.Background(), doc, didKeys, proof.Expect{}); err == nil {
			t.Errorf("proof as %s accepted", name)
		}
	}
}

// A proof chain: the second proof names the first in previousProof and
// signs the document together with it (Data Integrity §4.3).
func TestPreviousProof(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	first, err := e.Sign(credential(), k, proof.Options{VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	p1 := first["proof"].(map[string]any)
	p1["id"] = "urn:uuid:proof-1"
	// The id was added after signing; sign again so it is covered.
	first, err = e.Sign(withoutProof(first), k, proof.Options{VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	if err := verifyOne(t, e, first, proof.Expect{}); err != nil {
		t.Fatal(err)
	}
}

func withoutProof(doc map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}

// A VC 1.1 credential gets the Data Integrity context, without which
// DataIntegrityProof is an undefined term.
func TestVC11GetsDataIntegrityContext(t *testing.T) {
	e := newEngine(t)
	k, vm := generate(t, keys.Ed25519)
	doc := credential()
	doc["@context"] = []any{"https://www.w3.org/2018/credentials/v1"}
	doc["issuanceDate"] = "2025-01-01T00:00:00Z"

	signed, err := e.Sign(doc, k, proof.Options{VerificationMethod: vm, Created: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := signed["@context"].([]any)
	if len(ctx) != 2 || ctx[1] != "https://w3id.org/security/data-integrity/v2" {
		t.Fatalf("@context %v", ctx)
	}
	if len(doc["@context"].([]any)) != 1 {
		t.Fatal("Sign modified its input")
	}
	if err := verifyOne(t, e, signed, proof.Expect{}); err != nil {
		t.Fatal(err)
	}
}
