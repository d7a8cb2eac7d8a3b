package httpapi

import (
	"bytes"
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/verifier"
)

func postMultipart(t *testing.T, ts *testServer, field string, data []byte) answer {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, "badge")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", ts.url+"/api/v1/verify", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return ts.do(t, req)
}

// The public verifier takes a credential as JSON, an uploaded file or
// baked image, or a URL through the configured fetcher, and answers with
// the report.
func TestVerifyAnyInput(t *testing.T) {
	cred, err := os.ReadFile(filepath.Join(peer, "cred-003.json"))
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile("../../shared/spec/examples/validator-baked-json.png")
	if err != nil {
		t.Fatal(err)
	}
	hosted := map[string][]byte{"https://badges.example/c/1": cred}
	ts := startServer(t, func(c *Config) {
		c.Fetch = func(_ context.Context, url string) ([]byte, error) {
			if data, ok := hosted[url]; ok {
				return data, nil
			}
			return nil, errors.New("not found")
		}
	})

	a := ts.post(t, "/api/v1/verify", map[string]any{"credential": rawJSON(cred)}, false)
	if a.status != http.StatusOK || a.body["valid"] != true {
		t.Fatalf("JSON credential: %d %s", a.status, a.raw)
	}
	a = postMultipart(t, ts, "file", cred)
	if a.status != http.StatusOK || a.body["valid"] != true {
		t.Fatalf("uploaded credential: %d %s", a.status, a.raw)
	}
	a = postMultipart(t, ts, "file", png)
	if a.status != http.StatusOK || a.body["baked"] != "png" {
		t.Fatalf("uploaded baked PNG: %d %s", a.status, a.raw)
	}
	a = ts.post(t, "/api/v1/verify", map[string]any{"url": "https://badges.example/c/1"}, false)
	if a.status != http.StatusOK || a.body["valid"] != true {
		t.Fatalf("hosted credential: %d %s", a.status, a.raw)
	}

	for name, body := range map[string]any{
		"nothing":     map[string]any{},
		"both":        map[string]any{"url": "https://badges.example/c/1", "credential": "a.b.c"},
		"unreachable": map[string]any{"url": "https://badges.example/missing"},
		"not a badge": map[string]any{"credential": "hello"},
	} {
		if a := ts.post(t, "/api/v1/verify", body, false); a.status < 400 || a.status >= 500 {
			t.Errorf("%s: status %d %s", name, a.status, a.raw)
		}
	}
	if a := postMultipart(t, ts, "other", cred); a.status != http.StatusBadRequest {
		t.Errorf("upload without a file field: %d", a.status)
	}
}

// A status list server that does not answer cannot hold a verification
// past its budget: the status is reported unknown, on time.
func TestVerifyBudget(t *testing.T) {
	slow := func(ctx context.Context, _ string) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	v, err := verifier.New(verifier.Config{StatusFetch: slow})
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, func(c *Config) { c.Verifier, c.VerifyBudget = v, 200*time.Millisecond })

	cred, err := os.ReadFile(filepath.Join(peer, "status", "cred-status-active.json"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	a := ts.post(t, "/api/v1/verify", map[string]any{"credential": rawJSON(cred)}, false)
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Fatalf("verification took %v", elapsed)
	}
	if a.status != http.StatusOK || a.body["valid"] != false || !bytes.Contains(a.raw, []byte("status.unknown")) {
		t.Fatalf("%d %s", a.status, a.raw)
	}
}
