package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/status"
)

const officeURL = "https://badges.district.example"

// awardOne awards an achievement to the office's teacher and returns the
// credential.
func (o *officeServer) awardOne(t testing.TB) *issuer.Credential {
	t.Helper()
	ctx := context.Background()
	admin, err := o.office.Authenticate(o.tokens[issuer.RoleAdmin])
	if err != nil {
		t.Fatal(err)
	}
	teacher, err := o.office.Authenticate(o.tokens[issuer.RoleEarner])
	if err != nil {
		t.Fatal(err)
	}
	a, err := o.office.CreateAchievement(ctx, admin, issuer.AchievementInput{Name: "Coaching",
		Description: "Coaches colleagues.", Criteria: issuer.Criteria{Narrative: "Six cycles."}})
	if err != nil {
		t.Fatal(err)
	}
	cred, _, err := o.office.Award(ctx, admin, a.ID, issuer.Recipient{UserID: teacher.ID})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

// checker checks status entries by fetching their lists from the test
// server, as a verifier on the network would.
func (o *officeServer) checker(t testing.TB) *status.Checker {
	t.Helper()
	fetch := func(_ context.Context, url string) ([]byte, error) {
		a := o.get(t, strings.TrimPrefix(url, officeURL))
		if a.status != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d", url, a.status)
		}
		return a.raw, nil
	}
	c, err := status.New(status.Config{Fetch: fetch, Engine: o.engine, Resolver: o.office})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (o *officeServer) statusOf(t testing.TB, doc []byte) status.Status {
	t.Helper()
	var cred map[string]any
	if err := json.Unmarshal(doc, &cred); err != nil {
		t.Fatal(err)
	}
	got, reason := status.Summarize(o.checker(t).Check(context.Background(), cred))
	t.Log(reason)
	return got
}

// Issue, revoke, fetch the published list, see the bit set, and verify the
// credential as revoked.
func TestRevokeOverHTTP(t *testing.T) {
	o := startOffice(t)
	cred := o.awardOne(t)
	path := "/api/v1/credentials/" + strings.TrimPrefix(cred.ID, "urn:uuid:")
	if got := o.statusOf(t, cred.Document); got != status.Active {
		t.Fatalf("new credential %v", got)
	}

	want(t, o.call(t, "POST", path+"/revoke", issuer.RoleAdmin, map[string]any{}), http.StatusBadRequest)
	want(t, o.call(t, "POST", path+"/revoke", issuer.RoleReviewer, map[string]any{"reason": "x"}), http.StatusForbidden)
	a := want(t, o.call(t, "POST", path+"/revoke", issuer.RoleAdmin, map[string]any{"reason": "issued in error"}),
		http.StatusOK)
	if a.body["status"] != "revoked" || len(a.body["statusHistory"].([]any)) != 1 {
		t.Fatalf("revoke answered %s", a.raw)
	}
	want(t, o.call(t, "POST", path+"/reinstate", issuer.RoleAdmin, map[string]any{}), http.StatusConflict)

	list := o.get(t, "/status/default/revocation/1")
	if list.status != http.StatusOK || list.header.Get("Content-Type") != "application/vc+ld+json" ||
		list.header.Get("Cache-Control") != statusListCacheControl || list.header.Get("ETag") != `"1"` {
		t.Fatalf("list: %d %v", list.status, list.header)
	}
	bits, err := status.DecodeList(list.body["credentialSubject"].(map[string]any)["encodedList"].(string), 0)
	if err != nil {
		t.Fatal(err)
	}
	if set, _ := bits.Get(cred.Entries[0].Index); !set {
		t.Fatal("revocation bit not set in the published list")
	}
	if got := o.statusOf(t, cred.Document); got != status.Revoked {
		t.Fatalf("status %v, want revoked", got)
	}

	v := o.verify(t, json.RawMessage(cred.Document))
	if v.status != http.StatusBadRequest || !hasProblemCode(v, "status.revoked") {
		t.Fatalf("verify: %d %s", v.status, v.raw)
	}

	record := want(t, o.call(t, "GET", path, issuer.RoleAdmin, nil), http.StatusOK)
	history := record.body["statusHistory"].([]any)[0].(map[string]any)
	if record.body["status"] != "revoked" || history["reason"] != "issued in error" || history["action"] != "revoke" {
		t.Fatalf("record %s", record.raw)
	}
}

// The list answers conditional requests, and unknown lists are 404.
func TestStatusListCaching(t *testing.T) {
	o := startOffice(t)
	o.awardOne(t)

	req, _ := http.NewRequest(http.MethodGet, o.url+"/status/default/revocation/1", nil)
	req.Header.Set("If-None-Match", `"0"`)
	if a := o.do(t, req); a.status != http.StatusNotModified || a.header.Get("ETag") != `"0"` {
		t.Fatalf("conditional GET: %d %v", a.status, a.header)
	}
	for _, path := range []string{"/status/default/revocation/2", "/status/nobody/revocation/1",
		"/status/default/message/1"} {
		if a := o.get(t, path); a.status != http.StatusNotFound {
			t.Fatalf("%s: %d", path, a.status)
		}
	}
}

// The VC API: issue with options.credentialStatus, change the status by
// credential id, publish the list.
func TestVCAPIStatus(t *testing.T) {
	o := startOffice(t)
	o.token = o.tokens[issuer.RoleAdmin]
	signer, err := o.office.Signer(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	cred := credential(signer.Issuer())
	options := map[string]any{"credentialStatus": []any{
		map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
		map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"},
	}}
	issued := o.post(t, "/credentials/issue", map[string]any{"credential": cred, "options": options}, true)
	if issued.status != http.StatusCreated {
		t.Fatalf("issue: %d %s", issued.status, issued.raw)
	}
	vc, _ := json.Marshal(issued.body["verifiableCredential"])
	entries := issued.body["verifiableCredential"].(map[string]any)["credentialStatus"].([]any)
	listURL := entries[1].(map[string]any)["statusListCredential"].(string)

	steps := []struct {
		change map[string]any
		want   status.Status
	}{
		{map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension"}, status.Suspended},
		{map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "status": false}, status.Active},
		{map[string]any{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}, status.Revoked},
	}
	for _, step := range steps {
		body := map[string]any{"credentialId": cred["id"], "credentialStatus": step.change}
		if a := o.post(t, "/credentials/status", body, true); a.status != http.StatusOK {
			t.Fatalf("status %v: %d %s", step.change, a.status, a.raw)
		}
		if got := o.statusOf(t, vc); got != step.want {
			t.Fatalf("after %v: %v, want %v", step.change, got, step.want)
		}
	}

	publish := strings.TrimPrefix(listURL, officeURL) + "/publish"
	if a := o.post(t, publish, map[string]any{}, false); a.status != http.StatusUnauthorized {
		t.Fatalf("publish without a token: %d", a.status)
	}
	if a := o.post(t, publish, map[string]any{}, true); a.status != http.StatusNoContent {
		t.Fatalf("publish: %d %s", a.status, a.raw)
	}
	unknown := map[string]any{"credentialId": "urn:uuid:nope", "credentialStatus": steps[0].change}
	if a := o.post(t, "/credentials/status", unknown, true); a.status != http.StatusNotFound {
		t.Fatalf("unknown credential: %d", a.status)
	}
}

// The cost of publishing one status change: the change committed over the
// API, then the list re-signed and served. A suspension and a
// reinstatement alternate, so every round changes the bit.
func BenchmarkRevocationPublished(b *testing.B) {
	o := startOfficeWith(b, func(c *issuer.Config) {
		c.StatusPurposes = []string{status.PurposeRevocation, status.PurposeSuspension}
	})
	cred := o.awardOne(b)
	path := "/api/v1/credentials/" + strings.TrimPrefix(cred.ID, "urn:uuid:")
	list := strings.TrimPrefix(o.office.StatusListURL(cred.Entries[1].List), officeURL)

	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		action := [2]string{"/suspend", "/reinstate"}[i%2]
		if a := o.call(b, "POST", path+action, issuer.RoleAdmin, map[string]any{}); a.status != http.StatusOK {
			b.Fatalf("%s: %d %s", action, a.status, a.raw)
		}
		if a := o.get(b, list); a.status != http.StatusOK || a.header.Get("ETag") != fmt.Sprintf(`"%d"`, i+1) {
			b.Fatalf("list: %d %v", a.status, a.header)
		}
	}
}
