package canon

import "strings"

// losesContainers reports whether json-gold's expansion of doc might leave
// out a container: whether doc uses, as a key, a term that some context
// within its reach defines with a property-scoped context (@context) and
// that some definition gives a container mapping (@container).
//
// JSON-LD 1.1 API §5.1.2 (step 13.5) takes a property's container mapping
// from the active context; json-gold takes it from the property-scoped
// context instead. The two differ only for such a term: VC Data Model 2.0
// defines verifiableCredential with "@container": "@graph" and "@context":
// null, and json-gold then puts a presentation's credentials in its default
// graph rather than in named graphs of their own, which signs other
// statements than jsonld.js does. The fast expander follows the
// specification; a document that needs json-gold and may meet the
// difference is refused (Canonicalizer.expand).
//
// The test is by name and so errs on the side of refusal: the term need not
// be in force where the key is used.
func (c *Canonicalizer) losesContainers(doc map[string]any) bool {
	s := &termSurvey{c: c, loaded: map[string]bool{}, scoped: map[string]bool{},
		contained: map[string]bool{}}
	s.document(doc)

	return usesKey(doc, func(key string) bool { return s.scoped[key] && s.contained[key] })
}

// termSurvey collects the names of the term definitions that carry a
// local context and those that carry a container mapping, from every
// context a document names or embeds, pinned contexts included.
type termSurvey struct {
	c         *Canonicalizer
	loaded    map[string]bool
	scoped    map[string]bool
	contained map[string]bool
}

// document finds the contexts of a document: @context entries at any depth.
func (s *termSurvey) document(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, item := range t {
			if k == "@context" {
				s.context(item)
			} else {
				s.document(item)
			}
		}
	case []any:
		for _, item := range t {
			s.document(item)
		}
	}
}

// context surveys one context value: a URL, a context object or an array
// of them.
func (s *termSurvey) context(v any) {
	switch t := v.(type) {
	case string:
		s.remote(t)
	case []any:
		for _, item := range t {
			s.context(item)
		}
	case map[string]any:
		for term, def := range t {
			if term == "@import" {
				s.context(def)
				continue
			}
			d, ok := def.(map[string]any)
			if !ok || strings.HasPrefix(term, "@") {
				continue
			}
			if local, has := d["@context"]; has {
				s.scoped[term] = true
				s.context(local)
			}
			if _, has := d["@container"]; has {
				s.contained[term] = true
			}
		}
	}
}

// remote surveys a context named by URL once; the loader serves only
// pinned contexts, and any other URL is refused later by expansion.
func (s *termSurvey) remote(url string) {
	if s.loaded[url] || !s.c.loader.Allows(url) {
		return
	}
	s.loaded[url] = true

	doc, err := s.c.loader.LoadDocument(url)
	if err != nil {
		return
	}
	if m, ok := doc.Document.(map[string]any); ok {
		s.context(m["@context"])
	}
}

// usesKey reports whether any object of v outside its contexts has a key
// that match accepts.
func usesKey(v any, match func(string) bool) bool {
	switch t := v.(type) {
	case map[string]any:
		for k, item := range t {
			if k == "@context" {
				continue
			}
			if match(k) || usesKey(item, match) {
				return true
			}
		}
	case []any:
		for _, item := range t {
			if usesKey(item, match) {
				return true
			}
		}
	}
	return false
}
