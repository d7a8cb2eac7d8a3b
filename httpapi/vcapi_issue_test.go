package httpapi

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/laurel-badges/laurel/schemas"
)

const contextExamples = "https://www.w3.org/ns/credentials/examples/v2"

// issueCase is one line of VC-API.md §2: a request built from a valid
// credential by edit, and the answer it must get.
type issueCase struct {
	name string
	edit func(body, cred map[string]any)
	// status is 201 for the Accept list, 400 or 422 for the Reject list.
	status int
	// atSigning marks a rejection the request validation leaves to the
	// signing step: JSON-LD processing (undefined terms, invalid IRIs,
	// redefined protected terms) and the issuer binding.
	atSigning bool
	// code, when set, is the problem code the answer must carry.
	code string
	// notYetValid marks an accepted credential that the verifier then
	// reports as not yet valid.
	notYetValid bool
}

// credential is a valid VC 2.0 credential issued by did.
func credential(did string) map[string]any {
	return map[string]any{
		"@context":  []any{schemas.ContextVC2, contextExamples},
		"id":        "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
		"type":      []any{"VerifiableCredential", "ExampleDegreeCredential"},
		"issuer":    did,
		"validFrom": "2024-01-01T00:00:00Z",
		"credentialSubject": map[string]any{
			"id":     "did:example:ebfeb1f712ebc6f1c276e12ec21",
			"degree": map[string]any{"type": "ExampleBachelorDegree", "name": "Bachelor of Science and Arts"},
		},
	}
}

// toVC11 turns the credential into a VC Data Model 1.1 one, whose context
// has no @vocab: every term must be defined.
func toVC11(c map[string]any) {
	c["@context"] = []any{schemas.ContextVC1}
	c["type"] = []any{"VerifiableCredential"}
	c["issuanceDate"] = "2024-01-01T00:00:00Z"
	c["credentialSubject"] = map[string]any{"id": "did:example:ebfeb1f712ebc6f1c276e12ec21"}
	delete(c, "validFrom")
}

// edit changes a request body and the credential in it.
type edit func(body, cred map[string]any)

func set(name string, v any) edit {
	return func(_, c map[string]any) { c[name] = v }
}

func drop(name string) edit {
	return func(_, c map[string]any) { delete(c, name) }
}

func setIssuer(name string, v any) edit {
	return func(_, c map[string]any) { c["issuer"] = map[string]any{"id": c["issuer"], name: v} }
}

func setOptions(v any) edit {
	return func(b, _ map[string]any) { b["options"] = v }
}

// reject is a case the request validation refuses with 400.
func reject(name string, e edit) issueCase {
	return issueCase{name: name, status: http.StatusBadRequest, edit: e}
}

// refuseAtSigning is a case refused with status and code when signing.
func refuseAtSigning(name string, status int, code string, e edit) issueCase {
	return issueCase{name: name, status: status, atSigning: true, code: code, edit: e}
}

func accept(name string, e edit) issueCase {
	return issueCase{name: name, status: http.StatusCreated, edit: e}
}

type object = map[string]any

// issueCases covers every bullet of VC-API.md §2 "Reject" and "Accept".
func issueCases() []issueCase {
	cases := [][]issueCase{
		envelopeCases(), contextCases(), typeCases(), idAndIssuerCases(), subjectCases(),
		textCases(), dateCases(), entryCases(), relatedResourceCases(), refusalCases(), acceptCases(),
	}
	return slices.Concat(cases...)
}

// The body has no credential.
func envelopeCases() []issueCase {
	return []issueCase{
		reject("verifiableCredential instead of credential", func(b, c map[string]any) {
			b["verifiableCredential"] = c
			delete(b, "credential")
		}),
		reject("credential as a string", func(b, _ map[string]any) { b["credential"] = "{}" }),
		reject("unknown member", func(b, _ map[string]any) { b["extra"] = true }),
	}
}

