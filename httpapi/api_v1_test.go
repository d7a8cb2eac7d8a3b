package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/laurel-badges/laurel/internal/testkit"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/bake"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/verifier"
)

// officeServer is a server with a badge office on a real bbolt file.
type officeServer struct {
	*testServer
	office *issuer.Service
	tokens map[issuer.Role]string
}

func startOffice(t *testing.T) *officeServer {
	t.Helper()
	return startOfficeWith(t)
}

// startOfficeWith starts an office server; edit, when given, adjusts the
// office's Config.
func startOfficeWith(t testing.TB, edit ...func(*issuer.Config)) *officeServer {
	t.Helper()
	office := testkit.NewOffice(t, testkit.OfficeConfig{Configure: func(c *issuer.Config) {
		for _, e := range edit {
			e(c)
		}
	}}).Service

	sv, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	o := &officeServer{tokens: map[issuer.Role]string{}}
	o.testServer = startServer(t, func(c *Config) {
		c.Office, c.Signer, c.Authorizer = office, nil, OfficeAuthorizer{Office: office}
		// The office's credentials carry status entries: the verifier reads
		// their lists from the office, as laurel serve wires it.
		c.Verifier, err = verifier.New(verifier.Config{Canonicalizer: sv.canon, StatusFetch: office.FetchStatusList})
		if err != nil {
			t.Fatal(err)
		}
	})
	o.office = office

	ctx := context.Background()
	if _, _, err := office.EnsureIssuer(ctx, "", issuer.Profile{Name: "Maple Valley School District"}); err != nil {
		t.Fatal(err)
	}
	for _, role := range []issuer.Role{issuer.RoleAdmin, issuer.RoleReviewer, issuer.RoleEarner} {
		_, token, err := office.AddUser(ctx, string(role)+" person", string(role)+"@district.example", role)
		if err != nil {
			t.Fatal(err)
		}
		o.tokens[role] = token
	}
	return o
}

// call sends a JSON request as a role ("" for none).
func (o *officeServer) call(t testing.TB, method, path string, role issuer.Role, body any) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, o.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+o.tokens[role])
	}
	return o.do(t, req)
}

func want(t *testing.T, a answer, status int) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.raw)
	}
	return a
}

// The story of the issue, over HTTP: an administrator defines an
// achievement, a teacher submits, a reviewer returns it, the teacher
// resubmits, the reviewer approves; the published credential verifies
// and holds none of the private evidence.
func TestReviewStoryOverHTTP(t *testing.T) {
	o := startOffice(t)
	admin, reviewer, teacher := issuer.RoleAdmin, issuer.RoleReviewer, issuer.RoleEarner

	a := want(t, o.call(t, "POST", "/api/v1/achievements", admin, map[string]any{
		"name": "Formative Assessment in Practice", "description": "Uses formative assessment.",
		"criteria": map[string]any{"narrative": "Two lesson plans and a reflection."}, "creditsAvailable": 10,
	}), http.StatusCreated)
	achID := a.body["id"].(string)
	want(t, o.call(t, "POST", "/api/v1/achievements", teacher, map[string]any{"name": "x"}), http.StatusForbidden)

	evidence := []map[string]any{
		{"narrative": "My public reflection", "public": true},
		{"narrative": "SECRET-STUDENT-NOTE", "public": false},
	}
	sub := want(t, o.call(t, "POST", "/api/v1/submissions", teacher,
		map[string]any{"achievementId": achID, "evidence": evidence}), http.StatusCreated)
	subID := sub.body["id"].(string)

	queue := want(t, o.call(t, "GET", "/api/v1/queue", reviewer, nil), http.StatusOK)
	if n := len(queue.body["submissions"].([]any)); n != 1 {
		t.Fatalf("queue holds %d submissions", n)
	}
	want(t, o.call(t, "POST", "/api/v1/submissions/"+subID+"/return", reviewer, map[string]any{}), http.StatusBadRequest)
	want(t, o.call(t, "POST", "/api/v1/submissions/"+subID+"/return", reviewer,
		map[string]any{"comment": "Add student work."}), http.StatusOK)
	want(t, o.call(t, "POST", "/api/v1/submissions/"+subID+"/approve", reviewer, map[string]any{}), http.StatusConflict)
	want(t, o.call(t, "POST", "/api/v1/submissions/"+subID+"/resubmit", teacher,
		map[string]any{"evidence": evidence}), http.StatusOK)

	approved := want(t, o.call(t, "POST", "/api/v1/submissions/"+subID+"/approve", reviewer,
		map[string]any{"comment": "Well done"}), http.StatusOK)
	credURL := approved.body["url"].(string)

	published := want(t, o.get(t, strings.TrimPrefix(credURL, "https://badges.district.example")), http.StatusOK)
	if ct := published.header.Get("Content-Type"); ct != "application/vc+ld+json" {
		t.Fatalf("content type %q", ct)
	}
	if bytes.Contains(published.raw, []byte("SECRET-STUDENT-NOTE")) {
		t.Fatal("private evidence was published")
	}
	verified := o.verify(t, json.RawMessage(published.raw))
	if verified.status != http.StatusOK || verified.body["verified"] != true {
		t.Fatalf("published credential does not verify: %s", verified.raw)
	}
}

