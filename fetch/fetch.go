package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero values of Config.
const (
	// DefaultTimeout is long enough for a slow issuer's server and short
	// enough that a verification request is not held hostage by one.
	DefaultTimeout = 5 * time.Second
	// DefaultMaxBytes fits any credential, DID document or profile, and a
	// status list of the 131,072 entries §3.2 of Bitstring Status List
	// v1.0 asks for, with room to spare.
	DefaultMaxBytes = 1 << 20
	// DefaultMaxRedirects allows the usual http-to-www style hops and
	// stops loops early.
	DefaultMaxRedirects = 3
	// DefaultCacheEntries holds the lists and keys of a district's worth of
	// issuers while bounding memory.
	DefaultCacheEntries = 256
	// DefaultUserAgent tells server operators that Laurel is fetching.
	DefaultUserAgent = "Laurel"
)

// maxHeaderBytes bounds response headers, which MaxBytes does not cover.
const maxHeaderBytes = 64 << 10

// Config configures a Fetcher. The zero value is the safe production
// setting: https only, public addresses only, and the defaults below.
type Config struct {
	// AllowHTTP permits plain http URLs and redirects to them. False, the
	// default, accepts https only: documents that decide whether a
	// credential is trusted must not be open to tampering in transit.
	AllowHTTP bool
	// AllowPrivate permits connections to loopback, private, link-local,
	// CGNAT, unspecified, multicast and other non-public addresses. False,
	// the default, refuses them when dialling, so credentials cannot make
	// Laurel reach its own network or the cloud metadata service. Set it
	// for tests and for deployments whose issuers are on a private network.
	AllowPrivate bool
	// Timeout bounds a whole fetch, redirects and body included. Zero
	// means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes bounds a response body; a longer one fails with
	// ErrTooLarge after reading at most MaxBytes+1 bytes. Zero means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects bounds the redirects followed per fetch. Zero means
	// DefaultMaxRedirects; a negative value follows none.
	MaxRedirects int
	// CacheEntries bounds the responses kept in memory. Zero means
	// DefaultCacheEntries; a negative value disables the cache.
	CacheEntries int
	// RootCAs are the certificate authorities trusted for https. Nil
	// means the system roots; tests pass their test server's pool.
	RootCAs *x509.CertPool
	// UserAgent is sent with every request so that server operators can
	// tell who is fetching. Empty means DefaultUserAgent.
	UserAgent string
	// Now tells the time for cache freshness. Nil means time.Now.
	Now func() time.Time
}

// Document is a fetched response.
type Document struct {
	// Body is the response body; the caller owns it.
	Body []byte
	// ContentType is the Content-Type header, possibly empty, for callers
	// that must tell JSON-LD from JSON or a JWT.
	ContentType string
	// URL is the URL that finally answered, after any redirects, for
	// callers that must match a document's id against where it lives.
	URL string
}

// Fetcher fetches documents under the limits of its Config. It is safe for
// concurrent use and should be shared, so its cache and connections are.
type Fetcher struct {
	client    *http.Client
	cache     *cache
	timeout   time.Duration
	maxBytes  int64
	allowHTTP bool
	userAgent string
}

// New returns a Fetcher for cfg, or an error matching ErrConfig when a
// limit is negative.
func New(cfg Config) (*Fetcher, error) {
	if cfg.Timeout < 0 || cfg.MaxBytes < 0 {
		return nil, fmt.Errorf("%w: negative Timeout or MaxBytes", ErrConfig)
	}
	cfg = withDefaults(cfg)

	f := &Fetcher{
		cache:     newCache(cfg.CacheEntries, cfg.Now),
		timeout:   cfg.Timeout,
		maxBytes:  cfg.MaxBytes,
		allowHTTP: cfg.AllowHTTP,
		userAgent: cfg.UserAgent,
	}
	f.client = &http.Client{
		Transport:     newTransport(cfg),
		CheckRedirect: f.redirectPolicy(cfg.MaxRedirects),
	}
	return f, nil
}

