package canon

import (
	"fmt"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// iriCache remembers what json-gold's IRI tests say of each IRI. Most IRIs
// in a credential are vocabulary terms shared by every credential, so the
// expensive tests (a URL parse, and a regular expression for http(s) IRIs)
// run once per distinct IRI, not once per document.
type iriCache struct {
	mu    sync.RWMutex
	facts map[string]iriFacts
}

// iriFacts is what the cache holds for one IRI.
type iriFacts struct {
	// absolute is json-gold's IsAbsoluteIri.
	absolute bool
	// valid adds json-gold's URL pattern for http(s) IRIs.
	valid bool
}

const maxCachedIRIs = 1 << 14

// valid reports whether iri is absolute and json-gold's RDF conversion
// would keep it: json-gold silently drops statements with an http(s) IRI
// its URL pattern rejects, so the same check is made here to refuse such a
// document instead.
func (c *iriCache) valid(iri string) bool {
	return c.lookup(iri).valid
}

// relative is json-gold's IsRelativeIri: neither a keyword nor absolute.
// Blank node identifiers are absolute to it and are not cached, since each
// document has its own.
func (c *iriCache) relative(iri string) bool {
	if ld.IsKeyword(iri) || strings.HasPrefix(iri, "_:") {
		return false
	}
	return !c.lookup(iri).absolute
}

func (c *iriCache) lookup(iri string) iriFacts {
	c.mu.RLock()
	facts, seen := c.facts[iri]
	c.mu.RUnlock()
	if seen {
		return facts
	}

	facts.absolute = ld.IsAbsoluteIri(iri)
	facts.valid = facts.absolute && (!isHTTP(iri) || ld.IsURL(iri))
	c.mu.Lock()
	if c.facts == nil || len(c.facts) >= maxCachedIRIs {
		c.facts = map[string]iriFacts{}
	}
	c.facts[iri] = facts
	c.mu.Unlock()
	return facts
}

func isHTTP(iri string) bool {
	return strings.HasPrefix(iri, "http://") || strings.HasPrefix(iri, "https://")
}

// checkExpanded walks expanded JSON-LD and refuses any identifier the RDF
// conversion would drop: a relative @id or @type (the "@base" and relative
// reference tricks), a property that did not become an IRI, or an IRI that
// json-gold considers malformed. Each would leave part of the document
// outside the signature.
func (c *Canonicalizer) checkExpanded(v any) error {
	switch t := v.(type) {
	case []any:
		for _, item := range t {
			if err := c.checkExpanded(item); err != nil {
				return err
			}
		}
	case map[string]any:
		return c.checkObject(t)
	}
	return nil
}

func (c *Canonicalizer) checkObject(obj map[string]any) error {
	_, isValue := obj["@value"]
	for key, val := range obj {
		switch {
		case key == "@id":
			if err := c.checkIRI("@id", val, true); err != nil {
				return err
			}
		case key == "@type" && isValue:
			if val != "@json" {
				if err := c.checkIRI("datatype", val, false); err != nil {
					return err
				}
			}
		case key == "@type":
			if err := c.checkIRI("@type", val, true); err != nil {
				return err
			}
		case key == "@value":
			continue
		case key == "@graph":
			if err := checkGraphContent(val); err != nil {
				return err
			}
			if err := c.checkExpanded(val); err != nil {
				return err
			}
		case strings.HasPrefix(key, "@"):
			if err := c.checkExpanded(val); err != nil {
				return err
			}
		default:
			// A blank-node property is dropped by RDF conversion (no
			// generalized RDF), so a claim under one would go unsigned.
			if err := c.checkIRI("property", key, false); err != nil {
				return err
			}
			if err := c.checkExpanded(val); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkGraphContent refuses what the graph object of a @graph container
// (JSON-LD 1.1 API §5.1.2, step 13.12) cannot carry: an empty object, a
// value, a list or a bare node reference. A named graph holds only nodes,
// so such a value would vanish from the RDF dataset while the property
// kept pointing at an empty graph; jsonld.js in safe mode refuses the same
// items ("object with only @id" and its kin). Expansion already drops them
// where they are written directly under @graph, so only a container can
// leave them here.
func checkGraphContent(v any) error {
	items, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%w: @graph is not an array", ErrUnsafe)
	}

	for _, item := range items {
		node, ok := item.(map[string]any)
		if !ok {
			return fmt.Errorf("%w: @graph holds a %T", ErrUnsafe, item)
		}
		_, isValue := node["@value"]
		_, isList := node["@list"]
		_, hasID := node["@id"]
		if len(node) == 0 || isValue || isList || hasID && len(node) == 1 {
			return fmt.Errorf("%w: a @graph container holds a value, a list or a bare reference, "+
				"which no named graph can carry", ErrUnsafe)
		}
	}
	return nil
}

// checkIRI accepts a string or an array of strings, each an absolute IRI
// (or a blank node identifier where blank is true).
func (c *Canonicalizer) checkIRI(what string, v any, blank bool) error {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}

	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return fmt.Errorf("%w: %s is not a string", ErrUnsafe, what)
		}
		if strings.HasPrefix(s, "_:") {
			if blank {
				continue
			}
			return fmt.Errorf("%w: %s %q is a blank node", ErrUnsafe, what, s)
		}
		if !strings.Contains(s, ":") {
			return fmt.Errorf("%w: %s %q is not an absolute IRI (undefined term or relative reference)", ErrUnsafe, what, s)
		}
		if !c.iris.valid(s) {
			return fmt.Errorf("%w: %s %q is not a valid absolute IRI", ErrUnsafe, what, s)
		}
	}
	return nil
}

// hidesErrors reports whether doc holds a @set or @list object anywhere.
// json-gold ignores expansion errors inside them even in safe mode, so a
// document that needs json-gold and holds one is refused: what json-gold
// would drop there could not be told from what it keeps.
func hidesErrors(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		for k, item := range t {
			if k == "@set" || k == "@list" || hidesErrors(item) {
				return true
			}
		}
	case []any:
		for _, item := range t {
			if hidesErrors(item) {
				return true
			}
		}
	}
	return false
}
