package fetch_test

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/fetch"
)

// server is a real TLS test server on 127.0.0.1 that counts requests.
type server struct {
	*httptest.Server
	requests atomic.Int64
}

// newServer starts h behind TLS and closes it when the test ends.
func newServer(t testing.TB, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// pool trusts the server's certificate.
func (s *server) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.Certificate())
	return p
}

// newFetcher returns a Fetcher trusting s and allowed to reach 127.0.0.1,
// with cfg's other settings.
func newFetcher(t testing.TB, s *server, cfg fetch.Config) *fetch.Fetcher {
	t.Helper()
	cfg.AllowPrivate = true
	cfg.RootCAs = s.pool()
	f, err := fetch.New(cfg)
	if err != nil {
		t.Fatalf("fetch.New: %v", err)
	}
	return f
}

// text answers with body and the given headers.
func text(body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/ld+json")
		_, _ = w.Write([]byte(body))
	}
}

// clock is a time source tests move forward by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)} }

// Now is the Config.Now of the tests.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