func contextCases() []issueCase {
	unsafe := "contexts.unsafe"
	return []issueCase{
		reject("@context number", set("@context", 4)),
		reject("@context object", set("@context", object{})),
		reject("@context null", set("@context", nil)),
		reject("@context missing", drop("@context")),
		reject("@context holds a number", set("@context", []any{schemas.ContextVC2, 4})),
		reject("@context unloadable URL",
			set("@context", []any{schemas.ContextVC2, "https://example.org/unknown-context/v1"})),
		reject("@context not starting with the VC context",
			set("@context", []any{contextExamples, schemas.ContextVC2})),
		refuseAtSigning("protected term redefined", 400, unsafe, set("@context", []any{
			schemas.ContextVC2, contextExamples, object{"name": "https://example.org/vocab#name"}})),
	}
}

func typeCases() []issueCase {
	unsafe := "contexts.unsafe"
	return []issueCase{
		reject("type missing", drop("type")),
		reject("type a string", set("type", "VerifiableCredential")),
		reject("type holds a number", set("type", []any{"VerifiableCredential", 4})),
		reject("type lacks VerifiableCredential", set("type", []any{"ExampleDegreeCredential"})),
		refuseAtSigning("type undefined by the contexts", 400, unsafe, func(_, c map[string]any) {
			toVC11(c)
			c["type"] = []any{"VerifiableCredential", "UndefinedCredential"}
		}),
		refuseAtSigning("type maps to an invalid IRI", 400, unsafe,
			set("type", []any{"VerifiableCredential", "https://exa mple.org/Type"})),
	}
}

func idAndIssuerCases() []issueCase {
	return []issueCase{
		reject("id null", set("id", nil)),
		reject("id an array", set("id", []any{"urn:uuid:1"})),
		reject("id not a URL", set("id", "not a url")),

		reject("issuer missing", drop("issuer")),
		reject("issuer null", set("issuer", nil)),
		reject("issuer boolean", set("issuer", true)),
		reject("issuer number", set("issuer", 4)),
		reject("issuer array", func(_, c map[string]any) { c["issuer"] = []any{c["issuer"]} }),
		reject("issuer not a URL", set("issuer", "not a url")),
		reject("issuer object without id", set("issuer", object{"name": "School"})),
		reject("issuer id null", set("issuer", object{"id": nil})),
		reject("issuer id not a URL", set("issuer", object{"id": "not a url"})),
	}
}

func subjectCases() []issueCase {
	return []issueCase{
		reject("subject missing", drop("credentialSubject")),
		reject("subject string", set("credentialSubject", "did:example:1")),
		reject("subject number", set("credentialSubject", 4)),
		reject("subject null", set("credentialSubject", nil)),
		reject("subject empty array", set("credentialSubject", []any{})),
		reject("subject empty object", set("credentialSubject", object{})),
		reject("subject holds an empty object",
			set("credentialSubject", []any{object{"id": "did:example:1"}, object{}})),
		reject("subject id an array", set("credentialSubject", object{"id": []any{"did:example:1"}})),
		reject("subject id not a URL", set("credentialSubject", object{"id": "not a url"})),
		refuseAtSigning("subject undefined term", 400, "contexts.unsafe", func(_, c map[string]any) {
			toVC11(c)
			c["credentialSubject"] = object{"id": "did:example:1", "undefinedTerm": "x"}
		}),
	}
}

// name and description, of the credential and of the issuer.
func textCases() []issueCase {
	return []issueCase{
		reject("name a number", set("name", 4)),
		reject("name with a foreign member", set("name", object{"@value": "Degree", "@foo": "x"})),
		reject("name array of numbers", set("name", []any{4})),
		reject("description without @value", set("description", object{"@language": "en"})),
		reject("issuer name a number", setIssuer("name", 4)),
		reject("issuer description empty array", setIssuer("description", []any{})),
	}
}

func dateCases() []issueCase {
	return []issueCase{
		reject("validFrom without time zone", set("validFrom", "2024-01-01T00:00:00")),
		reject("validFrom a date only", set("validFrom", "2024-01-01")),
		reject("validUntil impossible month", set("validUntil", "2024-13-01T00:00:00Z")),
		reject("validFrom after validUntil", set("validUntil", "2023-01-01T00:00:00Z")),
		reject("VC 1.1 without issuanceDate", func(_, c map[string]any) {
			toVC11(c)
			delete(c, "issuanceDate")
		}),
		reject("VC 1.1 issuanceDate without time zone", func(_, c map[string]any) {
			toVC11(c)
			c["issuanceDate"] = "2024-01-01T00:00:00"
		}),
	}
}

