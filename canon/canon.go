// Package canon turns a JSON-LD document into its canonical N-Quads (RDF
// Dataset Canonicalization, RDFC-1.0, once called URDNA2015), the form that
// Data Integrity proofs sign (VC Data Integrity §4, "Transformation").
//
// It is deliberately stricter than a general JSON-LD processor, because a
// signature only protects what canonicalization keeps:
//
//   - contexts come only from the pinned set in package schemas;
//   - expansion runs in safe mode: a term, type or IRI that would be dropped
//     or left relative is an error, never silently ignored;
//   - documents are measured before any JSON-LD work, the RDF graph is
//     measured before canonicalization, and RDFC-1.0's search among
//     look-alike blank nodes is bounded, because crafted graphs could make
//     it run for minutes.
package canon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"

	"github.com/laurel-badges/laurel/schemas"
)

// Outcomes callers check with errors.Is.
var (
	// ErrContext reports an @context that is missing, malformed, or names
	// a document outside the pinned set.
	ErrContext = errors.New("unusable JSON-LD context")
	// ErrUnsafe reports a document that JSON-LD safe mode refuses: an
	// undefined term or type, a relative IRI, a protected term redefined.
	ErrUnsafe = errors.New("JSON-LD safe mode refused the document")
	// ErrLimit reports a document too large or too complex to canonicalize.
	ErrLimit = errors.New("document exceeds a canonicalization limit")
	// ErrEmpty reports a document whose canonical form has no statements;
	// signing it would sign nothing.
	ErrEmpty = errors.New("document has no RDF statements")
)

// Canonicalizer canonicalizes documents against a fixed set of contexts. It
// is safe for concurrent use; processed top-level contexts are cached, so the
// pinned contexts are parsed once, not on every signature.
type Canonicalizer struct {
	loader *schemas.Loader
	limits Limits
	opts   *ld.JsonLdOptions

	mu    sync.RWMutex
	cache map[string]*ld.Context
	iris  iriCache
	fast  fastExpansion
}

// Config configures a Canonicalizer.
type Config struct {
	// Loader serves the contexts documents may use. Nil means every
	// context pinned in package schemas.
	Loader *schemas.Loader
	// Limits bounds the work one document may cause. The zero value means
	// DefaultLimits.
	Limits Limits
}

// maxCachedContexts bounds the context cache, so a stream of documents with
// distinct inline contexts cannot grow memory without end.
const maxCachedContexts = 512

// New returns a Canonicalizer for cfg.
func New(cfg Config) (*Canonicalizer, error) {
	loader := cfg.Loader
	if loader == nil {
		var err error
		if loader, err = schemas.NewLoader(); err != nil {
			return nil, fmt.Errorf("loading pinned contexts: %w", err)
		}
	}

	limits := cfg.Limits
	if limits == (Limits{}) {
		limits = DefaultLimits()
	}

	opts := ld.NewJsonLdOptions("")
	opts.SafeMode = true
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.DocumentLoader = loader
	opts.Algorithm = ld.AlgorithmURDNA2015
	opts.Format = "application/n-quads"

	c := &Canonicalizer{loader: loader, limits: limits, opts: opts, cache: map[string]*ld.Context{}}
	return c, nil
}

// Canonicalize returns the canonical N-Quads of doc, a JSON object decoded
// with encoding/json (map[string]any). doc is not modified.
//
// json-gold was not written for hostile input and has panicked on crafted
// documents; a panic anywhere in its processing is turned into ErrUnsafe,
// so one bad credential cannot take a server down.
func (c *Canonicalizer) Canonicalize(doc map[string]any) (string, error) {
	form, err := c.canonical(doc)
	if err != nil {
		return "", err
	}

	var b strings.Builder
	b.Grow(form.size())
	_ = form.writeTo(&b) // a strings.Builder takes every write
	return b.String(), nil
}

// CanonicalizeTo writes to w what Canonicalize returns, without first
// joining it into one string: a signature needs only its hash.
func (c *Canonicalizer) CanonicalizeTo(w io.Writer, doc map[string]any) error {
	form, err := c.canonical(doc)
	if err != nil {
		return err
	}
	if err := form.writeTo(w); err != nil {
		return fmt.Errorf("writing canonical N-Quads: %w", err)
	}
	return nil
}

// recoverUnsafe turns a panic in json-gold into ErrUnsafe; deferred by
// every exported entry point that runs JSON-LD processing.
func recoverUnsafe(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: JSON-LD processing failed on this document", ErrUnsafe)
	}
}

