package canon

import (
	"errors"
	"fmt"
)

// The expand*.go files hold a second implementation of JSON-LD 1.1
// expansion (JSON-LD 1.1 API §4.1, §4.2, §5.1-§5.3), written for speed on
// the documents Laurel meets every day: credentials, presentations, status
// lists and DID documents built from the pinned contexts.
//
// json-gold re-processes every type-scoped and property-scoped context on
// every node of every document, copying the whole active context each time;
// with the Open Badges 3.0 context that is most of the cost of a signature.
// Here an active context is immutable once built, and the result of applying
// a local context to an active context is cached per Canonicalizer, so each
// combination of contexts is processed once.
//
// The output must be exactly what json-gold produces, including where
// json-gold departs from the specification, because the canonical form is
// what signatures cover: a credential signed by one path must verify by the
// other. Where json-gold's behaviour is a quirk, the code says so.
//
// Anything outside the supported subset returns errFallback, and the caller
// runs json-gold instead, so correctness never depends on the subset being
// complete. Not supported: @reverse, @nest, @index, @language, @id and @type
// maps (containers), @import, @propagate, @base, default @language and
// @direction in a context, term-level @language, @direction, @prefix and
// @index, redefinition of @type, a nested @context entry inside a context
// definition, framing keywords, and inline contexts holding a json.Number
// or any value encoding/json does not produce.

// errFallback reports a document that uses JSON-LD features the fast
// expander does not implement; the caller must expand it with json-gold.
var errFallback = errors.New("document needs the general JSON-LD processor")

// crashError marks a document on which json-gold would panic (a nil term
// definition used as a prefix, a @protected or @container value of the wrong
// type). Canonicalize turns json-gold's panics into ErrUnsafe; the fast
// expander refuses the same documents with the same outcome, and must not
// treat the refusal as an ordinary error where json-gold ignores errors.
type crashError struct {
	reason string
}

func (e *crashError) Error() string {
	return fmt.Sprintf("%v: %s", ErrUnsafe, e.reason)
}

func (e *crashError) Unwrap() error { return ErrUnsafe }

func crash(format string, args ...any) error {
	return &crashError{reason: fmt.Sprintf(format, args...)}
}

// refuse reports what json-gold reports with a JSON-LD error code that
// classify maps to ErrUnsafe.
func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsafe}, args...)...)
}

// badContext reports what json-gold reports with a code classify maps to
// ErrContext: a context that cannot be loaded or is not a context at all.
func badContext(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrContext}, args...)...)
}

// fastExpansion is the per-Canonicalizer state of the fast expander. Its
// zero value is ready to use and it is safe for concurrent use.
type fastExpansion struct {
	cache contextCache

	// disabled sends every document to json-gold. Only tests set it, to
	// compare the two paths through the public API.
	disabled bool

	// goldContainers makes the fast expander read container mappings as
	// json-gold does, from the property-scoped context, so that tests can
	// still compare it with json-gold on documents where the two differ
	// (nodeExpansion.containers).
	goldContainers bool
}

// expandFast expands doc with the fast expander and checks the result as
// json-gold's expansion is checked. It returns errFallback when doc needs
// json-gold.
func (c *Canonicalizer) expandFast(doc map[string]any) ([]any, error) {
	expanded, err := c.fastExpanded(doc)
	if err != nil {
		return nil, err
	}

	if err := c.checkExpanded(expanded); err != nil {
		return nil, err
	}
	return expanded, nil
}

// fastExpanded is expandFast without the final check: the output that must
// equal json-gold's.
func (c *Canonicalizer) fastExpanded(doc map[string]any) ([]any, error) {
	if c.fast.disabled {
		return nil, errFallback
	}
	if err := c.checkContextValue(doc["@context"]); err != nil {
		return nil, err
	}

	p := &processor{loader: c.loader, cache: &c.fast.cache, goldContainers: c.fast.goldContainers}
	active, err := p.inline(initialContext(), doc["@context"], true, false)
	if err != nil {
		return nil, err
	}

	// As in expand: the top-level @context is already processed, and
	// json-gold is given the document without it.
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}

	out, err := p.element(active, "", body)
	if err != nil {
		return nil, err
	}
	return topLevel(out), nil
}
