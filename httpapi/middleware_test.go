package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/testkit"
)

// findLog returns the first log line with msg whose request_id is id.
func findLog(t *testing.T, ts *testServer, msg, id string) map[string]any {
	t.Helper()
	for _, line := range ts.logLines(t) {
		if line["msg"] == msg && line["request_id"] == id {
			return line
		}
	}
	t.Fatalf("no %q log line for request %s in:\n%s", msg, id, ts.logs.Bytes())
	return nil
}

// One line per request, with the route template, never the raw path.
func TestRequestLogLine(t *testing.T) {
	ts := startServer(t)
	a := ts.verify(t, testkit.ReadJSON(t, filepath.Join(peer, "cred-002.json")))
	id := a.header.Get("X-Request-Id")
	if len(id) < 16 {
		t.Fatalf("request id %q", id)
	}

	line := findLog(t, ts, "request", id)
	want := map[string]any{"method": "POST", "route": "/credentials/verify", "status": float64(200)}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if b, _ := line["bytes"].(float64); int(b) != len(a.raw) {
		t.Errorf("bytes = %v, want %d", line["bytes"], len(a.raw))
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("no duration_ms: %v", line)
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	ts := startServer(t)
	a, b := ts.get(t, "/healthz"), ts.get(t, "/healthz")
	if a.header.Get("X-Request-Id") == b.header.Get("X-Request-Id") {
		t.Fatal("two requests share an id")
	}
}

func TestUnknownRoute(t *testing.T) {
	ts := startServer(t)
	a := ts.get(t, "/no/such/path")
	if a.status != http.StatusNotFound {
		t.Fatalf("status %d", a.status)
	}
	requireProblem(t, a)
	if line := findLog(t, ts, "request", a.header.Get("X-Request-Id")); line["route"] != unmatchedRoute {
		t.Fatalf("route %v", line["route"])
	}
}

func TestMethodNotAllowed(t *testing.T) {
	ts := startServer(t)
	a := ts.get(t, "/credentials/verify")
	if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "POST" {
		t.Fatalf("status %d, Allow %q", a.status, a.header.Get("Allow"))
	}
	requireProblem(t, a)
}

func TestSecurityHeaders(t *testing.T) {
	ts := startServer(t)
	a := ts.get(t, "/healthz")
	headers := []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Cache-Control"}
	for _, h := range headers {
		if a.header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

// A panicking handler answers a 500 problem that shows the request id and
// nothing else; the log has the panic and its stack.
func TestPanicBecomesProblem(t *testing.T) {
	ts := startServer(t)
	hs := httptest.NewServer(ts.server.wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("secret internal state")
	})))
	defer hs.Close()
	ts.url = hs.URL

	a := ts.get(t, "/")
	if a.status != http.StatusInternalServerError {
		t.Fatalf("status %d", a.status)
	}
	requireProblem(t, a)
	id := a.header.Get("X-Request-Id")
	detail, _ := a.body["detail"].(string)
	if strings.Contains(detail, "secret") || !strings.Contains(detail, id) {
		t.Fatalf("detail %q", detail)
	}
	if line := findLog(t, ts, "handler panicked", id); !strings.Contains(line["stack"].(string), "goroutine") {
		t.Fatalf("no stack: %v", line)
	}
}

func TestBodyLimits(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxBody = 1024 })
	big := []byte(`{"verifiableCredential": {"x": "` + strings.Repeat("a", 2048) + `"}}`)

	if a := ts.post(t, "/credentials/verify", big, false); a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared length: status %d", a.status)
	}

	// Without a Content-Length the limit applies while reading.
	unsized := io.MultiReader(bytes.NewReader(big))
	req, err := http.NewRequest(http.MethodPost, ts.url+"/credentials/verify", unsized)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	a := ts.do(t, req)
	if a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: status %d", a.status)
	}
	requireProblem(t, a)
}