// canonical runs RDFC-1.0 on doc. Every exported entry point goes
// through it, so a panic in json-gold becomes ErrUnsafe wherever it comes
// from (see Canonicalize).
func (c *Canonicalizer) canonical(doc map[string]any) (form canonicalForm, err error) {
	defer recoverUnsafe(&err)

	if err := c.limits.checkJSON(doc); err != nil {
		return nil, err
	}

	expanded, err := c.expand(doc)
	if err != nil {
		return nil, err
	}

	dataset, err := toRDF(expanded, &c.iris)
	if err != nil {
		return nil, fmt.Errorf("converting to RDF: %w", err)
	}
	if err := c.limits.checkGraph(dataset); err != nil {
		return nil, err
	}

	form, err = normalize(dataset, c.limits.MaxHashWork)
	if err != nil {
		return nil, err
	}
	if len(form) == 0 {
		return nil, ErrEmpty
	}
	return form, nil
}

// expand runs JSON-LD expansion in safe mode, reusing the processed
// top-level context, and then checks that every identifier it produced is
// absolute. The fast expander (expand.go) handles the documents it
// supports; json-gold expands the rest.
func (c *Canonicalizer) expand(doc map[string]any) ([]any, error) {
	if expanded, err := c.expandFast(doc); !errors.Is(err, errFallback) {
		return expanded, err
	}
	if !c.fast.disabled && hidesErrors(doc) {
		return nil, fmt.Errorf("%w: @set or @list objects are accepted only with the JSON-LD features Laurel processes itself", ErrUnsafe)
	}
	if !c.fast.disabled && c.losesContainers(doc) {
		return nil, fmt.Errorf("%w: a term with a scoped context and a container "+
			"(such as verifiableCredential) is accepted only with the JSON-LD features "+
			"Laurel processes itself", ErrUnsafe)
	}

	active, err := c.activeContext(doc["@context"])
	if err != nil {
		return nil, err
	}

	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}

	out, err := ld.NewJsonLdApi().Expand(active, "", body, c.opts, false, nil)
	if err != nil {
		return nil, classify(err)
	}

	expanded := topLevel(out)
	if err := c.checkExpanded(expanded); err != nil {
		return nil, err
	}
	return expanded, nil
}

// activeContext processes a document's top-level @context, or returns the
// result of processing the same value before.
func (c *Canonicalizer) activeContext(value any) (*ld.Context, error) {
	if err := c.checkContextValue(value); err != nil {
		return nil, err
	}

	key, err := json.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContext, err)
	}

	c.mu.RLock()
	active, ok := c.cache[string(key)]
	c.mu.RUnlock()
	if ok {
		return active, nil
	}

	active, err = ld.NewContext(nil, c.opts).Parse(value)
	if err != nil {
		return nil, classify(err)
	}

	c.mu.Lock()
	if len(c.cache) >= maxCachedContexts {
		clear(c.cache)
	}
	c.cache[string(key)] = active
	c.mu.Unlock()
	return active, nil
}

// checkContextValue enforces the shape VC Data Model 2.0 §4.3 gives
// @context: an ordered set of URLs and inline context objects. Every URL
// must be pinned; json-gold would ask the loader anyway, but refusing here
// gives a clearer reason.
func (c *Canonicalizer) checkContextValue(value any) error {
	items, ok := value.([]any)
	if !ok {
		items = []any{value}
	}
	if value == nil || len(items) == 0 {
		return fmt.Errorf("%w: @context is missing", ErrContext)
	}

	for _, item := range items {
		switch v := item.(type) {
		case string:
			if !c.loader.Allows(v) {
				return fmt.Errorf("%w: %q is not a pinned context", ErrContext, v)
			}
		case map[string]any:
			if _, ok := v["@base"]; ok {
				return fmt.Errorf("%w: an inline context may not set @base", ErrContext)
			}
		default:
			return fmt.Errorf("%w: @context entries must be URLs or objects", ErrContext)
		}
	}
	return nil
}

// topLevel applies the last steps of the JSON-LD expansion algorithm
// (JSON-LD 1.1 API §5.1.2, steps 19-20): unwrap a lone @graph and always
// return an array.
func topLevel(out any) []any {
	m, isMap := out.(map[string]any)
	if isMap && len(m) == 0 {
		return []any{}
	}
	if graph, ok := m["@graph"]; isMap && ok && len(m) == 1 {
		out = graph
	}

	switch v := out.(type) {
	case nil:
		return []any{}
	case []any:
		return v
	default:
		return []any{v}
	}
}

// classify maps json-gold's error codes onto this package's outcomes.
func classify(err error) error {
	var jerr *ld.JsonLdError
	if !errors.As(err, &jerr) {
		return fmt.Errorf("expanding: %w", err)
	}

	switch jerr.Code {
	case ld.LoadingRemoteContextFailed, ld.LoadingDocumentFailed, ld.InvalidLocalContext,
		ld.InvalidRemoteContext, ld.RecursiveContextInclusion:
		return fmt.Errorf("%w: %w", ErrContext, jerr)
	}
	return fmt.Errorf("%w: %w", ErrUnsafe, jerr)
}
