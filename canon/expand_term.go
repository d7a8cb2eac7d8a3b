package canon

import (
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// Context entries that are not term definitions, as json-gold lists them.
// @propagate is absent: json-gold hands it to term creation, which skips it.
var contextKeywords = map[string]bool{
	"@base": true, "@direction": true, "@import": true, "@language": true,
	"@protected": true, "@version": true, "@vocab": true,
}

// Entries a term definition may hold in JSON-LD 1.1 (§4.2.2).
var termKeys = map[string]bool{
	"@container": true, "@id": true, "@language": true, "@reverse": true, "@type": true,
	"@context": true, "@direction": true, "@index": true, "@nest": true, "@prefix": true,
	"@protected": true,
}

// Term definition entries outside the supported subset.
var unsupportedTermKeys = []string{"@reverse", "@index", "@nest", "@prefix", "@direction"}

// define processes one context definition (a JSON object) into the context
// being built (§4.1.2 from @version on).
func (b *contextBuilder) define(local map[string]any, override, remote bool) error {
	if err := checkContextEntries(local, remote); err != nil {
		return err
	}

	ctx := b.mutable()
	if err := setVocab(ctx, local); err != nil {
		return err
	}

	s := &termScope{ctx: ctx, local: local, defined: map[string]bool{}, cache: b.p.cache}
	if v, ok := local["@protected"]; ok {
		protect, isBool := v.(bool)
		if !isBool {
			return crash("@protected is a %T", v)
		}
		s.protectAll = protect
	}

	// json-gold visits terms in map order; sorted order makes the rare
	// order-dependent outcome at least repeatable here.
	for _, term := range sortedKeys(local) {
		if !contextKeywords[term] {
			if err := s.define(term, override); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkContextEntries validates @version (the only processing mode is
// JSON-LD 1.1) and sends context-wide features outside the subset to
// json-gold.
func checkContextEntries(local map[string]any, remote bool) error {
	if nested := local["@context"]; nested != nil {
		return errFallback
	}
	if v, ok := local["@version"]; ok {
		if f, isFloat := v.(float64); !isFloat || f != 1.1 {
			return refuse("unsupported @version %v", v)
		}
	}

	for _, k := range [...]string{"@import", "@language", "@direction", "@propagate"} {
		if _, ok := local[k]; ok {
			return errFallback
		}
	}
	// checkContextValue refuses @base at the top level; nested inline
	// contexts are rare enough to leave to json-gold.
	if _, ok := local["@base"]; ok && !remote {
		return errFallback
	}
	return nil
}

// setVocab applies @vocab. json-gold expands it against the context as it
// stands, so it may be a term, a compact IRI or relative to the previous
// vocabulary mapping.
func setVocab(ctx *activeContext, local map[string]any) error {
	v, ok := local["@vocab"]
	if !ok {
		return nil
	}

	switch vocab := v.(type) {
	case nil:
		ctx.vocab, ctx.hasVocab = "", false
	case string:
		iri, err := ctx.expandIRI(vocab, true)
		if err != nil {
			return err
		}
		ctx.vocab, ctx.hasVocab = iri, true
	default:
		return refuse("@vocab is a %T", v)
	}
	return nil
}

// termScope is the state of the Create Term Definition algorithm (§4.2.2)
// for one context definition: the local context and the defined map that
// detects cycles.
type termScope struct {
	ctx        *activeContext
	local      map[string]any
	defined    map[string]bool
	protectAll bool
	cache      *contextCache
}

// define creates the term definition for term, first defining any term of
// the same local context that its IRI depends on.
func (s *termScope) define(term string, override bool) error {
	if done, seen := s.defined[term]; seen {
		if done {
			return nil
		}
		return refuse("cyclic IRI mapping at term %q", term)
	}
	s.defined[term] = false

	value := s.local[term]
	def, simple, err := s.termMap(term, value)
	if def == nil || err != nil {
		return err
	}
	if reservedForm(term) {
		// §4.2.2: terms that look like keywords are ignored.
		return nil
	}

	previous := s.ctx.terms[term]
	delete(s.ctx.terms, term)
	td, err := s.build(term, def, simple, override)
	if td == nil || err != nil {
		return err
	}

	return s.store(term, td, previous, override)
}

// termMap turns a term's value into an expanded term definition. It
// returns a nil map when there is nothing more to do: a null mapping is
// recorded (json-gold does so before any protection check).
func (s *termScope) termMap(term string, value any) (map[string]any, bool, error) {
	def, isMap := value.(map[string]any)
	id, hasID := def["@id"]
	if value == nil || (isMap && hasID && id == nil) {
		s.setTerm(term, nil)
		s.defined[term] = true
		return nil, false, nil
	}

	if str, ok := value.(string); ok {
		return s.keywordCheck(term, value, map[string]any{"@id": str}, true)
	}
	if !isMap {
		return nil, false, refuse("invalid term definition for %q", term)
	}
	return s.keywordCheck(term, value, def, false)
}

// keywordCheck refuses a keyword as a term. json-gold allows @type with
// only @container @set and @protected, which is left to json-gold.
func (s *termScope) keywordCheck(term string, value any, def map[string]any, simple bool) (
	map[string]any, bool, error,
) {
	if !ld.IsKeyword(term) {
		return def, simple, nil
	}

	raw, isMap := value.(map[string]any)
	for k := range raw {
		if k != "@container" && k != "@protected" {
			return nil, false, refuse("keyword redefinition: %s", term)
		}
	}
	if term == "@type" && isMap && (raw["@container"] == "@set" || raw["@container"] == nil) {
		return nil, false, errFallback
	}
	return nil, false, refuse("keyword redefinition: %s", term)
}

// build checks the entries of an expanded term definition and computes
// each mapping, in json-gold's order.
func (s *termScope) build(term string, def map[string]any, simple, override bool) (
	*termDef, error,
) {
	for k := range def {
		if !termKeys[k] {
			return nil, refuse("a term definition must not contain %s", k)
		}
	}
	if err := unsupportedTerm(def); err != nil {
		return nil, err
	}

	td := &termDef{}
	ignored, err := s.termIRI(term, def, simple, override, td)
	if ignored || err != nil {
		return nil, err
	}

	if err := s.termProtection(term, def, td); err != nil {
		return nil, err
	}
	if err := s.termType(def, td); err != nil {
		return nil, err
	}
	if err := termContainer(def, td); err != nil {
		return nil, err
	}

	if scoped, ok := def["@context"]; ok {
		td.hasScoped, td.scoped = true, scoped
		td.scopedKey = "t" + strconv.FormatUint(s.cache.newID(), 10)
	}
	if td.iri == "@context" || td.iri == "@preserve" {
		return nil, refuse("invalid keyword alias: %s", td.iri)
	}
	return td, nil
}

// unsupportedTerm sends term definitions outside the subset to json-gold.
// json-gold ignores @language when @type is present.
func unsupportedTerm(def map[string]any) error {
	for _, k := range unsupportedTermKeys {
		if _, ok := def[k]; ok {
			return errFallback
		}
	}

	_, hasType := def["@type"]
	if _, ok := def["@language"]; ok && !hasType {
		return errFallback
	}
	return nil
}

// termIRI sets the IRI mapping (§4.2.2, @id, compact IRI and vocabulary
// cases) and the prefix flag. ignored reports an @id that has the form of a
// keyword: as the specification says, the term is then left undefined,
// even if it was defined (and protected) before.
func (s *termScope) termIRI(term string, def map[string]any, simple, override bool, td *termDef) (
	ignored bool, err error,
) {
	if raw, ok := def["@id"]; ok {
		id, isString := raw.(string)
		if !isString {
			return false, refuse("@id of term %q is not a string", term)
		}
		if term != id {
			if !ld.IsKeyword(id) && reservedForm(id) {
				return true, nil
			}
			if err := s.explicitIRI(term, id, simple, td); err != nil {
				return false, err
			}
		}
	}

	if td.iri == "" {
		return false, s.implicitIRI(term, override, td)
	}
	return false, nil
}

// explicitIRI expands a term's @id. A term that itself looks like an IRI
// must expand to the same IRI, so a context cannot make "https://a/b" mean
// something else.
func (s *termScope) explicitIRI(term, id string, simple bool, td *termDef) error {
	iri, err := s.expandIRI(id)
	if err != nil {
		return err
	}
	if !ld.IsKeyword(iri) && !ld.IsAbsoluteIri(iri) {
		return refuse("term %q maps to %q, not an IRI or keyword", term, iri)
	}
	if iri == "@context" {
		return refuse("invalid keyword alias: @context")
	}
	td.iri = iri

	if iriLike(term) {
		s.defined[term] = true
		own, err := s.expandIRI(term)
		if err != nil {
			return err
		}
		if own != iri {
			return refuse("term %q expands to %q, not %q", term, own, iri)
		}
		delete(s.defined, term)
	}

	// json-gold's prefix flag: a simple term without a colon after its
	// first character whose IRI ends with a gen-delim character. Unlike
	// §4.2.2 it does not exclude terms containing a slash.
	colon := strings.IndexByte(term, ':')
	td.prefix = colon <= 0 && simple && endsWithGenDelim(iri)
	return nil
}

// implicitIRI handles a term without @id: a compact IRI or IRI names
// itself, any other term is appended to the vocabulary mapping.
func (s *termScope) implicitIRI(term string, override bool, td *termDef) error {
	colon := strings.IndexByte(term, ':')
	if colon > 0 {
		prefix := term[:colon]
		if _, ok := s.local[prefix]; ok {
			if err := s.define(prefix, override); err != nil {
				return err
			}
		}

		// Unlike IRI expansion, json-gold does not ask for the prefix flag
		// here.
		ptd, ok := s.ctx.terms[prefix]
		switch {
		case ok && ptd == nil:
			return crash("term %q uses the null term %q as a prefix", term, prefix)
		case ok:
			td.iri = ptd.iri + term[colon+1:]
		default:
			td.iri = term
		}
		return nil
	}

	if s.ctx.hasVocab {
		td.iri = s.ctx.vocab + term
		return nil
	}
	return refuse("term %q has no IRI: no @id and no @vocab", term)
}

// termProtection applies @protected from the definition or its context.
func (s *termScope) termProtection(term string, def map[string]any, td *termDef) error {
	protect := s.protectAll
	if v, ok := def["@protected"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return crash("@protected of term %q is a %T", term, v)
		}
		protect = b
	}

	if protect {
		s.ctx.protected, td.protected = true, true
	}
	s.defined[term] = true
	return nil
}

// termType sets the type mapping: a keyword or an absolute IRI that is not
// a blank node identifier.
func (s *termScope) termType(def map[string]any, td *termDef) error {
	raw, ok := def["@type"]
	if !ok {
		return nil
	}
	typ, isString := raw.(string)
	if !isString {
		return refuse("invalid type mapping %v", raw)
	}

	switch typ {
	case "@id", "@vocab", "@json", "@none":
	default:
		iri, err := s.expandIRI(typ)
		if err != nil {
			return err
		}
		if !ld.IsAbsoluteIri(iri) || strings.HasPrefix(iri, "_:") {
			return refuse("invalid type mapping %q", typ)
		}
		typ = iri
	}
	td.typ = typ
	return nil
}

// termContainer sets the container mapping. Supported: @set, @list, @graph
// and @graph with @set; the maps (@index, @language, @id, @type) go to
// json-gold once the combination is known to be valid.
func termContainer(def map[string]any, td *termDef) error {
	raw, ok := def["@container"]
	if !ok {
		return nil
	}
	list, err := containerList(raw)
	if err != nil {
		return err
	}

	if err := checkContainer(list); err != nil {
		return err
	}
	for _, c := range list {
		switch c {
		case "@index", "@language", "@id":
			return errFallback
		}
	}

	td.container = list
	td.list = slices.Contains(list, "@list")
	td.set = slices.Contains(list, "@set")
	td.graph = slices.Contains(list, "@graph")
	return nil
}

// containerList reads @container: a string or an array of strings
// (anything else makes json-gold panic).
func containerList(raw any) ([]string, error) {
	switch v := raw.(type) {
	case string:
		return []string{v}, nil
	case []any:
		list := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, crash("@container holds a %T", item)
			}
			list = append(list, s)
		}
		return list, nil
	}
	return nil, crash("@container is a %T", raw)
}

// checkContainer applies json-gold's rules for combining containers
// (JSON-LD 1.1 §9.15.1, "@container").
func checkContainer(list []string) error {
	has := func(c string) bool { return slices.Contains(list, c) }
	switch {
	case has("@list") && len(list) != 1:
		return refuse("@list cannot be combined with another container")
	case has("@type"):
		return errFallback
	case has("@graph"):
		for _, c := range list {
			if c != "@graph" && c != "@id" && c != "@index" && c != "@set" {
				return refuse("@graph cannot be combined with %s", c)
			}
		}
	case has("@set") && len(list) > 2, !has("@set") && len(list) > 1:
		return refuse("invalid container combination %v", list)
	}

	for _, c := range list {
		switch c {
		case "@list", "@set", "@index", "@language", "@graph", "@id", "@type":
		default:
			return refuse("invalid container %q", c)
		}
	}
	if has("@set") && has("@list") {
		return refuse("@set cannot be combined with @list")
	}
	return nil
}

// store records a new definition, refusing to change a protected one
// unless a property-scoped context overrides protection (§4.2.2, protected
// term redefinition). An identical redefinition is allowed.
func (s *termScope) store(term string, td, previous *termDef, override bool) error {
	if previous != nil && previous.protected && !override {
		s.ctx.protected, td.protected = true, true
		if !sameDefinition(previous, td) {
			return refuse("protected term redefinition: %q", term)
		}
	}

	s.setTerm(term, td)
	return nil
}

func (s *termScope) setTerm(term string, td *termDef) {
	if s.ctx.terms == nil {
		s.ctx.terms = map[string]*termDef{}
	}
	s.ctx.terms[term] = td
}

// sameDefinition compares two definitions as json-gold does: the prefix
// flag is not compared, and scoped contexts are compared structurally with
// arrays in any order.
func sameDefinition(a, b *termDef) bool {
	return a.iri == b.iri && a.typ == b.typ && a.protected == b.protected &&
		a.hasScoped == b.hasScoped &&
		(a.container == nil) == (b.container == nil) && slices.Equal(a.container, b.container) &&
		ld.DeepCompare(a.scoped, b.scoped, false)
}

// expandIRI expands a value of a term definition, defining the terms of
// the local context it depends on first.
func (s *termScope) expandIRI(value string) (string, error) {
	return expandIRI(s.ctx, value, true, s)
}

// dependency defines a term of the local context that an IRI being
// expanded needs, unless it is already defined.
func (s *termScope) dependency(term string) error {
	if _, ok := s.local[term]; ok && !s.defined[term] {
		// json-gold never overrides protection for dependencies.
		return s.define(term, false)
	}
	return nil
}