// credentialStatus, termsOfUse, evidence, refreshService, credentialSchema.
func entryCases() []issueCase {
	return []issueCase{
		reject("credentialStatus without type", set("credentialStatus", object{"id": "https://example.org/s/1"})),
		reject("termsOfUse without type", set("termsOfUse", []any{object{"id": "https://example.org/tou"}})),
		reject("evidence without type", set("evidence", object{"name": "essay"})),
		reject("refreshService without type", set("refreshService", object{"id": "https://example.org/r"})),
		reject("credentialSchema without type",
			set("credentialSchema", object{"id": "https://example.org/s.json"})),
		reject("credentialSchema without id", set("credentialSchema", object{"type": "JsonSchema"})),
		reject("credentialSchema a string", set("credentialSchema", "https://example.org/s.json")),
		reject("evidence id not a URL", set("evidence", object{"id": "not a url", "type": "ExampleEvidence"})),
		reject("termsOfUse id an array", set("termsOfUse", object{
			"id": []any{"https://example.org/a", "https://example.org/b"}, "type": "ExamplePolicy"})),
		reject("status index a number", set("credentialStatus", object{
			"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": 42,
			"statusListCredential": "https://example.org/status/1"})),
	}
}

// Well-formed digests: Subresource Integrity and multibase.
const (
	sri       = "sha384-ZWNkZjM3ZmQ1NzA3ZjBhZDYzYWE1ZGY1ZTgxM2U5ZmE2NTlmZjM2OGE5NTM1MzE5"
	multibase = "uEiBZlVztZpfWHgPyslVv6-UwirFoQoRvW1htfx963sknNA"
)

func relatedResourceCases() []issueCase {
	r := "https://example.org/r"
	return []issueCase{
		reject("relatedResource a string", set("relatedResource", r)),
		reject("relatedResource empty", set("relatedResource", []any{})),
		reject("relatedResource entry without id", set("relatedResource", []any{object{"digestSRI": sri}})),
		reject("relatedResource ids repeat", set("relatedResource", []any{
			object{"id": r, "digestSRI": sri}, object{"id": r, "digestMultibase": multibase}})),
		reject("relatedResource entry without digest", set("relatedResource", []any{object{"id": r}})),
		reject("relatedResource malformed digestSRI",
			set("relatedResource", []any{object{"id": r, "digestSRI": "md5-abc"}})),
	}
}

// Laurel's own refusals: options, a foreign issuer, a signed credential.
func refusalCases() []issueCase {
	unprocessable := http.StatusUnprocessableEntity
	return []issueCase{
		refuseAtSigning("options.credentialStatus without status lists", unprocessable, "option.unsupported",
			setOptions(object{"credentialStatus": object{"type": "BitstringStatusListEntry"}})),
		{name: "options.credentialStatus of another type", status: unprocessable, edit: setOptions(object{"credentialStatus": object{
			"type": "StatusList2021Entry"}})},
		{name: "options.credentialStatus for messages", status: unprocessable, edit: setOptions(object{"credentialStatus": object{
			"type": "BitstringStatusListEntry", "statusPurpose": "message"}})},
		{name: "unknown option", status: unprocessable, edit: setOptions(object{"mandatoryPointers": []any{}})},
		reject("options a string", setOptions("none")),
		refuseAtSigning("issuer is not this signer", unprocessable, "issuer.mismatch",
			set("issuer", "did:example:someone-else")),
		reject("already signed", set("proof", object{"type": "DataIntegrityProof"})),
	}
}

