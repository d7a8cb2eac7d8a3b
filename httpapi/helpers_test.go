package httpapi

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

const peer = "../../shared/fixtures/peer-eddsa"

// testServer is a real Server behind a real HTTP listener on 127.0.0.1,
// with a fresh Ed25519 issuer key and a bearer token allowed to issue.
type testServer struct {
	url    string
	client *http.Client
	token  string
	key    *keys.Key
	did    string
	signer *issuer.Signer
	engine *proof.Engine
	server *Server
	logs   *testkit.Buffer
}

// startServer starts a server; edit, when given, adjusts its Config.
func startServer(t testing.TB, edit ...func(*Config)) *testServer {
	t.Helper()
	ts := &testServer{logs: &testkit.Buffer{}, token: rand.Text() + rand.Text()}

	sv, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	ts.engine = proof.NewEngine(sv.canon)
	ts.key, ts.did = newKey(t)
	if ts.signer, err = issuer.NewSigner(issuer.SignerConfig{Engine: ts.engine, Key: ts.key}); err != nil {
		t.Fatal(err)
	}
	grant := TokenGrant{Token: ts.token, Principal: Principal{ID: "suite"}, Scopes: []string{ScopeIssue}}
	auth, err := NewBearerTokens(grant)
	if err != nil {
		t.Fatal(err)
	}

	cfg := Config{
		Signer:     ts.signer,
		Verifier:   sv.verifier,
		Authorizer: auth,
		Logger:     slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, e := range edit {
		e(&cfg)
	}
	if ts.server, err = New(cfg); err != nil {
		t.Fatal(err)
	}

	hs := httptest.NewServer(ts.server.Handler())
	t.Cleanup(hs.Close)
	ts.url, ts.client = hs.URL, hs.Client()
	return ts
}

// sharedVerifier is built once for every test: the verifier and its
// canonicalizer are safe for concurrent use and hold no per-test state,
// and compiling the JSON Schemas is the slowest step of starting a server.
type sharedVerifier struct {
	canon    *canon.Canonicalizer
	verifier *verifier.Verifier
}

var shared = sync.OnceValues(func() (sharedVerifier, error) {
	c, err := canon.New(canon.Config{})
	if err != nil {
		return sharedVerifier{}, err
	}
	v, err := verifier.New(verifier.Config{Canonicalizer: c})
	return sharedVerifier{canon: c, verifier: v}, err
})

// newKey generates an Ed25519 key and returns it with its did:key.
func newKey(t testing.TB) (*keys.Key, string) {
	t.Helper()
	k, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	did, err := k.DIDKey()
	if err != nil {
		t.Fatal(err)
	}
	return k, did
}

// answer is a decoded HTTP answer.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

// post sends body (JSON-encoded unless it is a []byte) as application/json,
// with the server's bearer token when auth is true.
func (ts *testServer) post(t testing.TB, path string, body any, auth bool) answer {
	t.Helper()
	data, ok := body.([]byte)
	if !ok {
		var err error
		if data, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}

	req, err := http.NewRequest(http.MethodPost, ts.url+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.Header.Set("Authorization", "Bearer "+ts.token)
	}
	return ts.do(t, req)
}

func (ts *testServer) get(t testing.TB, path string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts.do(t, req)
}

func (ts *testServer) do(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()

	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("answer is not a JSON object: %v: %s", err, raw)
		}
	}
	return a
}

// issue signs cred through the API and returns the signed credential.
func (ts *testServer) issue(t testing.TB, cred map[string]any) map[string]any {
	t.Helper()
	a := ts.post(t, "/credentials/issue", map[string]any{"credential": cred}, true)
	if a.status != http.StatusCreated {
		t.Fatalf("issue: status %d: %s", a.status, a.raw)
	}
	vc, ok := a.body["verifiableCredential"].(map[string]any)
	if !ok {
		t.Fatalf("issue: no verifiableCredential: %s", a.raw)
	}
	return vc
}

// verify posts a credential to /credentials/verify.
func (ts *testServer) verify(t testing.TB, vc any) answer {
	t.Helper()
	return ts.post(t, "/credentials/verify", map[string]any{"verifiableCredential": vc}, false)
}

// logLines returns the JSON log lines written so far.
func (ts *testServer) logLines(t testing.TB) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(ts.logs.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Bytes())
		}
		lines = append(lines, line)
	}
	return lines
}

// peerFiles lists the fixtures matching pattern under the peer folder.
func peerFiles(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(peer, pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no peer fixtures match %s", pattern)
	}
	return files
}

// clone deep-copies a JSON value.
func clone(t testing.TB, v map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
