package verifier_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

// A did:web issuer's key is resolved from its DID document over HTTPS, so
// the issuer binding passes; once the document no longer lists the key,
// the proof fails.
func TestDIDWebIssuer(t *testing.T) {
	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	published, fragment := key, "#key-1"
	var did string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/did.json" {
			http.NotFound(w, r)
			return
		}
		doc, err := keys.DIDWebDocument(did, []keys.VerificationMethod{
			{ID: did + fragment, Type: keys.TypeMultikey, Controller: did, PublicKey: published.Public()},
		})
		if err != nil {
			t.Error(err)
		}
		json.NewEncoder(w).Encode(doc)
	}))
	defer srv.Close()

	// did:web names a host, never an IP address; the test's fetch sends
	// localhost to the TLS test server, whose certificate is for 127.0.0.1.
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	did = fmt.Sprintf("did:web:localhost%%3A%d", port)
	fetch := func(ctx context.Context, u string) ([]byte, error) {
		u = strings.Replace(u, fmt.Sprintf("https://localhost:%d", port), srv.URL, 1)
		resp, err := srv.Client().Get(u)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}

	c, _ := canon.New(canon.Config{})
	signer, err := issuer.NewSigner(issuer.SignerConfig{Engine: proof.NewEngine(c), Key: key, VerificationMethod: did + "#key-1"})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := signer.Sign(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/credentials/v2"},
		"type":              []any{"VerifiableCredential"},
		"credentialSubject": map[string]any{"id": "did:example:teacher"},
	}, issuer.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}

	v, err := verifier.New(verifier.Config{Fetch: fetch})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), signed)
	if err != nil || !r.Valid || r.Check(verifier.CheckIssuer).Outcome != verifier.Passed {
		t.Fatalf("%v %+v", err, r.Checks)
	}

	// Laurel's fetch would cache the document; the test's fetch does not.
	fragment = "#key-2"
	r, err = v.Verify(context.Background(), signed)
	if err != nil || r.Valid || r.Check(verifier.CheckProof).Code != "proof.key_not_found" {
		t.Fatalf("key missing from the DID document: %v %+v", err, r.Checks)
	}
}