func acceptCases() []issueCase {
	return []issueCase{
		accept("VC 2.0", func(_, _ map[string]any) {}),
		accept("empty options", setOptions(object{})),
		accept("VC 1.1", func(_, c map[string]any) { toVC11(c) }),
		accept("VC 1.1 with expirationDate", func(_, c map[string]any) {
			toVC11(c)
			c["expirationDate"] = "2099-01-01T00:00:00Z"
		}),
		accept("issuer object", setIssuer("name", "Example School District")),
		accept("multiple subjects", set("credentialSubject", []any{
			object{"id": "did:example:1", "name": "Ada"}, object{"id": "did:example:2", "name": "Grace"}})),
		accept("credentialSchema array", set("credentialSchema", []any{
			object{"id": "https://example.org/schemas/degree.json", "type": "JsonSchema"},
			object{"id": "https://example.org/schemas/alumni.json", "type": "JsonSchema"},
		})),
		accept("termsOfUse, evidence and refreshService with types", func(_, c map[string]any) {
			c["termsOfUse"] = object{"type": "ExampleTermsOfUse", "id": "https://example.org/tou/1"}
			c["evidence"] = []any{object{"type": "ExampleEvidence", "name": "final essay"}}
			c["refreshService"] = object{"type": "ExampleRefreshService", "id": "https://example.org/refresh"}
		}),
		{name: "validFrom far in the future", status: http.StatusCreated, notYetValid: true,
			edit: set("validFrom", "2999-01-01T00:00:00Z")},
		accept("validity with offsets and fractions", func(_, c map[string]any) {
			c["validFrom"] = "2024-01-01T09:30:00.123+02:00"
			c["validUntil"] = "2099-01-01T00:00:00-05:00"
		}),
		accept("inline @context object", func(_, c map[string]any) {
			inline := object{"favoriteColor": "https://example.org/vocab#favoriteColor"}
			c["@context"] = []any{schemas.ContextVC2, inline}
			c["type"] = []any{"VerifiableCredential"}
			c["credentialSubject"] = object{"id": "did:example:1", "favoriteColor": "green"}
		}),
		accept("extra type URL", set("type", []any{"VerifiableCredential", "https://example.org/types#Alumni"})),
		accept("language values", set("name", []any{
			object{"@value": "Degree", "@language": "en"},
			object{"@value": "Diplôme", "@language": "fr", "@direction": "ltr"},
		})),
		accept("relatedResource with digests", set("relatedResource", []any{
			object{"id": "https://example.org/logo.png", "digestSRI": sri},
			object{"id": "https://example.org/terms", "digestMultibase": multibase},
		})),
		accept("BitstringStatusListEntry given by the client", set("credentialStatus", object{
			"id": "https://example.org/status/1#42", "type": "BitstringStatusListEntry",
			"statusPurpose": "revocation", "statusListIndex": "42",
			"statusListCredential": "https://example.org/status/1"})),
	}
}

// issueBody builds the request body of a case.
func issueBody(t testing.TB, c issueCase, did string) map[string]any {
	t.Helper()
	cred := credential(did)
	body := map[string]any{"credential": cred}
	c.edit(body, cred)
	return clone(t, body)
}

// The validation alone refuses every static Reject case with the right
// status, and lets the Accept cases and the JSON-LD cases through.
func TestValidateIssueRequest(t *testing.T) {
	const did = "did:key:z6MkieQqLVhDpiPaHdPBq9RqX8f9eNESZjCdUMeSTpAdXFKC"
	for _, c := range issueCases() {
		t.Run(c.name, func(t *testing.T) {
			_, err := validateIssueRequest(issueBody(t, c, did))
			if c.status == http.StatusCreated || c.atSigning {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if got := statusOf(err); got != c.status {
				t.Fatalf("status %d, want %d (%v)", got, c.status, err)
			}
		})
	}
}

// Over HTTP every case gets its status; an issued credential verifies.
func TestIssueEndpoint(t *testing.T) {
	ts := startServer(t)
	for _, c := range issueCases() {
		t.Run(c.name, func(t *testing.T) {
			a := ts.post(t, "/credentials/issue", issueBody(t, c, ts.did), true)
			if a.status != c.status {
				t.Fatalf("status %d, want %d: %s", a.status, c.status, a.raw)
			}
			if c.status != http.StatusCreated {
				requireProblem(t, a)
				if c.code != "" && a.body["code"] != c.code {
					t.Fatalf("code %v, want %s: %s", a.body["code"], c.code, a.raw)
				}
				return
			}
			checkIssued(t, ts, a, c)
		})
	}
}

// checkIssued requires a signed credential that keeps the input's context
// order and verifies (or, for a future validFrom, fails only on dates).
func checkIssued(t *testing.T, ts *testServer, a answer, c issueCase) {
	t.Helper()
	vc, _ := a.body["verifiableCredential"].(map[string]any)
	proof, _ := vc["proof"].(map[string]any)
	if proof["cryptosuite"] != "eddsa-rdfc-2022" || proof["proofPurpose"] != "assertionMethod" {
		t.Fatalf("unexpected proof %v", proof)
	}
	ctx, _ := vc["@context"].([]any)
	if ctx[0] == schemas.ContextVC1 && ctx[len(ctx)-1] != schemas.ContextDataIntegrityV2 {
		t.Fatalf("VC 1.1 result lacks the Data Integrity context: %v", ctx)
	}

	v := ts.verify(t, vc)
	switch {
	case c.notYetValid:
		onlyDates := hasProblemCode(v, "dates.not_yet_valid") && len(problems(v)) == 1
		if v.status != http.StatusBadRequest || !onlyDates {
			t.Fatalf("want only dates.not_yet_valid, got %d: %s", v.status, v.raw)
		}
	case c.name == "BitstringStatusListEntry given by the client":
		// The client's list at example.org cannot be fetched, so the
		// status is unknown, and that is all that fails.
		onlyStatus := hasProblemCode(v, "status.unknown") && len(problems(v)) == 1
		if v.status != http.StatusBadRequest || !onlyStatus {
			t.Fatalf("want only status.unknown, got %d: %s", v.status, v.raw)
		}
	case v.status != http.StatusOK || v.body["verified"] != true:
		t.Fatalf("issued credential does not verify: %d %s", v.status, v.raw)
	}
}

func TestIssueAuthorization(t *testing.T) {
	ts := startServer(t)
	body := map[string]any{"credential": credential(ts.did)}

	a := ts.post(t, "/credentials/issue", body, false)
	if a.status != http.StatusUnauthorized || a.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("no token: %d %v", a.status, a.header)
	}
	requireProblem(t, a)

	// A client without access learns nothing about its input.
	if a := ts.post(t, "/credentials/issue", []byte("not json"), false); a.status != http.StatusUnauthorized {
		t.Fatalf("malformed, no token: %d", a.status)
	}

	ts.token = "wrong-" + ts.token
	if a := ts.post(t, "/credentials/issue", body, true); a.status != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", a.status)
	}
}

