package fetch

import (
	"bytes"
	"container/list"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxFreshness caps how long a response is served without asking the
// server again, whatever max-age it claims: a revoked credential's status
// list must be seen within a day even if its server said "forever".
const maxFreshness = 24 * time.Hour

// maxETagLength bounds the validators kept and sent back to a server.
const maxETagLength = 256

// cache keeps recent responses in memory, evicting the least recently
// stored beyond its limit. A nil *cache stores nothing. It is safe for
// concurrent use; entries are never changed once stored.
type cache struct {
	mu      sync.Mutex
	limit   int
	now     func() time.Time
	entries map[string]*list.Element
	order   *list.List // of *entry, most recently stored first
}

// entry is one stored response.
type entry struct {
	key     string
	doc     Document
	etag    string
	expires time.Time // fresh before this instant; zero means revalidate
}

// policy is what a response's headers allow a cache to do with it.
type policy struct {
	store    bool
	lifetime time.Duration
	etag     string
}

// newCache returns a cache of at most limit entries, or nil when limit is
// not positive.
func newCache(limit int, now func() time.Time) *cache {
	if limit <= 0 {
		return nil
	}
	return &cache{limit: limit, now: now, entries: map[string]*list.Element{}, order: list.New()}
}

// cacheKey identifies a response by URL and Accept header, since servers
// negotiate content (a did:web document as JSON or JSON-LD).
func cacheKey(url, accept string) string {
	return url + "\x00" + accept
}

// lookup returns the entry for key, if any, and whether it is still fresh.
func (c *cache) lookup(key string) (*entry, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()

	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	return e, c.now().Before(e.expires)
}

// store keeps doc under key when the response headers h allow it, and
// forgets any older entry when they do not.
func (c *cache) store(key string, doc Document, h http.Header) {
	if c == nil {
		return
	}
	p := readPolicy(h)
	if !p.store {
		c.forget(key)
		return
	}
	c.put(&entry{key: key, doc: doc, etag: p.etag, expires: c.expiry(p)})
}

// revalidated handles a 304 Not Modified for e (RFC 9111 §4.3.4): the
// stored body stays, with the freshness the new headers h give it.
func (c *cache) revalidated(e *entry, h http.Header) Document {
	p := readPolicy(h)
	if p.etag == "" {
		p.etag = e.etag
	}
	if !p.store {
		c.forget(e.key)
		return e.doc.clone()
	}
	c.put(&entry{key: e.key, doc: e.doc, etag: p.etag, expires: c.expiry(p)})
	return e.doc.clone()
}

// expiry turns a freshness lifetime into an instant.
func (c *cache) expiry(p policy) time.Time {
	if p.lifetime <= 0 {
		return time.Time{}
	}
	return c.now().Add(p.lifetime)
}

// put stores e and evicts the least recently stored entries beyond the
// limit.
func (c *cache) put(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if old, ok := c.entries[e.key]; ok {
		c.order.Remove(old)
	}
	c.entries[e.key] = c.order.PushFront(e)
	for c.order.Len() > c.limit {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*entry).key)
	}
}

// forget removes the entry for key.
func (c *cache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if el, ok := c.entries[key]; ok {
		c.order.Remove(el)
		delete(c.entries, key)
	}
}

// readPolicy reads Cache-Control (RFC 9111 §5.2.2), Age (§5.1), Vary and
// ETag. A response is kept only when it is fresh for a while or can be
// revalidated; no-cache keeps it but always revalidates.
func readPolicy(h http.Header) policy {
	d := directives(h.Values("Cache-Control"))
	p := policy{etag: validETag(h.Get("ETag"))}
	if _, noStore := d["no-store"]; noStore || varyAll(h) {
		return p
	}

	if _, noCache := d["no-cache"]; !noCache {
		p.lifetime = min(seconds(d["max-age"])-seconds(h.Get("Age")), maxFreshness)
	}
	p.store = p.lifetime > 0 || p.etag != ""
	return p
}

// directives splits Cache-Control header values into lowercase names and
// their unquoted arguments. A repeated max-age keeps the smallest value.
func directives(values []string) map[string]string {
	d := map[string]string{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(part), "=")
			name = strings.ToLower(strings.TrimSpace(name))
			arg = strings.Trim(strings.TrimSpace(arg), `"`)
			if prev, seen := d[name]; seen && seconds(prev) < seconds(arg) {
				continue
			}
			d[name] = arg
		}
	}
	return d
}

// seconds reads a delta-seconds value (RFC 9111 §1.2.2); anything else,
// including a negative number, counts as zero.
func seconds(s string) time.Duration {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(min(n, int64(maxFreshness/time.Second))) * time.Second
}

// varyAll reports "Vary: *", which says no stored response can be reused.
func varyAll(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for _, field := range strings.Split(v, ",") {
			if strings.TrimSpace(field) == "*" {
				return true
			}
		}
	}
	return false
}

// validETag returns tag when it is a strong or weak entity tag of sane
// length (RFC 9110 §8.8.3), so nothing else is echoed back to the server.
func validETag(tag string) string {
	opaque := strings.TrimPrefix(tag, "W/")
	if len(tag) > maxETagLength || len(opaque) < 2 ||
		opaque[0] != '"' || opaque[len(opaque)-1] != '"' {
		return ""
	}
	for _, c := range []byte(opaque[1 : len(opaque)-1]) {
		if c < 0x21 || c == '"' || c == 0x7f {
			return ""
		}
	}
	return tag
}

// clone returns a copy of d whose body the caller may change without
// touching the cached one.
func (d Document) clone() Document {
	d.Body = bytes.Clone(d.Body)
	return d
}
