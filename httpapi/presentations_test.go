package httpapi

import (
	"net/http"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/schemas"
)

const (
	challenge = "u1f1b1f9b-2f0a-4c55-9f44-6f1f0bd5f0d1"
	domain    = "github.com/w3c/vc-data-model-2.0-test-suite"
)

// presentation builds an unsigned presentation by the server's key holding
// one credential issued by the same key, as the vcdm2 suite sends them.
func presentation(t testing.TB, ts *testServer) map[string]any {
	t.Helper()
	return map[string]any{
		"@context":             []any{schemas.ContextVC2},
		"type":                 []any{"VerifiablePresentation"},
		"holder":               ts.did,
		"verifiableCredential": []any{ts.issue(t, credential(ts.did))},
	}
}

// signPresentation adds an authentication proof bound to challenge and
// domain.
func signPresentation(t testing.TB, ts *testServer, vp map[string]any) map[string]any {
	t.Helper()
	signed, err := ts.engine.Sign(vp, ts.key, proof.Options{
		VerificationMethod: ts.signer.VerificationMethod(),
		Purpose:            proof.PurposeAuthentication,
		Challenge:          challenge,
		Domain:             domain,
	})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func (ts *testServer) verifyPresentation(t testing.TB, vp any, opts map[string]any) answer {
	t.Helper()
	body := map[string]any{"verifiablePresentation": vp, "options": opts}
	return ts.post(t, "/presentations/verify", body, false)
}

var presentationOptions = map[string]any{"challenge": challenge, "domain": domain}

func TestVerifyPresentation(t *testing.T) {
	ts := startServer(t)
	vp := signPresentation(t, ts, presentation(t, ts))

	a := ts.verifyPresentation(t, vp, presentationOptions)
	if a.status != http.StatusOK || a.body["verified"] != true {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}
	report, _ := a.body["report"].(map[string]any)
	if creds, _ := report["credentials"].([]any); len(creds) != 1 {
		t.Fatalf("report lacks the credential: %s", a.raw)
	}
}

// Accepted forms of VC-API.md §4: id, holder object, extra types, several
// credentials, an inline context, an enveloped credential.
func TestVerifyPresentationAccepts(t *testing.T) {
	ts := startServer(t)
	token, err := ts.signer.Sign(credential(ts.did), issuer.SignOptions{Format: issuer.JWT})
	if err != nil {
		t.Fatal(err)
	}

	vp := presentation(t, ts)
	inline := map[string]any{"ExamplePresentation": "https://example.org/vocab#ExamplePresentation"}
	vp["@context"] = []any{schemas.ContextVC2, inline}
	vp["id"] = "urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5"
	vp["type"] = []any{"VerifiablePresentation", "ExamplePresentation"}
	vp["holder"] = map[string]any{"id": ts.did}
	creds := vp["verifiableCredential"].([]any)
	vp["verifiableCredential"] = append(creds, ts.issue(t, credential(ts.did)), envelope(string(token)))

	a := ts.verifyPresentation(t, signPresentation(t, ts, vp), presentationOptions)
	if a.status != http.StatusOK || a.body["verified"] != true {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}
}

func TestVerifyPresentationRejects(t *testing.T) {
	ts := startServer(t)
	signed := signPresentation(t, ts, presentation(t, ts))
	after := func(f func(vp map[string]any)) map[string]any {
		vp := clone(t, signed)
		f(vp)
		return vp
	}
	before := func(f func(vp map[string]any)) map[string]any {
		vp := presentation(t, ts)
		f(vp)
		return signPresentation(t, ts, vp)
	}

	opts := presentationOptions
	structure := "structure.invalid"
	cases := []struct {
		name string
		vp   map[string]any
		opts map[string]any
		code string
	}{
		{"wrong challenge", signed, map[string]any{"challenge": "x", "domain": domain}, "proof.purpose"},
		{"wrong domain", signed, map[string]any{"challenge": challenge, "domain": "x.org"}, "proof.purpose"},
		{"changed proofValue", after(func(vp map[string]any) {
			p := vp["proof"].(map[string]any)
			v := []byte(p["proofValue"].(string))
			v[10] ^= 1
			p["proofValue"] = string(v)
		}), opts, ""},
		{"type missing", after(func(vp map[string]any) { delete(vp, "type") }), opts, structure},
		{"no VerifiablePresentation type", after(func(vp map[string]any) {
			vp["type"] = []any{"ExamplePresentation"}
		}), opts, structure},
		{"@context missing", after(func(vp map[string]any) { delete(vp, "@context") }), opts, structure},
		{"base context not first", after(func(vp map[string]any) {
			vp["@context"] = []any{"https://www.w3.org/ns/credentials/examples/v2", schemas.ContextVC2}
		}), opts, structure},
		{"numeric context", after(func(vp map[string]any) {
			vp["@context"] = []any{schemas.ContextVC2, 4}
		}), opts, structure},
		{"unloadable context", after(func(vp map[string]any) {
			vp["@context"] = []any{schemas.ContextVC2, "https://example.org/unknown/v1"}
		}), opts, "contexts.unknown"},
		{"unsigned", presentation(t, ts), opts, "proof.missing"},
		{"holder is someone else", before(func(vp map[string]any) {
			vp["holder"] = "did:example:someone-else"
		}), opts, "holder.mismatch"},
		{"embedded credential tampered", before(func(vp map[string]any) {
			vc := vp["verifiableCredential"].([]any)[0].(map[string]any)
			vc["credentialSubject"].(map[string]any)["degree"] = "forged"
		}), opts, "credentials.invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := ts.verifyPresentation(t, c.vp, c.opts)
			checkNotVerified(t, a)
			if c.code != "" && !hasProblemCode(a, c.code) {
				t.Fatalf("no %s problem: %s", c.code, a.raw)
			}
		})
	}
}

func TestVerifyPresentationMalformed(t *testing.T) {
	ts := startServer(t)
	cases := map[string]map[string]any{
		"presentation a string": {"verifiablePresentation": "https://example.org/vp/1"},
		"challenge a number": {
			"verifiablePresentation": map[string]any{},
			"options":                map[string]any{"challenge": 4},
		},
		"no presentation": {"verifiableCredential": map[string]any{}},
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			a := ts.post(t, "/presentations/verify", body, false)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
			requireProblem(t, a)
		})
	}
}