func TestIssueForbiddenWithoutScope(t *testing.T) {
	token := "verify-only-token-0123456789abcdefghij"
	grant := TokenGrant{Token: token, Principal: Principal{ID: "reader"}, Scopes: []string{"other"}}
	auth, err := NewBearerTokens(grant)
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, func(c *Config) { c.Authorizer = auth })
	ts.token = token

	a := ts.post(t, "/credentials/issue", map[string]any{"credential": credential(ts.did)}, true)
	if a.status != http.StatusForbidden {
		t.Fatalf("status %d, want 403: %s", a.status, a.raw)
	}
}

func TestIssueWithoutAuthorizerRefusesEveryone(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.Authorizer = nil })
	a := ts.post(t, "/credentials/issue", map[string]any{"credential": credential(ts.did)}, true)
	if a.status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", a.status)
	}
}

func TestIssueWithoutSigner(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.Signer = nil })
	a := ts.post(t, "/credentials/issue", map[string]any{"credential": credential(ts.did)}, true)
	if a.status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", a.status)
	}
	requireProblem(t, a)
}

func TestIssueCountsCredentials(t *testing.T) {
	ts := startServer(t)
	ts.issue(t, credential(ts.did))
	if got := ts.server.Metrics().Counter("laurel_credentials_issued_total", "").Value(); got != 1 {
		t.Fatalf("issued counter %d, want 1", got)
	}
}

func TestBearerTokensRefuseWeakGrants(t *testing.T) {
	cases := map[string]TokenGrant{
		"short token":  {Token: "short", Principal: Principal{ID: "x"}},
		"no principal": {Token: "0123456789abcdef0123456789abcdef"},
	}
	for name, g := range cases {
		if _, err := NewBearerTokens(g); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// requireProblem requires an RFC 9457 problem answer with a stable code.
func requireProblem(t *testing.T, a answer) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q: %s", ct, a.raw)
	}
	code, _ := a.body["code"].(string)
	if code == "" || a.body["type"] != ProblemTypeBase+code || a.body["title"] == "" ||
		a.body["status"] != float64(a.status) {
		t.Fatalf("not a problem answer: %s", a.raw)
	}
}

func TestClassifyUnknownIsInternal(t *testing.T) {
	if got := statusOf(errors.New("boom")); got != http.StatusInternalServerError {
		t.Fatalf("status %d", got)
	}
}