// withDefaults fills in the zero values of cfg.
func withDefaults(cfg Config) Config {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	switch {
	case cfg.MaxRedirects == 0:
		cfg.MaxRedirects = DefaultMaxRedirects
	case cfg.MaxRedirects < 0:
		cfg.MaxRedirects = 0
	}
	if cfg.CacheEntries == 0 {
		cfg.CacheEntries = DefaultCacheEntries
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// newTransport builds the transport whose dialer checks every address.
func newTransport(cfg Config) *http.Transport {
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		dialer.Control = refusePrivate
	}
	return &http.Transport{
		// No Proxy: a proxy would connect on our behalf, past the check.
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.Timeout,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: maxHeaderBytes,
		IdleConnTimeout:        90 * time.Second,
	}
}

// redirectPolicy follows at most limit redirects, each to a URL checkURL
// accepts, so an https fetch cannot be bounced to http or to userinfo.
func (f *Fetcher) redirectPolicy(limit int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > limit {
			return fmt.Errorf("%w: more than %d", ErrRedirects, limit)
		}
		if _, err := checkURL(req.URL.String(), f.allowHTTP); err != nil {
			return fmt.Errorf("redirect: %w", err)
		}
		return nil
	}
}

// Get returns the body of the document at rawURL, asking for the media
// types in accept (joined into one Accept header) if any are given.
func (f *Fetcher) Get(ctx context.Context, rawURL string, accept ...string) ([]byte, error) {
	doc, err := f.GetDocument(ctx, rawURL, accept...)
	if err != nil {
		return nil, err
	}
	return doc.Body, nil
}

// GetDocument is Get for callers that also need the Content-Type or the
// URL that answered after redirects.
func (f *Fetcher) GetDocument(ctx context.Context, rawURL string, accept ...string) (
	Document, error) {
	u, err := checkURL(rawURL, f.allowHTTP)
	if err != nil {
		return Document{}, err
	}
	acceptHeader := strings.Join(accept, ", ")
	key := cacheKey(u.String(), acceptHeader)
	cached, fresh := f.cache.lookup(key)
	if fresh {
		return cached.doc.clone(), nil
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	resp, err := f.send(ctx, u, acceptHeader, cached)
	if err != nil {
		return Document{}, f.failure(ctx, u, err)
	}
	defer resp.Body.Close()
	if err := ctx.Err(); err != nil {
		// The transport hands over a response that raced the deadline;
		// a fetch past its time limit has failed whatever arrived.
		return Document{}, f.failure(ctx, u, err)
	}

	doc, err := f.receive(resp, key, cached)
	if err != nil {
		return Document{}, f.failure(ctx, u, err)
	}
	return doc, nil
}

// send makes the request, conditional when a stored entry has an ETag.
func (f *Fetcher) send(ctx context.Context, u *url.URL, accept string, cached *entry) (
	*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURL, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if cached != nil && cached.etag != "" {
		req.Header.Set("If-None-Match", cached.etag)
	}
	return f.client.Do(req)
}

// receive turns a response into a Document, from the cache on a 304 to a
// conditional request.
func (f *Fetcher) receive(resp *http.Response, key string, cached *entry) (Document, error) {
	if resp.StatusCode == http.StatusNotModified && cached != nil && cached.etag != "" {
		return f.cache.revalidated(cached, resp.Header), nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Document{}, &StatusError{Code: resp.StatusCode}
	}

	body, err := f.readBody(resp)
	if err != nil {
		return Document{}, err
	}
	doc := Document{
		Body:        body,
		ContentType: resp.Header.Get("Content-Type"),
		URL:         resp.Request.URL.String(),
	}
	if resp.StatusCode == http.StatusOK {
		f.cache.store(key, doc.clone(), resp.Header)
	}
	return doc, nil
}

// readBody reads at most MaxBytes+1 bytes, enough to tell a body that is
// too long without holding more of it.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, error) {
	if resp.ContentLength > f.maxBytes {
		return nil, fmt.Errorf("%w: %d bytes announced, limit %d",
			ErrTooLarge, resp.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, f.maxBytes)
	}
	return body, nil
}

// failure names the URL in err, unwraps the *url.Error the client adds
// (it would name the URL twice) and marks deadlines with ErrTimeout.
func (f *Fetcher) failure(ctx context.Context, u *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("fetching %s: %w: %w", u, ErrTimeout, err)
	}
	return fmt.Errorf("fetching %s: %w", u, err)
}
