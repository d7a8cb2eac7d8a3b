package status_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/status"
)

// newEngine returns a proof engine over the pinned contexts.
func newEngine(t testing.TB) *proof.Engine {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatalf("canon.New: %v", err)
	}
	return proof.NewEngine(c)
}

// testResolver resolves did:key methods and, as the verifier's default
// resolver does, methods whose fragment is a Multikey
// (https://issuer.example/1#z6Mk...), with no controller.
func testResolver() proof.Resolver {
	return proof.ResolverFunc(func(_ context.Context, id string) (*keys.VerificationMethod, error) {
		if strings.HasPrefix(id, "did:key:") {
			return keys.ResolveDIDKey(id)
		}

		_, frag, ok := strings.Cut(id, "#")
		if !ok || !strings.HasPrefix(frag, "z") {
			return nil, fmt.Errorf("cannot resolve %s", id)
		}
		pub, err := keys.ParseMultikey(frag)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", id, err)
		}
		return &keys.VerificationMethod{ID: id, Type: keys.TypeMultikey, PublicKey: pub}, nil
	})
}

// docs is a Fetch that serves documents from a map: the dependency
// boundary where a real deployment reads its store or the network.
type docs map[string][]byte

func (d docs) fetch(_ context.Context, url string) ([]byte, error) {
	b, ok := d[url]
	if !ok {
		return nil, fmt.Errorf("no document at %s", url)
	}
	return b, nil
}

// newChecker returns a Checker fetching from d.
func newChecker(t testing.TB, engine *proof.Engine, d docs) *status.Checker {
	t.Helper()
	c, err := status.New(status.Config{Fetch: d.fetch, Engine: engine, Resolver: testResolver()})
	if err != nil {
		t.Fatalf("status.New: %v", err)
	}
	return c
}

// readTestdata returns the bytes of a file under testdata.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return b
}

// decode parses a JSON object.
func decode(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("decoding JSON: %v", err)
	}
	return doc
}

// newSigner returns an issuer signing with a fresh Ed25519 did:key.
func newSigner(t testing.TB, engine *proof.Engine) *issuer.Signer {
	t.Helper()
	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatalf("generating key: %v", err)
	}
	s, err := issuer.NewSigner(issuer.SignerConfig{Engine: engine, Key: key})
	if err != nil {
		t.Fatalf("issuer.NewSigner: %v", err)
	}
	return s
}

// publish builds and signs the list credential for list, as an issuer
// publishing it would.
func publish(t testing.TB, s *issuer.Signer, url, purpose string, list *status.List) []byte {
	t.Helper()
	cred, err := status.Credential(url, s.Issuer(), purpose, list, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatalf("status.Credential: %v", err)
	}
	return sign(t, s, cred)
}

// sign signs any credential document.
func sign(t testing.TB, s *issuer.Signer, cred map[string]any) []byte {
	t.Helper()
	signed, err := s.Sign(cred, issuer.SignOptions{})
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return signed
}

// newList returns a minimum-size list with the given bits set.
func newList(t testing.TB, set ...int) *status.List {
	t.Helper()
	l, err := status.NewList(status.MinBits)
	if err != nil {
		t.Fatalf("NewList: %v", err)
	}
	for _, i := range set {
		if err := l.Set(i, true); err != nil {
			t.Fatalf("Set(%d): %v", i, err)
		}
	}
	return l
}

// credentialWith returns a credential of issuerID carrying the entries as
// its credentialStatus (an array when there are several).
func credentialWith(issuerID string, entries ...map[string]any) map[string]any {
	cred := map[string]any{
		"id":     "urn:uuid:2f1b9c6e-5d1a-4c41-9d0c-0a1f6b7e8c90",
		"issuer": map[string]any{"id": issuerID, "type": []any{"Profile"}},
	}
	switch len(entries) {
	case 0:
	case 1:
		cred["credentialStatus"] = entries[0]
	default:
		list := make([]any, len(entries))
		for i, e := range entries {
			list[i] = e
		}
		cred["credentialStatus"] = list
	}
	return cred
}
