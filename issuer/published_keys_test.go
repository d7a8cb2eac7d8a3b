package issuer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/verifier"
)

const officeDID = "did:web:badges.district.example"

// didWebSite serves the office's DID document, as it stands at each
// request, from a TLS test server on 127.0.0.1, and returns a fetch that
// sends the DID's host there.
func didWebSite(t *testing.T, svc *issuer.Service) verifier.Fetch {
	t.Helper()
	srv := testkit.NewTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, err := svc.DIDDocument(issuer.DefaultIssuerID)
		if r.URL.Path != "/.well-known/did.json" || err != nil {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(doc)
	}))
	fetch := srv.Fetch(t)
	return func(ctx context.Context, url string) ([]byte, error) {
		return fetch(ctx, strings.Replace(url, "https://badges.district.example", srv.URL, 1))
	}
}

// wantEveryMethodAsserts parses a document Laurel publishes as a verifier
// would and requires every method, count of them, to be listed under
// assertionMethod and authentication.
func wantEveryMethodAsserts(t *testing.T, doc map[string]any, did string, count int) {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	methods, err := keys.ParseDIDDocument(data, did)
	if err != nil || len(methods) != count {
		t.Fatalf("parsed %d methods, want %d: %v", len(methods), count, err)
	}
	for _, m := range methods {
		if m.Relationships != keys.AllRelationships() {
			t.Errorf("%s: relationships %+v, want assertionMethod and authentication", m.ID, m.Relationships)
		}
	}
}

// Every key a did:web issuer has had, retired ones and its VC-JWT key
// included, stays under assertionMethod in the DID document it publishes,
// so a verifier reading that document over HTTPS still accepts the
// credentials a retired key signed.
func TestRetiredKeysStayAssertionMethods(t *testing.T) {
	ctx := context.Background()
	o := newDIDWebOffice(t)
	svc := o.svc
	a, _ := svc.CreateAchievement(ctx, o.admin, achievementInput())
	var signed [][]byte
	award := func(email string) {
		cred, _, err := svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Email: email})
		if err != nil {
			t.Fatal(err)
		}
		signed = append(signed, cred.Document)
	}

	award("one@district.example")
	for _, email := range []string{"two@district.example", "three@district.example"} {
		if _, err := svc.RotateKey(ctx, o.admin, issuer.DefaultIssuerID); err != nil {
			t.Fatal(err)
		}
		award(email)
	}
	if _, err := svc.EnableJWT(ctx, o.admin, issuer.DefaultIssuerID); err != nil {
		t.Fatal(err)
	}

	doc, err := svc.DIDDocument(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	// Three Data Integrity keys in two forms each, and the VC-JWT key.
	wantEveryMethodAsserts(t, doc, officeDID, 7)

	v, err := verifier.New(verifier.Config{Fetch: didWebSite(t, svc), StatusFetch: svc.FetchStatusList})
	if err != nil {
		t.Fatal(err)
	}
	for i, cred := range signed {
		r, err := v.Verify(ctx, cred)
		if err != nil || !r.Valid || r.Check(verifier.CheckProof).Outcome != verifier.Passed ||
			r.Check(verifier.CheckIssuer).Outcome != verifier.Passed {
			t.Fatalf("credential %d: %v %+v", i, err, r.Checks)
		}
	}
}

// A did:key issuer's derived document lists its one key under both
// relationships, as every did:key resolver derives it.
func TestDIDKeyDocumentAsserts(t *testing.T) {
	o := newOffice(t, t.TempDir())
	iss, err := o.svc.Issuer(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := o.svc.ResolvedDIDDocument(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	wantEveryMethodAsserts(t, doc, iss.DID, 1)
}
