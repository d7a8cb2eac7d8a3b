package testkit

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/laurel-badges/laurel/fetch"
)

// Server is a real TLS test server on 127.0.0.1 that counts the requests
// it answers, standing in for another issuer's web site.
type Server struct {
	*httptest.Server
	requests atomic.Int64
}

// NewTLSServer starts h behind TLS and closes it when the test ends.
func NewTLSServer(t testing.TB, h http.Handler) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// Requests is the number of requests the server has received so far.
func (s *Server) Requests() int { return int(s.requests.Load()) }

// Fetch is Laurel's safe HTTP client (package fetch) as a verifier's fetch
// function, trusting only the server's certificate and allowed to reach
// loopback addresses, which production refuses. It has no cache, so every
// fetch reaches the server and tests can count them.
func (s *Server) Fetch(t testing.TB) func(ctx context.Context, url string) ([]byte, error) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	client, err := fetch.New(fetch.Config{AllowPrivate: true, RootCAs: pool, CacheEntries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, url string) ([]byte, error) { return client.Get(ctx, url) }
}