func TestAPIAuthAndErrors(t *testing.T) {
	o := startOffice(t)
	want(t, o.call(t, "GET", "/api/v1/me", "", nil), http.StatusUnauthorized)
	me := want(t, o.call(t, "GET", "/api/v1/me", issuer.RoleReviewer, nil), http.StatusOK)
	if me.body["role"] != "reviewer" {
		t.Fatalf("me: %s", me.raw)
	}

	bad := want(t, o.call(t, "POST", "/api/v1/achievements", issuer.RoleAdmin,
		map[string]any{"name": "x", "surprise": true}), http.StatusBadRequest)
	if bad.body["code"] != "request.malformed" {
		t.Fatalf("unknown field: %s", bad.raw)
	}
	invalid := want(t, o.call(t, "POST", "/api/v1/achievements", issuer.RoleAdmin,
		map[string]any{"name": "x"}), http.StatusBadRequest)
	if invalid.body["code"] != "input.invalid" {
		t.Fatalf("invalid achievement: %s", invalid.raw)
	}
	want(t, o.call(t, "GET", "/api/v1/submissions/sub_nope", issuer.RoleReviewer, nil), http.StatusNotFound)
	want(t, o.call(t, "GET", "/api/v1/audit", issuer.RoleEarner, nil), http.StatusForbidden)
	audit := want(t, o.call(t, "GET", "/api/v1/audit", issuer.RoleAdmin, nil), http.StatusOK)
	if len(audit.body["records"].([]any)) == 0 {
		t.Fatal("empty audit record")
	}

	doc := want(t, o.get(t, "/api/v1/openapi.json"), http.StatusOK)
	if doc.body["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %s", doc.raw[:min(200, len(doc.raw))])
	}
}

// VC API clients get an access token with the client credentials grant
// and issue with it.
func TestOAuthClientIssues(t *testing.T) {
	o := startOffice(t)
	c, secret, err := o.office.AddClient(context.Background(), "suite")
	if err != nil {
		t.Fatal(err)
	}

	form := url.Values{"grant_type": {"client_credentials"}}
	req, _ := http.NewRequest("POST", o.url+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.ID, secret+"wrong")
	if a := o.do(t, req); a.status != http.StatusUnauthorized || a.body["error"] != "invalid_client" {
		t.Fatalf("wrong secret: %d %s", a.status, a.raw)
	}

	req, _ = http.NewRequest("POST", o.url+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(c.ID, secret)
	tok := want(t, o.do(t, req), http.StatusOK)
	o.token = tok.body["access_token"].(string)

	signer, err := o.office.Signer(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	vc := o.issue(t, map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"issuer":            signer.Issuer(),
		"credentialSubject": map[string]any{"id": "did:example:teacher"},
	})
	if a := o.verify(t, vc); a.status != http.StatusOK {
		t.Fatalf("issued credential does not verify: %s", a.raw)
	}
}

// The public documents a credential links to are served.
func TestPublicDocuments(t *testing.T) {
	o := startOffice(t)
	a := want(t, o.call(t, "POST", "/api/v1/achievements", issuer.RoleAdmin, map[string]any{
		"name": "Inclusive Classrooms", "description": "UDL.", "criteria": map[string]any{"narrative": "A unit."},
	}), http.StatusCreated)
	id := a.body["id"].(string)

	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>`
	req, _ := http.NewRequest("PUT", o.url+"/api/v1/achievements/"+id+"/image", strings.NewReader(svg))
	req.Header.Set("Content-Type", "image/svg+xml")
	req.Header.Set("Authorization", "Bearer "+o.tokens[issuer.RoleAdmin])
	want(t, o.do(t, req), http.StatusOK)

	cred, _, err := o.office.Award(context.Background(), &issuer.User{ID: "t", Role: issuer.RoleAdmin}, id,
		issuer.Recipient{Email: "kim@district.example"})
	if err != nil {
		t.Fatal(err)
	}
	uuid := strings.TrimPrefix(cred.ID, "urn:uuid:")
	badge := want(t, o.get(t, "/credentials/"+uuid+"/badge.svg"), http.StatusOK)
	unbaked, err := bake.Unbake(badge.raw)
	if err != nil || !bytes.Equal(unbaked, cred.Document) {
		t.Fatalf("baked badge: %v", err)
	}
	want(t, o.get(t, "/credentials/"+uuid+"/badge.png"), http.StatusNotFound)

	img := want(t, o.get(t, "/achievements/"+id+"/image"), http.StatusOK)
	if string(img.raw) != svg {
		t.Fatal("image changed")
	}
	doc := want(t, o.get(t, "/achievements/"+id), http.StatusOK)
	if doc.body["name"] != "Inclusive Classrooms" || doc.body["@context"] == nil {
		t.Fatalf("achievement document: %s", doc.raw)
	}
	want(t, o.get(t, "/issuers/default"), http.StatusOK)
	want(t, o.get(t, "/.well-known/did.json"), http.StatusNotFound)
	want(t, o.get(t, "/credentials/00000000-0000-4000-8000-000000000000"), http.StatusNotFound)
	want(t, o.get(t, "/evidence/file_nothing"), http.StatusNotFound)
}
