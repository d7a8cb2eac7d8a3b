package canon

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// expandIRI expands a property, type or @vocab value against c (IRI
// Expansion, JSON-LD 1.1 API §5.2) when vocab is true, or an @id value when
// it is false. The document base IRI is always empty here (@base goes to
// json-gold), so document-relative resolution leaves a relative reference
// unchanged, for checkExpanded to refuse.
func (c *activeContext) expandIRI(value string, vocab bool) (string, error) {
	return expandIRI(c, value, vocab, nil)
}

// expandIRI is IRI expansion as json-gold implements it. During context
// processing s is the term scope whose local context may have to define a
// term first; then a value that stays relative is an error.
func expandIRI(c *activeContext, value string, vocab bool, s *termScope) (string, error) {
	if ld.IsKeyword(value) {
		return value, nil
	}
	if reservedForm(value) {
		// A value that looks like a keyword expands to nothing, which
		// safe mode then refuses as a property.
		return "", nil
	}

	if s != nil {
		if err := s.dependency(value); err != nil {
			return "", err
		}
	}
	if td, ok := c.terms[value]; vocab && ok {
		if td == nil {
			return "", nil
		}
		return td.iri, nil
	}

	if colon := strings.IndexByte(value, ':'); colon > 0 {
		iri, done, err := expandCompact(c, value, colon, vocab, s)
		if done || err != nil {
			return iri, err
		}
	}

	if vocab && c.hasVocab {
		return c.vocab + value, nil
	}
	if s != nil && ld.IsRelativeIri(value) {
		return "", refuse("%q is not an absolute IRI", value)
	}
	return value, nil
}

// expandCompact handles a value with a colon after its first character: a
// blank node identifier, an IRI with an authority, a compact IRI whose
// prefix is a prefix term, or an absolute IRI. done is false when the value
// is none of these and expansion continues with the vocabulary mapping.
func expandCompact(c *activeContext, value string, colon int, vocab bool, s *termScope) (
	iri string, done bool, err error,
) {
	prefix, suffix := value[:colon], value[colon+1:]
	if prefix == "_" || strings.HasPrefix(suffix, "//") {
		return value, true, nil
	}

	if s != nil {
		if err := s.dependency(prefix); err != nil {
			return "", true, err
		}
	}
	if td, ok := c.terms[prefix]; ok {
		if td == nil {
			return "", true, crash("%q uses the null term %q as a prefix", value, prefix)
		}
		if td.iri != "" && td.prefix {
			return td.iri + suffix, true, nil
		}
	}

	// Whether value is absolute only matters when the vocabulary mapping
	// or a relative-IRI error could apply; otherwise it is returned as is
	// either way, and parsing it would be wasted work.
	if (!vocab || !c.hasVocab) && s == nil {
		return value, true, nil
	}
	if ld.IsAbsoluteIri(value) {
		return value, true, nil
	}
	return "", false, nil
}

// reservedForm reports a string of the form json-gold reserves for future
// keywords: "@" followed by ASCII letters only.
func reservedForm(s string) bool {
	if len(s) < 2 || s[0] != '@' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// iriLike reports a term that json-gold treats as an IRI or compact IRI
// when checking it against its own @id: one containing a slash, or a colon
// followed by anything but another colon.
func iriLike(term string) bool {
	if strings.IndexByte(term, '/') >= 0 {
		return true
	}
	for i := 0; i+1 < len(term); i++ {
		if term[i] == ':' && term[i+1] != ':' {
			return true
		}
	}
	return false
}

// endsWithGenDelim reports an IRI ending with a gen-delim character (RFC
// 3986 §2.2), which lets a simple term serve as a prefix.
func endsWithGenDelim(iri string) bool {
	if iri == "" {
		return false
	}
	return strings.IndexByte(":/?#[]@", iri[len(iri)-1]) >= 0
}
