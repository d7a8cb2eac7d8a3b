package canon

import (
	"maps"

	"github.com/laurel-badges/laurel/schemas"
)

// activeContext is an active context (JSON-LD 1.1 API §4.1): the term
// definitions and vocabulary mapping in force at one point of a document.
// It is never modified once built, so one processed context serves every
// document and goroutine that reaches the same combination of contexts.
type activeContext struct {
	// id identifies the context in the processing cache; the initial
	// context is 0, every other context gets a fresh id when built.
	id uint64

	// terms maps each defined term to its definition; a nil definition
	// is a term explicitly mapped to null.
	terms map[string]*termDef

	vocab    string
	hasVocab bool

	// protected records that some term was protected when it was defined.
	// json-gold refuses to nullify such a context outside a property-scoped
	// context (§4.1.2, invalid context nullification), even after the
	// protected term itself has been redefined.
	protected bool

	// previous is the context in force before a type-scoped context, which
	// does not propagate to nested nodes (§4.1.2, propagate false).
	previous *activeContext
}

// termDef is a term definition (§4.2) restricted to the supported subset.
type termDef struct {
	// iri is the IRI mapping, or a keyword for an alias.
	iri string
	// typ is the type mapping: "", @id, @vocab, @json, @none or an IRI.
	typ string
	// container is @container as written, kept for the comparison of
	// protected redefinitions, with the flags expansion needs.
	container         []string
	list, set, graph  bool
	prefix, protected bool

	// scoped is the term's local context (@context), which may be null;
	// scopedKey identifies it in the processing cache.
	hasScoped bool
	scoped    any
	scopedKey string
}

func initialContext() *activeContext {
	return &activeContext{}
}

// clone returns a mutable copy of c without an id.
func (c *activeContext) clone() *activeContext {
	return &activeContext{
		terms:     maps.Clone(c.terms),
		vocab:     c.vocab,
		hasVocab:  c.hasVocab,
		protected: c.protected,
		previous:  c.previous,
	}
}

// processor applies local contexts and expands elements for one document.
type processor struct {
	loader *schemas.Loader
	cache  *contextCache

	// goldContainers reads a property's container mapping where json-gold
	// reads it (see nodeExpansion.containers). Only tests set it.
	goldContainers bool
}

// scoped applies the local context of a term definition: property-scoped
// (propagate and override protected) or type-scoped (neither).
func (p *processor) scoped(active *activeContext, td *termDef, propagate, override bool) (
	*activeContext, error,
) {
	key := cacheKey{ctx: active.id, local: td.scopedKey, propagate: propagate, override: override}
	if got, ok := p.cache.get(key); ok {
		return got, nil
	}

	result, err := p.process(active, td.scoped, propagate, override, false)
	if err != nil {
		return nil, err
	}
	p.cache.put(key, result)
	return result, nil
}

// inline applies a context written in a document. It is cached by its
// content, and a private copy is kept, because the caller may change its
// document after Canonicalize returns.
func (p *processor) inline(active *activeContext, local any, propagate, override bool) (
	*activeContext, error,
) {
	encoded, err := contextKey(local)
	if err != nil {
		return nil, err
	}

	key := cacheKey{ctx: active.id, local: encoded, propagate: propagate, override: override}
	if got, ok := p.cache.get(key); ok {
		return got, nil
	}

	result, err := p.process(active, cloneJSON(local), propagate, override, false)
	if err != nil {
		return nil, err
	}
	p.cache.put(key, result)
	return result, nil
}

// remote applies a pinned context by URL (§4.1.2, remote contexts). As in
// json-gold, its own contexts propagate and @base in it is ignored.
func (p *processor) remote(active *activeContext, url string, override bool) (
	*activeContext, error,
) {
	key := cacheKey{ctx: active.id, local: "u" + url, propagate: true, override: override}
	if got, ok := p.cache.get(key); ok {
		return got, nil
	}

	rd, err := p.loader.LoadDocument(url)
	if err != nil {
		return nil, badContext("loading %s: %w", url, err)
	}
	doc, isMap := rd.Document.(map[string]any)
	local, ok := doc["@context"]
	if !isMap || !ok {
		return nil, badContext("%s has no @context", url)
	}

	result, err := p.process(active, local, true, override, true)
	if err != nil {
		return nil, err
	}
	p.cache.put(key, result)
	return result, nil
}

// process runs the Context Processing algorithm (§4.1.2) on an array of
// local contexts, as json-gold's Context.parse does.
func (p *processor) process(active *activeContext, local any, propagate, override, remote bool) (
	*activeContext, error,
) {
	items, isArray := local.([]any)
	if !isArray {
		items = []any{local}
	}
	if len(items) == 0 {
		return active, nil
	}
	if first, ok := items[0].(map[string]any); ok {
		if _, ok := first["@propagate"]; ok {
			return nil, errFallback
		}
	}

	b := &contextBuilder{p: p, ctx: active.clone(), owned: true, propagate: propagate}
	if !propagate && b.ctx.previous == nil {
		b.ctx.previous = active
	}

	for _, item := range items {
		if err := b.apply(item, override, remote); err != nil {
			return nil, err
		}
	}
	return b.frozen(), nil
}

// contextBuilder holds the result of processing one array of local
// contexts while it is built. A remote context replaces it with a shared,
// immutable context, which is copied again before it is changed.
type contextBuilder struct {
	p         *processor
	ctx       *activeContext
	owned     bool
	propagate bool
	seen      []string
}

func (b *contextBuilder) apply(item any, override, remote bool) error {
	switch v := item.(type) {
	case nil:
		return b.nullify(override)
	case string:
		return b.remote(v, override)
	case map[string]any:
		return b.define(v, override, remote)
	}
	return badContext("a local context is a %T", item)
}

// nullify handles a null local context: a new empty context, refused over
// protected terms unless a property-scoped context allows it (§4.1.2).
func (b *contextBuilder) nullify(override bool) error {
	if !override && b.ctx.protected {
		return refuse("invalid context nullification: the context has protected terms")
	}

	empty := initialContext()
	if !b.propagate {
		empty.previous = b.frozen()
	}
	b.ctx, b.owned = empty, true
	return nil
}

// remote applies a context URL. json-gold refuses the same URL twice in
// one array as a recursive inclusion, but only within that array.
func (b *contextBuilder) remote(url string, override bool) error {
	for _, u := range b.seen {
		if u == url {
			return badContext("recursive context inclusion: %s", url)
		}
	}
	b.seen = append(b.seen, url)

	result, err := b.p.remote(b.frozen(), url, override)
	if err != nil {
		return err
	}
	b.ctx, b.owned = result, false
	return nil
}

// mutable returns the context being built, copying it first if it is
// shared.
func (b *contextBuilder) mutable() *activeContext {
	if !b.owned {
		b.ctx, b.owned = b.ctx.clone(), true
	}
	return b.ctx
}

// frozen gives the context being built its identity, after which it must
// not change; the builder copies it before any further change.
func (b *contextBuilder) frozen() *activeContext {
	if b.owned {
		b.ctx.id = b.p.cache.newID()
		b.owned = false
	}
	return b.ctx
}
