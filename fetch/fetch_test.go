package fetch_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/fetch"
)

func TestGetHTTPS(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Accept"); got != "application/ld+json, application/json" {
			t.Errorf("Accept = %q", got)
		}
		if got := r.UserAgent(); got != fetch.DefaultUserAgent {
			t.Errorf("User-Agent = %q", got)
		}
		text(`{"id":"x"}`)(w, r)
	})
	f := newFetcher(t, s, fetch.Config{})

	doc, err := f.GetDocument(t.Context(), s.URL+"/profile#frag",
		"application/ld+json", "application/json")
	if err != nil {
		t.Fatal(err)
	}
	if string(doc.Body) != `{"id":"x"}` || doc.ContentType != "application/ld+json" ||
		doc.URL != s.URL+"/profile" {
		t.Errorf("document = %q, %q, %q", doc.Body, doc.ContentType, doc.URL)
	}
}

func TestHTTPOnlyWhenAllowed(t *testing.T) {
	plain := httptest.NewServer(text("plain"))
	t.Cleanup(plain.Close)

	refusing, err := fetch.New(fetch.Config{AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := refusing.Get(t.Context(), plain.URL); !errors.Is(err, fetch.ErrScheme) {
		t.Errorf("http with AllowHTTP false: %v, want ErrScheme", err)
	}

	allowing, err := fetch.New(fetch.Config{AllowPrivate: true, AllowHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	if body, err := allowing.Get(t.Context(), plain.URL); err != nil || string(body) != "plain" {
		t.Errorf("http with AllowHTTP: %q, %v", body, err)
	}
}

func TestLoopbackRefused(t *testing.T) {
	s := newServer(t, text("secret"))
	f, err := fetch.New(fetch.Config{RootCAs: s.pool()})
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.Get(t.Context(), s.URL)
	assertRefusedAtDial(t, err)
	if n := s.requests.Load(); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// The metadata address is refused by the dialer's Control hook, which runs
// before connect(2): the error is a dial error matching ErrAddress, and it
// comes back at once instead of after a connection attempt.
func TestMetadataAddressRefusedBeforeConnect(t *testing.T) {
	f, err := fetch.New(fetch.Config{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{
		"https://169.254.169.254/latest/meta-data/",
		"https://10.0.0.1/",
		"https://[::ffff:169.254.169.254]/",
	} {
		start := time.Now()
		_, err := f.Get(t.Context(), u)
		assertRefusedAtDial(t, err)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refusal took %s", u, d)
		}
	}
}

// assertRefusedAtDial checks that err is ErrAddress raised while dialling.
func assertRefusedAtDial(t *testing.T, err error) {
	t.Helper()
	var op *net.OpError
	if !errors.Is(err, fetch.ErrAddress) || !errors.As(err, &op) || op.Op != "dial" {
		t.Errorf("got %v, want ErrAddress from the dialer", err)
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("x", 1025)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: the limit must hold while reading
		}
		_, _ = w.Write([]byte(big))
	})
	f := newFetcher(t, s, fetch.Config{MaxBytes: 1024})

	for _, path := range []string{"/sized", "/chunked"} {
		if _, err := f.Get(t.Context(), s.URL+path); !errors.Is(err, fetch.ErrTooLarge) {
			t.Errorf("%s: %v, want ErrTooLarge", path, err)
		}
	}
	if strings.Contains(errorText(f, t, s.URL+"/sized"), "xxx") {
		t.Error("error carries the body")
	}
}

// errorText returns the text of the error fetching u.
func errorText(f *fetch.Fetcher, t *testing.T, u string) string {
	_, err := f.Get(t.Context(), u)
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestTimeout(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Length", "10")
			_, _ = w.Write([]byte("12345"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	f := newFetcher(t, s, fetch.Config{Timeout: 200 * time.Millisecond})

	for _, path := range []string{"/slow-headers", "/slow-body"} {
		start := time.Now()
		_, err := f.Get(t.Context(), s.URL+path)
		if !errors.Is(err, fetch.ErrTimeout) {
			t.Errorf("%s: %v, want ErrTimeout", path, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %s for a 200ms timeout", path, d)
		}
	}
}

func TestRedirects(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil || n == 0 {
			text("arrived")(w, r)
			return
		}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
	})
	f := newFetcher(t, s, fetch.Config{MaxRedirects: 3})

	doc, err := f.GetDocument(t.Context(), s.URL+"/hop/3")
	if err != nil || string(doc.Body) != "arrived" || doc.URL != s.URL+"/hop/0" {
		t.Errorf("three hops: %+v, %v", doc, err)
	}
	if _, err := f.Get(t.Context(), s.URL+"/hop/4"); !errors.Is(err, fetch.ErrRedirects) {
		t.Errorf("four hops: %v, want ErrRedirects", err)
	}
}

func TestRedirectToHTTPRefused(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		// Port 9 (discard) on loopback: refused before any dial is tried.
		http.Redirect(w, r, "http://127.0.0.1:9/", http.StatusMovedPermanently)
	})
	f := newFetcher(t, s, fetch.Config{})

	if _, err := f.Get(t.Context(), s.URL); !errors.Is(err, fetch.ErrScheme) {
		t.Errorf("got %v, want ErrScheme", err)
	}
}

func TestStatus(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "secret body", http.StatusNotFound)
	})
	f := newFetcher(t, s, fetch.Config{})

	_, err := f.Get(t.Context(), s.URL+"/missing")
	var se *fetch.StatusError
	if !errors.Is(err, fetch.ErrStatus) || !errors.As(err, &se) || se.Code != http.StatusNotFound {
		t.Fatalf("got %v, want ErrStatus 404", err)
	}
	if !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "secret") {
		t.Errorf("error text %q", err)
	}
}

func TestBadURLs(t *testing.T) {
	f, err := fetch.New(fetch.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]error{
		"ftp://example.com/":           fetch.ErrScheme,
		"http://example.com/":          fetch.ErrScheme,
		"https://user:pw@example.com/": fetch.ErrURL,
		"/relative":                    fetch.ErrURL,
		"https://127.1/":               fetch.ErrURL,
		"https://%zz/":                 fetch.ErrURL,
	}
	for u, want := range cases {
		_, err := f.Get(t.Context(), u)
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", u, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: error shows the password: %v", u, err)
		}
	}
}

func TestNewRejectsNegativeLimits(t *testing.T) {
	for _, cfg := range []fetch.Config{{Timeout: -1}, {MaxBytes: -1}} {
		if _, err := fetch.New(cfg); !errors.Is(err, fetch.ErrConfig) {
			t.Errorf("%+v: %v, want ErrConfig", cfg, err)
		}
	}
}
