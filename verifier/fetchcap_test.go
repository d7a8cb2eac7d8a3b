package verifier_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/verifier"
)

// statusEntries names n status lists at distinct URLs of the issuer's site.
func (h *httpsIssuer) statusEntries(n int) []any {
	entries := make([]any, n)
	for i := range entries {
		list := fmt.Sprintf("%s/status/%d", h.srv.URL, i)
		entries[i] = map[string]any{
			"id": list + "#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
			"statusListIndex": "5", "statusListCredential": list,
		}
	}
	return entries
}

// A credential that names more documents than the fetch limit is stopped
// at the limit, promptly, with a report that says so; the server never
// sees more requests than the limit.
func TestFetchLimit(t *testing.T) {
	cases := []struct {
		name       string
		maxFetches int
		entries    int
		code       string
		says       string
	}{
		// The profile and 8 lists are 9 documents.
		{"default limit", 0, status.MaxEntries, "input.too_many_fetches",
			"more than 8 documents to fetch for one credential"},
		{"configured limit", 3, 6, "input.too_many_fetches", "more than 3 documents to fetch"},
		// More entries than the status checker reads: none is fetched.
		{"too many entries", 0, 12, "status.unknown", "12 status entries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHTTPSIssuer(t)
			h.site.set("/issuers/1", h.profile([]any{multikey(t, "#key-1", h.id, h.key)}, "#key-1"))
			v := h.verifier(t, verifier.Config{MaxFetches: tc.maxFetches})
			cred := h.credential(func(c map[string]any) { c["credentialStatus"] = h.statusEntries(tc.entries) })

			start := time.Now()
			r := verifyDoc(t, v, h.sign(t, cred, h.key, h.id+"#key-1"))
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("took %v", d)
			}
			wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", false)
			wantCheck(t, r, verifier.CheckStatus, verifier.Failed, tc.code, false)
			if msg := r.Check(verifier.CheckStatus).Message; !strings.Contains(msg, tc.says) {
				t.Fatalf("status message %q does not say %q", msg, tc.says)
			}
			limit := tc.maxFetches
			if limit == 0 {
				limit = verifier.DefaultMaxFetches
			}
			if n := h.srv.Requests(); n > limit {
				t.Fatalf("the server answered %d requests, limit %d", n, limit)
			}
		})
	}
}

// The limit stops key resolution and the binding check too, with the same
// code on the check it stopped.
func TestFetchLimitKeys(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{MaxFetches: 1})
	for _, path := range []string{"/keys/1", "/keys/2"} {
		doc := multikey(t, h.srv.URL+path, h.id, h.key)
		h.site.set(path, doc)
	}
	h.site.set("/issuers/1", h.profile(nil, h.srv.URL+"/keys/1", h.srv.URL+"/keys/2"))

	one := h.sign(t, h.credential(nil), h.key, h.srv.URL+"/keys/1")
	r := verifyDoc(t, v, one)
	wantCheck(t, r, verifier.CheckIssuer, verifier.Failed, "input.too_many_fetches", false)

	two := h.sign(t, one, h.key, h.srv.URL+"/keys/2")
	r = verifyDoc(t, v, two)
	wantCheck(t, r, verifier.CheckProof, verifier.Failed, "input.too_many_fetches", false)
	if msg := r.Check(verifier.CheckProof).Message; !strings.Contains(msg, "more than 1 documents") {
		t.Fatalf("proof message %q", msg)
	}
}

// Every verification counts afresh, and a URL asked for twice in one
// verification (the key's document and the issuer's profile) counts once.
func TestFetchLimitPerVerification(t *testing.T) {
	h := newHTTPSIssuer(t)
	h.site.set("/issuers/1", h.profile([]any{multikey(t, "#key-1", h.id, h.key)}, "#key-1"))
	v := h.verifier(t, verifier.Config{MaxFetches: 1})
	signed := h.sign(t, h.credential(nil), h.key, h.id+"#key-1")

	for i := range 3 {
		r := verifyDoc(t, v, signed)
		wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)
		if n := h.srv.Requests(); n != i+1 {
			t.Fatalf("verification %d: %d requests in all, want %d", i+1, n, i+1)
		}
	}
}

func TestNegativeFetchLimit(t *testing.T) {
	if _, err := verifier.New(verifier.Config{MaxFetches: -1}); err == nil {
		t.Fatal("a negative MaxFetches was accepted")
	}
}
