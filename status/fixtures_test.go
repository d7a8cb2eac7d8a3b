package status_test

import (
	"context"
	"errors"
	"testing"

	"github.com/laurel-badges/laurel/status"
)

// checkOne checks cred and returns its single result.
func checkOne(t *testing.T, c *status.Checker, cred map[string]any) status.Result {
	t.Helper()
	results := c.Check(context.Background(), cred)
	if len(results) != 1 {
		t.Fatalf("got %d results, want 1: %+v", len(results), results)
	}
	return results[0]
}

// wantStatus fails unless r has status want and, for Unknown only, an
// error.
func wantStatus(t *testing.T, r status.Result, want status.Status) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %v, want %v (reason %q, err %v)", r.Status, want, r.Reason, r.Err)
	}
	if (r.Err != nil) != (want == status.Unknown) {
		t.Fatalf("status %v with err %v", r.Status, r.Err)
	}
	if r.Reason == "" {
		t.Fatal("no reason")
	}
	t.Logf("%v: %s", r.Status, r.Reason)
}

// A list published by another implementation, signed with its did:key.
func TestPeerStatusList(t *testing.T) {
	const listURL = "https://example.edu/status/revocation/1"
	c := newChecker(t, newEngine(t), docs{listURL: readTestdata(t, "status-list-1.json")})

	cases := []struct {
		file  string
		index int
		want  status.Status
	}{
		{"cred-status-revoked.json", 7, status.Revoked},
		{"cred-status-active.json", 3, status.Active},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := checkOne(t, c, decode(t, readTestdata(t, tc.file)))
			wantStatus(t, r, tc.want)
			if r.Index != tc.index || r.ListURL != listURL || r.Purpose != status.PurposeRevocation {
				t.Errorf("entry read as index %d, list %q, purpose %q", r.Index, r.ListURL, r.Purpose)
			}
		})
	}
}

// The 1EdTech validator's list, whose key sits in the verification method
// fragment and whose entry writes statusListIndex as a JSON number.
func TestValidatorStatusList(t *testing.T) {
	cred := decode(t, readTestdata(t, "validator-credential-status-bitstring-revoked.json"))
	entry := cred["credentialStatus"].(map[string]any)
	listURL := entry["statusListCredential"].(string)
	c := newChecker(t, newEngine(t), docs{listURL: readTestdata(t, "validator-bitstring-statuslist-credential.json")})

	r := checkOne(t, c, cred)
	wantStatus(t, r, status.Revoked)
	if r.Index != 23 {
		t.Errorf("index %d, want 23", r.Index)
	}
}

// The older OB 3.0 §9 method: the list names revoked credential ids.
func TestRevocationList(t *testing.T) {
	cred := decode(t, readTestdata(t, "validator-credential-status-1edtechrevocationlist.json"))
	entry := cred["credentialStatus"].(map[string]any)
	listURL := entry["id"].(string)
	issuerID := cred["issuer"].(map[string]any)["id"].(string)

	id := `"` + cred["id"].(string) + `"`
	cases := []struct {
		name string
		doc  string
		want status.Status
		err  error
	}{
		{"listed", `{"revokedCredentials":[{"id":` + id + `,"revocationReason":"error"}]}`, status.Revoked, nil},
		{"listed as string", `{"revokedCredentials":[` + id + `]}`, status.Revoked, nil},
		{"reinstated", `{"revokedCredentials":[{"id":` + id + `,"revoked":false}]}`, status.Active, nil},
		{"others listed", `{"issuer":"` + issuerID + `","revokedCredentials":["urn:uuid:x"]}`, status.Active, nil},
		{"no array", `{"revoked":[]}`, status.Unknown, status.ErrListInvalid},
		{"other issuer", `{"issuer":"did:x:y","revokedCredentials":[]}`, status.Unknown, status.ErrIssuerMismatch},
		{"not JSON", `<html>`, status.Unknown, status.ErrListInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(t, newEngine(t), docs{listURL: []byte(tc.doc)})
			r := checkOne(t, c, cred)
			wantStatus(t, r, tc.want)
			if tc.err != nil && !errors.Is(r.Err, tc.err) {
				t.Errorf("err %v, want %v", r.Err, tc.err)
			}
		})
	}
}
