package canon

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// Bounds on the cache of processed contexts. A credential built from the
// pinned contexts needs a few dozen entries of a few hundred terms each;
// documents with distinct inline contexts add entries without end, so past
// either bound the cache starts again from empty. The bound on terms stops
// one document from pinning memory: an inline context of thousands of
// terms, then many nested nodes each adding one term, would otherwise keep
// a copy of the large context per node.
const (
	maxProcessedContexts = 1024
	maxCachedTerms       = 1 << 18
)

// cacheKey names one application of a local context to an active context.
// local is "t" and an id for a term's scoped context, "u" and the URL for a
// pinned context, and "j" and the encoded value for an inline context.
type cacheKey struct {
	ctx       uint64
	local     string
	propagate bool
	override  bool
}

// contextCache remembers processed contexts. Its zero value is ready to
// use; it is safe for concurrent use, and what it holds is immutable.
type contextCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]*activeContext
	terms   int
	ids     atomic.Uint64
}

func (c *contextCache) get(key cacheKey) (*activeContext, bool) {
	c.mu.RLock()
	ctx, ok := c.entries[key]
	c.mu.RUnlock()
	return ctx, ok
}

func (c *contextCache) put(key cacheKey, ctx *activeContext) {
	weight := len(ctx.terms) + 1

	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maxProcessedContexts || c.terms+weight > maxCachedTerms {
		c.entries = make(map[cacheKey]*activeContext)
		c.terms = 0
	}
	c.entries[key] = ctx
	c.terms += weight
	c.mu.Unlock()
}

// newID returns an identity for a context or a scoped context, never 0,
// which is the initial context's.
func (c *contextCache) newID() uint64 {
	return c.ids.Add(1)
}

// contextKey encodes an inline context so that two values with the same
// meaning to json-gold, and only those, encode alike (object entries in key
// order). A json.Number, or a value encoding/json would not produce, goes to
// json-gold: json-gold accepts @version 1.1 only as a float64, but the
// cache in front of it (activeContext) keys contexts by their JSON text, so
// whether it accepts a json.Number depends on the documents seen before,
// and only json-gold itself can reproduce that.
func contextKey(v any) (string, error) {
	b, err := appendContextKey([]byte{'j'}, v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func appendContextKey(b []byte, v any) ([]byte, error) {
	var err error
	switch t := v.(type) {
	case nil:
		b = append(b, 'z')
	case bool:
		b = strconv.AppendBool(b, t)
	case string:
		b = strconv.AppendQuote(append(b, 's'), t)
	case float64:
		b = strconv.AppendFloat(append(b, 'f'), t, 'g', -1, 64)
	case []any:
		b = append(b, '[')
		for _, item := range t {
			if b, err = appendContextKey(b, item); err != nil {
				return nil, err
			}
			b = append(b, ',')
		}
		b = append(b, ']')
	case map[string]any:
		return appendObjectKey(b, t)
	default:
		return nil, errFallback
	}
	return b, nil
}

func appendObjectKey(b []byte, m map[string]any) ([]byte, error) {
	var err error
	b = append(b, '{')
	for _, k := range sortedKeys(m) {
		b = strconv.AppendQuote(b, k)
		b = append(b, ':')
		if b, err = appendContextKey(b, m[k]); err != nil {
			return nil, err
		}
		b = append(b, ',')
	}
	return append(b, '}'), nil
}

// cloneJSON deep-copies the objects and arrays of a decoded JSON value.
func cloneJSON(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			out[i] = cloneJSON(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, item := range t {
			out[k] = cloneJSON(item)
		}
		return out
	}
	return v
}
