package verifier_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/vcjwt"
	"github.com/laurel-badges/laurel/verifier"
)

// site serves JSON documents by path; tests change them as they go.
type site struct {
	mu   sync.Mutex
	docs map[string]any
}

// set serves doc at path; nil stops serving it (404).
func (s *site) set(path string, doc any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if doc == nil {
		delete(s.docs, path)
		return
	}
	s.docs[path] = doc
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	doc, ok := s.docs[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json")
	json.NewEncoder(w).Encode(doc)
}

// httpsIssuer is an issuer whose id is an https URL, its profile and key
// documents served by a TLS test server, and a verifier that fetches from
// it through Laurel's safe client.
type httpsIssuer struct {
	srv    *testkit.Server
	site   *site
	id     string
	key    *keys.Key
	canon  *canon.Canonicalizer
	engine *proof.Engine
	fetch  verifier.Fetch
}

func newHTTPSIssuer(t *testing.T) *httpsIssuer {
	t.Helper()
	s := &site{docs: map[string]any{}}
	srv := testkit.NewTLSServer(t, s)
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return &httpsIssuer{srv: srv, site: s, id: srv.URL + "/issuers/1", key: newKey(t),
		canon: c, engine: proof.NewEngine(c), fetch: srv.Fetch(t)}
}

func newKey(t *testing.T) *keys.Key {
	t.Helper()
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// verifier returns a verifier fetching from the issuer's site.
func (h *httpsIssuer) verifier(t *testing.T, cfg verifier.Config) *verifier.Verifier {
	t.Helper()
	cfg.Fetch, cfg.Canonicalizer = h.fetch, h.canon
	v, err := verifier.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// credential is an unsigned credential from the issuer; edit may change it.
func (h *httpsIssuer) credential(edit func(map[string]any)) map[string]any {
	cred := map[string]any{
		"@context":          []any{schemas.ContextVC2},
		"type":              []any{"VerifiableCredential"},
		"issuer":            map[string]any{"id": h.id, "name": "North District"},
		"credentialSubject": map[string]any{"id": "did:example:teacher"},
	}
	if edit != nil {
		edit(cred)
	}
	return cred
}

// sign adds an eddsa-rdfc-2022 proof made with key under the verification
// method vm.
func (h *httpsIssuer) sign(t *testing.T, doc map[string]any, key *keys.Key, vm string) map[string]any {
	t.Helper()
	signed, err := h.engine.Sign(doc, key, proof.Options{Suite: "eddsa-rdfc-2022", VerificationMethod: vm})
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// profile is the issuer's Profile publishing methods; assertion, when
// given, is its assertionMethod.
func (h *httpsIssuer) profile(methods []any, assertion ...any) map[string]any {
	p := map[string]any{
		"@context": []any{schemas.ContextVC2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":       h.id, "type": []any{"Profile"}, "name": "North District",
	}
	if methods != nil {
		p["verificationMethod"] = methods
	}
	if assertion != nil {
		p["assertionMethod"] = assertion
	}
	return p
}

// multikey is a Multikey verification method for k.
func multikey(t *testing.T, id, controller string, k *keys.Key) map[string]any {
	t.Helper()
	mk, err := keys.Multikey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{"id": id, "type": keys.TypeMultikey, "publicKeyMultibase": mk}
	if controller != "" {
		m["controller"] = controller
	}
	return m
}

// fragmentVM is the 1EdTech validator's form: the key in the fragment.
func fragmentVM(t *testing.T, base string, k *keys.Key) string {
	t.Helper()
	mk, err := keys.Multikey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	return base + "#" + mk
}

func verifyDoc(t *testing.T, v *verifier.Verifier, doc map[string]any) *verifier.Report {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wantCheck fails the test unless the report's named check has outcome
// and code, and the verdict is valid.
func wantCheck(t *testing.T, r *verifier.Report, name string, outcome verifier.Outcome, code string, valid bool) {
	t.Helper()
	c := r.Check(name)
	if c == nil || c.Outcome != outcome || c.Code != code || r.Valid != valid {
		t.Fatalf("%s: %+v, want %s %q, valid %v; report %+v", name, c, outcome, code, valid, r.Checks)
	}
}

// An issuer whose id is an https URL vouches for its keys in the Profile
// it serves there: a key it lists binds, a key it does not list fails,
// and without a readable profile the key stays unconfirmed, as before.
func TestHTTPSIssuerProfile(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	jwk, err := keys.PublicJWKJSON(h.key.Public(), "")
	if err != nil {
		t.Fatal(err)
	}
	other := newKey(t)
	inFragment := fragmentVM(t, h.id, h.key)

	cases := []struct {
		name    string
		vm      string
		profile map[string]any
		outcome verifier.Outcome
		code    string
		valid   bool
	}{
		{"listed", h.id + "#key-1", h.profile([]any{multikey(t, "#key-1", h.id, h.key)}, "#key-1"),
			verifier.Passed, "", true},
		{"listed without controller", h.id + "#key-1",
			h.profile([]any{multikey(t, h.id+"#key-1", "", h.key)}, h.id+"#key-1"),
			verifier.Passed, "", true},
		{"embedded in assertionMethod", h.id + "#key-1", h.profile(nil, multikey(t, "#key-1", h.id, h.key)),
			verifier.Passed, "", true},
		{"listed as JsonWebKey2020", h.id + "#jwk", h.profile([]any{map[string]any{
			"id": "#jwk", "type": "JsonWebKey2020", "controller": h.id, "publicKeyJwk": json.RawMessage(jwk)}},
			"#jwk"),
			verifier.Passed, "", true},
		{"fragment key listed by reference", inFragment, h.profile(nil, inFragment),
			verifier.Passed, "", true},
		{"fragment key not listed", inFragment, h.profile([]any{multikey(t, "#key-1", h.id, other)}),
			verifier.Failed, "issuer.key_not_listed", false},
		{"controller mismatch", h.id + "#key-1",
			h.profile([]any{multikey(t, "#key-1", "https://other.example/issuers/9", h.key)}),
			verifier.Failed, "issuer.mismatch", false},
		{"profile unreachable", inFragment, nil, verifier.Warning, "issuer.unconfirmed", true},
		{"profile without keys", inFragment, h.profile(nil), verifier.Warning, "issuer.unconfirmed", true},
		{"profile not json", inFragment, map[string]any{"id": "elsewhere"}, verifier.Warning, "issuer.unconfirmed", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.site.set("/issuers/1", tc.profile)
			r := verifyDoc(t, v, h.sign(t, h.credential(nil), h.key, tc.vm))
			wantCheck(t, r, verifier.CheckProof, verifier.Passed, "", tc.valid)
			wantCheck(t, r, verifier.CheckIssuer, tc.outcome, tc.code, tc.valid)
		})
	}
}

// A key the profile does not list under the method's id cannot be found at
// all, so the proof fails before the binding is looked at.
func TestHTTPSIssuerKeyMissing(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	h.site.set("/issuers/1", h.profile([]any{multikey(t, "#key-2", h.id, h.key)}))

	r := verifyDoc(t, v, h.sign(t, h.credential(nil), h.key, h.id+"#key-1"))
	wantCheck(t, r, verifier.CheckProof, verifier.Failed, "proof.key_not_found", false)
}

// A VC-JWT whose kid is a key of an https issuer's profile binds the same way.
func TestHTTPSIssuerJWT(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	h.site.set("/issuers/1", h.profile([]any{multikey(t, "#key-1", h.id, h.key)}, "#key-1"))

	r := h.verifyJWT(t, v)
	wantCheck(t, r, verifier.CheckIssuer, verifier.Passed, "", true)
}

// verifyJWT verifies a VC-JWT of a credential the issuer signed with its
// key, #key-1 of its profile.
func (h *httpsIssuer) verifyJWT(t *testing.T, v *verifier.Verifier) *verifier.Report {
	t.Helper()
	token, err := vcjwt.Sign(h.credential(nil), h.key, h.id+"#key-1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), []byte(token))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A VC-JWT's key, like a Data Integrity proof's, must be one the issuer's
// profile lists under assertionMethod.
func TestHTTPSIssuerJWTPurpose(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	h.site.set("/issuers/1", h.profile([]any{multikey(t, "#key-1", h.id, h.key)}))

	r := h.verifyJWT(t, v)
	wantCheck(t, r, verifier.CheckProof, verifier.Failed, "proof.purpose_not_authorized", false)
}

// A key document at a URL of its own (OB 3.0 §8.5) only claims its
// controller: the claim binds once the issuer's profile lists the key, and
// is never taken on its own word, not even for a DID issuer.
func TestHTTPSKeyDocument(t *testing.T) {
	h := newHTTPSIssuer(t)
	v := h.verifier(t, verifier.Config{})
	keyURL := h.srv.URL + "/keys/1"
	keyDoc := multikey(t, keyURL, h.id, h.key)
	keyDoc["@context"] = []any{"https://w3id.org/security/multikey/v1"}
	h.site.set("/keys/1", keyDoc)
	signed := h.sign(t, h.credential(nil), h.key, keyURL)

	cases := []struct {
		name    string
		profile map[string]any
		outcome verifier.Outcome
		code    string
		valid   bool
	}{
		{"listed by reference", h.profile(nil, keyURL), verifier.Passed, "", true},
		{"embedded in the profile", h.profile([]any{multikey(t, keyURL, h.id, h.key)}), verifier.Passed, "", true},
		{"not listed", h.profile([]any{multikey(t, "#key-9", h.id, newKey(t))}),
			verifier.Failed, "issuer.key_not_listed", false},
		{"profile unreachable", nil, verifier.Warning, "issuer.unconfirmed", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.site.set("/issuers/1", tc.profile)
			wantCheck(t, verifyDoc(t, v, signed), verifier.CheckIssuer, tc.outcome, tc.code, tc.valid)
		})
	}

	t.Run("claimed by a DID issuer", func(t *testing.T) {
		const did = "did:web:district.example"
		keyDoc["controller"] = did
		h.site.set("/keys/1", keyDoc)
		cred := h.credential(func(c map[string]any) { c["issuer"] = did })
		r := verifyDoc(t, v, h.sign(t, cred, h.key, keyURL))
		wantCheck(t, r, verifier.CheckIssuer, verifier.Warning, "issuer.unconfirmed", true)
		if !strings.Contains(r.Check(verifier.CheckIssuer).Message, "could not confirm") {
			t.Fatalf("%+v", r.Check(verifier.CheckIssuer))
		}
	})
}

// The resolver gives an https method a controller only when the document
// it was read from is the controller's own: status lists and holder checks
// take a method's controller at its word.
func TestHTTPSResolverControllers(t *testing.T) {
	h := newHTTPSIssuer(t)
	keyURL := h.srv.URL + "/keys/1"
	h.site.set("/keys/1", multikey(t, keyURL, h.id, h.key))
	h.site.set("/issuers/1", h.profile([]any{
		multikey(t, "#key-1", h.id, h.key), multikey(t, "#key-2", "did:web:other.example", h.key)}))

	want := map[string]string{keyURL: "", h.id + "#key-1": h.id, h.id + "#key-2": ""}
	resolver := verifier.NewResolver(h.fetch)
	for id, controller := range want {
		m, err := resolver.Resolve(context.Background(), id)
		if err != nil || m.Controller != controller || m.PublicKey == nil {
			t.Errorf("%s: %+v %v, want controller %q", id, m, err, controller)
		}
	}
}