// TestBodyLimitAnsweredToSendFirstClients sends a body far over the limit
// the way many clients do, all of it before reading a byte of the answer,
// and requires the 413 problem details rather than a reset connection.
func TestBodyLimitAnsweredToSendFirstClients(t *testing.T) {
	ts := startServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	const size = 8 << 20
	head := fmt.Sprintf("POST /api/v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", size)
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(conn, spaces{}, size); err != nil {
		t.Fatalf("sending the body: %v", err)
	}

	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte("request.too_large")) {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

// spaces reads as an endless run of spaces.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestMediaTypes(t *testing.T) {
	ts := startServer(t)
	body := []byte(`{"verifiableCredential": {}}`)
	cases := map[string]int{
		"":                                      http.StatusUnsupportedMediaType,
		"text/plain":                            http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded":     http.StatusUnsupportedMediaType,
		"application/json; charset=latin1":      http.StatusUnsupportedMediaType,
		"application/json; charset=UTF-8":       http.StatusBadRequest,
		"application/ld+json":                   http.StatusBadRequest,
		"application/vc+ld+json; profile=\"x\"": http.StatusBadRequest,
	}
	for ct, want := range cases {
		t.Run(ct, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, ts.url+"/credentials/verify", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			// An empty credential is read, then not verified: 400.
			if a := ts.do(t, req); a.status != want {
				t.Fatalf("status %d, want %d: %s", a.status, want, a.raw)
			}
		})
	}
}

func TestStrictJSON(t *testing.T) {
	ts := startServer(t)
	cases := map[string]string{
		"empty":          "",
		"trailing value": `{"verifiableCredential": {}} {}`,
		"trailing junk":  `{"verifiableCredential": {}} x`,
		"cut short":      `{"verifiableCredential": {`,
		"not JSON":       `verifiableCredential`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			a := ts.post(t, "/credentials/verify", []byte(body), false)
			if a.status != http.StatusBadRequest || a.body["code"] != "request.malformed" {
				t.Fatalf("status %d: %s", a.status, a.raw)
			}
		})
	}
}

func TestHealthAndReadiness(t *testing.T) {
	var mu sync.Mutex
	readyErr := errors.New("store at /secret/path is locked")
	ts := startServer(t, func(c *Config) {
		c.Ready = func() error {
			mu.Lock()
			defer mu.Unlock()
			return readyErr
		}
	})

	if a := ts.get(t, "/healthz"); a.status != http.StatusOK {
		t.Fatalf("healthz %d", a.status)
	}
	a := ts.get(t, "/readyz")
	if a.status != http.StatusServiceUnavailable || strings.Contains(string(a.raw), "secret") {
		t.Fatalf("readyz %d: %s", a.status, a.raw)
	}
	requireProblem(t, a)

	mu.Lock()
	readyErr = nil
	mu.Unlock()
	if a := ts.get(t, "/readyz"); a.status != http.StatusOK {
		t.Fatalf("readyz when ready: %d", a.status)
	}
}

func TestGate(t *testing.T) {
	g := newGate(1, 10*time.Millisecond)
	ctx := context.Background()
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.enter(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("full gate: %v", err)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.enter(canceled); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: %v", err)
	}

	g.leave()
	if err := g.enter(ctx); err != nil {
		t.Fatalf("after leave: %v", err)
	}
}

// While every verification slot is taken, verification answers 503 with
// Retry-After, and the rest of the server still answers.
func TestVerifyBusy(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.VerifyConcurrency = 1
		c.VerifyWait = 20 * time.Millisecond
	})
	cred := testkit.ReadJSON(t, filepath.Join(peer, "cred-003.json"))

	if err := ts.server.gate.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := ts.verify(t, cred)
	if a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q", a.status, a.header.Get("Retry-After"))
	}
	requireProblem(t, a)
	if a := ts.get(t, "/healthz"); a.status != http.StatusOK {
		t.Fatalf("healthz while busy: %d", a.status)
	}

	ts.server.gate.leave()
	if a := ts.verify(t, cred); a.status != http.StatusOK {
		t.Fatalf("after the slot came free: %d", a.status)
	}
}

// A burst larger than the pool gets only 200s and 503s, never an error of
// another kind.
func TestVerifyBurst(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.VerifyConcurrency = 1
		c.VerifyWait = time.Millisecond
	})
	cred := testkit.ReadJSON(t, filepath.Join(peer, "cred-004.json"))

	body, err := json.Marshal(map[string]any{"verifiableCredential": cred})
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	statuses := make([]int, 16)
	errs := make([]error, len(statuses))
	for i := range statuses {
		wg.Go(func() {
			resp, err := ts.client.Post(ts.url+"/credentials/verify", "application/json", bytes.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()

	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses {
		if s != http.StatusOK && s != http.StatusServiceUnavailable {
			t.Fatalf("statuses %v", statuses)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	ts := startServer(t)
	v := ts.server.verifier
	cases := map[string]Config{
		"no verifier":      {},
		"negative body":    {Verifier: v, MaxBody: -1},
		"negative workers": {Verifier: v, VerifyConcurrency: -1},
		"negative wait":    {Verifier: v, VerifyWait: -1},
	}
	for name, cfg := range cases {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
