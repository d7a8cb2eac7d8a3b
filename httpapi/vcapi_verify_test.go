package httpapi

import (
	"github.com/laurel-badges/laurel/internal/testkit"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/schemas"
)

// problems returns the problemDetails of a verification answer.
func problems(a answer) []map[string]any {
	list, _ := a.body["problemDetails"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, p := range list {
		if m, ok := p.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func hasProblemCode(a answer, code string) bool {
	return slices.ContainsFunc(problems(a), func(p map[string]any) bool { return p["code"] == code })
}

func hasWarningCode(a answer, code string) bool {
	list, _ := a.body["warnings"].([]any)
	return slices.ContainsFunc(list, func(p any) bool { return p.(map[string]any)["code"] == code })
}

// checkNotVerified requires a 400 verification result whose problem
// details each carry a type, a title and a detail.
func checkNotVerified(t *testing.T, a answer) {
	t.Helper()
	if a.status != http.StatusBadRequest || a.body["verified"] != false {
		t.Fatalf("want 400 verified false, got %d: %s", a.status, a.raw)
	}
	ps := problems(a)
	if len(ps) == 0 {
		t.Fatalf("no problemDetails: %s", a.raw)
	}
	for _, p := range ps {
		for _, k := range []string{"type", "title", "detail"} {
			if s, _ := p[k].(string); s == "" {
				t.Fatalf("problem detail without %s: %v", k, p)
			}
		}
	}
}

func TestVerifyPeerCredentials(t *testing.T) {
	ts := startServer(t)
	for _, f := range peerFiles(t, "cred-*.json") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			a := ts.verify(t, testkit.ReadJSON(t, f))
			if a.status != http.StatusOK || a.body["verified"] != true {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
			if checks, _ := a.body["checks"].([]any); !slices.Contains(checks, any("proof")) {
				t.Fatalf("checks lack proof: %v", a.body["checks"])
			}
			if _, ok := a.body["report"].(map[string]any); !ok {
				t.Fatalf("no report: %s", a.raw)
			}
		})
	}
}

func TestVerifyPeerBadCredentials(t *testing.T) {
	ts := startServer(t)
	for _, f := range peerFiles(t, "bad/*.json") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			checkNotVerified(t, ts.verify(t, testkit.ReadJSON(t, f)))
		})
	}
}

// VC-API.md §3 "Must reject" cases beyond the peer fixtures.
func TestVerifyRejects(t *testing.T) {
	ts := startServer(t)
	good := testkit.ReadJSON(t, filepath.Join(peer, "cred-001.json"))
	edit := func(f func(map[string]any)) map[string]any {
		c := clone(t, good)
		f(c)
		return c
	}

	proofOf := func(c map[string]any) map[string]any { return c["proof"].(map[string]any) }
	cases := map[string]map[string]any{
		"proof a string":         edit(func(c map[string]any) { c["proof"] = "z123" }),
		"proof null":             edit(func(c map[string]any) { c["proof"] = nil }),
		"proof empty array":      edit(func(c map[string]any) { c["proof"] = []any{} }),
		"proof without type":     edit(func(c map[string]any) { delete(proofOf(c), "type") }),
		"unknown proof type":     edit(func(c map[string]any) { proofOf(c)["type"] = "MadeUpProof" }),
		"other proofPurpose":     edit(func(c map[string]any) { proofOf(c)["proofPurpose"] = "authentication" }),
		"term added":             edit(func(c map[string]any) { c["credentialSubject"].(map[string]any)["x"] = 1 }),
		"context not an array":   edit(func(c map[string]any) { c["@context"] = schemas.ContextVC2 }),
		"context entry a number": edit(func(c map[string]any) { c["@context"] = []any{schemas.ContextVC2, 4} }),
		"type missing":           edit(func(c map[string]any) { delete(c, "type") }),
		"issuer missing":         edit(func(c map[string]any) { delete(c, "issuer") }),
		"subject missing":        edit(func(c map[string]any) { delete(c, "credentialSubject") }),
		"nonconforming document": {"type": []any{"NonconformingDocument"}},
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) { checkNotVerified(t, ts.verify(t, doc)) })
	}
}

// A credential sent as a string, JSON text or URL, is refused, never
// parsed or fetched.
func TestVerifyRefusesStrings(t *testing.T) {
	ts := startServer(t)
	for name, s := range map[string]string{
		"JSON text": `{"@context": ["https://www.w3.org/ns/credentials/v2"]}`,
		"URL":       "https://example.org/credentials/1",
	} {
		t.Run(name, func(t *testing.T) {
			a := ts.verify(t, s)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
			requireProblem(t, a)
		})
	}
}

func TestVerifyMalformedRequests(t *testing.T) {
	ts := startServer(t)
	good := testkit.ReadJSON(t, filepath.Join(peer, "cred-001.json"))
	cases := map[string]any{
		"no verifiableCredential": map[string]any{"credential": good},
		"unknown member":          map[string]any{"verifiableCredential": good, "extra": 1},
		"credential an array":     map[string]any{"verifiableCredential": []any{good}},
		"options a string":        map[string]any{"verifiableCredential": good, "options": "x"},
		"checks not an array": map[string]any{
			"verifiableCredential": good,
			"options":              map[string]any{"checks": "proof"},
		},
		"body an array": []any{good},
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			a := ts.post(t, "/credentials/verify", body, false)
			if a.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
			requireProblem(t, a)
		})
	}
}

// options.checks asking for credentialStatus gets a warning that it was not
// checked; an unknown option a warning that it was ignored.
func TestVerifyOptions(t *testing.T) {
	ts := startServer(t)
	body := map[string]any{
		"verifiableCredential": testkit.ReadJSON(t, filepath.Join(peer, "cred-001.json")),
		"options": map[string]any{
			"checks":               []any{"proof", "credentialStatus", "telepathy"},
			"expectedProofPurpose": "x",
		},
	}
	a := ts.post(t, "/credentials/verify", body, false)
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}
	warned := hasWarningCode(a, "status.none") && hasWarningCode(a, "option.ignored") &&
		hasWarningCode(a, "check.unknown")
	if !warned {
		t.Fatalf("warnings: %v", a.body["warnings"])
	}
}

// envelope wraps a VC-JWT as VC Data Model 2.0 §4.13.1 does.
func envelope(token string) map[string]any {
	return map[string]any{
		"@context": []any{schemas.ContextVC2},
		"id":       "data:application/vc+jwt," + token,
		"type":     "EnvelopedVerifiableCredential",
	}
}

func TestVerifyEnvelopedJWT(t *testing.T) {
	ts := startServer(t)
	token, err := ts.signer.Sign(credential(ts.did), issuer.SignOptions{Format: issuer.JWT})
	if err != nil {
		t.Fatal(err)
	}

	a := ts.verify(t, envelope(string(token)))
	if a.status != http.StatusOK || a.body["verified"] != true {
		t.Fatalf("status %d: %s", a.status, a.raw)
	}

	tampered := string(token[:len(token)-4]) + "AAAA"
	checkNotVerified(t, ts.verify(t, envelope(tampered)))

	other := envelope(string(token))
	other["id"] = strings.Replace(other["id"].(string), "vc+jwt", "vc+sd-jwt", 1)
	if a := ts.verify(t, other); !hasProblemCode(a, "structure.envelope") {
		t.Fatalf("sd-jwt envelope: %d %s", a.status, a.raw)
	}
}
