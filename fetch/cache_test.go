package fetch_test

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/fetch"
)

// get fetches u and fails the test on error.
func get(t *testing.T, f *fetch.Fetcher, u string) string {
	t.Helper()
	body, err := f.Get(t.Context(), u)
	if err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return string(body)
}

// wantRequests checks how many requests s has seen.
func wantRequests(t *testing.T, s *server, want int64) {
	t.Helper()
	if n := s.requests.Load(); n != want {
		t.Errorf("server saw %d requests, want %d", n, want)
	}
}

func TestCacheMaxAge(t *testing.T) {
	s := newServer(t, text("list", "Cache-Control", "public, max-age=60"))
	clk := newClock()
	f := newFetcher(t, s, fetch.Config{Now: clk.Now})

	first, err := f.Get(t.Context(), s.URL)
	if err != nil {
		t.Fatal(err)
	}
	first[0] = 'X' // the caller owns its copy; the cache must not change
	if got := get(t, f, s.URL); got != "list" {
		t.Errorf("cached body %q", got)
	}
	wantRequests(t, s, 1)

	clk.Advance(61 * time.Second)
	get(t, f, s.URL)
	wantRequests(t, s, 2)
}

func TestCacheAgeShortensFreshness(t *testing.T) {
	s := newServer(t, text("list", "Cache-Control", "max-age=60", "Age", "50"))
	clk := newClock()
	f := newFetcher(t, s, fetch.Config{Now: clk.Now})

	get(t, f, s.URL)
	clk.Advance(11 * time.Second)
	get(t, f, s.URL)
	wantRequests(t, s, 2)
}

func TestCacheETagRevalidation(t *testing.T) {
	const etag = `"v1"`
	var notModified atomic.Int64
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		if r.Header.Get("If-None-Match") == etag {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write([]byte("document"))
	})
	f := newFetcher(t, s, fetch.Config{})

	for range 3 {
		if got := get(t, f, s.URL); got != "document" {
			t.Errorf("body %q", got)
		}
	}
	wantRequests(t, s, 3)
	if n := notModified.Load(); n != 2 {
		t.Errorf("%d answers were 304, want 2", n)
	}
}

func TestCacheNoStore(t *testing.T) {
	s := newServer(t, text("fresh", "Cache-Control", "no-store, max-age=60", "ETag", `"x"`))
	f := newFetcher(t, s, fetch.Config{})

	get(t, f, s.URL)
	get(t, f, s.URL)
	wantRequests(t, s, 2)
}

func TestCacheVaryStar(t *testing.T) {
	s := newServer(t, text("varies", "Cache-Control", "max-age=60", "Vary", "Accept, *"))
	f := newFetcher(t, s, fetch.Config{})

	get(t, f, s.URL)
	get(t, f, s.URL)
	wantRequests(t, s, 2)
}

func TestCacheKeyedByAccept(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		text(r.Header.Get("Accept"), "Cache-Control", "max-age=60")(w, r)
	})
	f := newFetcher(t, s, fetch.Config{})

	for _, accept := range []string{"application/json", "application/ld+json", "application/json"} {
		body, err := f.Get(t.Context(), s.URL, accept)
		if err != nil || string(body) != accept {
			t.Errorf("Accept %s: %q, %v", accept, body, err)
		}
	}
	wantRequests(t, s, 2)
}

func TestCacheEvictsOldest(t *testing.T) {
	s := newServer(t, text("doc", "Cache-Control", "max-age=60"))
	f := newFetcher(t, s, fetch.Config{CacheEntries: 2})

	for _, path := range []string{"/a", "/b", "/c", "/c", "/b", "/a"} {
		get(t, f, s.URL+path)
	}
	// a, b and c fetched; c and b served from the cache; a was evicted.
	wantRequests(t, s, 4)
}

func TestCacheDisabled(t *testing.T) {
	s := newServer(t, text("doc", "Cache-Control", "max-age=60"))
	f := newFetcher(t, s, fetch.Config{CacheEntries: -1})

	get(t, f, s.URL)
	get(t, f, s.URL)
	wantRequests(t, s, 2)
}

func TestConcurrentGets(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"`+r.URL.Path+`"`)
		if r.Header.Get("If-None-Match") != "" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		text(r.URL.Path, "Cache-Control", "max-age=1")(w, r)
	})
	clk := newClock()
	f := newFetcher(t, s, fetch.Config{CacheEntries: 3, Now: clk.Now})

	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				path := "/" + strconv.Itoa((g+i)%5)
				body, err := f.Get(t.Context(), s.URL+path)
				if err != nil || string(body) != path {
					t.Errorf("%s: %q, %v", path, body, err)
				}
				clk.Advance(100 * time.Millisecond)
			}
		})
	}
	wg.Wait()
}
