package canon

import (
	"slices"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// element runs the Expansion algorithm (JSON-LD 1.1 API §5.1.2) on one
// element, with property as the active property. A nil result means the
// element is dropped.
func (p *processor) element(active *activeContext, property string, element any) (any, error) {
	switch el := element.(type) {
	case nil:
		return nil, nil
	case []any:
		return p.array(active, property, el)
	case map[string]any:
		return p.node(active, property, el)
	}

	// A scalar: dropped at the top level and directly under @graph,
	// otherwise a value (§5.3).
	if property == "" || property == "@graph" {
		return nil, nil
	}
	return active.expandValue(property, element)
}

// array expands each item; an array inside a list container becomes a
// nested list, any other array result is flattened into this one.
func (p *processor) array(active *activeContext, property string, items []any) (any, error) {
	inList := property == "@list" || active.container(property).list
	out := make([]any, 0, len(items))
	for _, item := range items {
		v, err := p.element(active, property, item)
		if err != nil {
			return nil, err
		}

		nested, isArray := v.([]any)
		switch {
		case isArray && inList:
			out = append(out, map[string]any{"@list": nested})
		case isArray:
			out = append(out, nested...)
		case v != nil:
			out = append(out, v)
		}
	}
	return out, nil
}

// node expands a JSON object: a node, value, list or set object.
func (p *processor) node(active *activeContext, property string, el map[string]any) (any, error) {
	keys := sortedKeys(el)
	active, typeScoped, typeKey, err := p.nodeContext(active, property, el, keys)
	if err != nil {
		return nil, err
	}

	n := &nodeExpansion{p: p, active: active, typeScoped: typeScoped, property: property,
		result: make(map[string]any, len(keys))}
	if err := n.entries(el, keys, typeKey); err != nil {
		return nil, err
	}
	return finishNode(n.result, property)
}

// nodeContext works out the active context for the entries of a JSON
// object (§5.1.2): revert a type-scoped context, then apply the active
// property's scoped context, the object's own @context and the scoped
// contexts of its types, in that order. typeScoped is the context before
// the types' contexts, against which @type values expand.
func (p *processor) nodeContext(
	active *activeContext, property string, el map[string]any, keys []string,
) (
	*activeContext, *activeContext, string, error,
) {
	propertyTerm := active.terms[property]
	local, hasContext := el["@context"]

	active, err := active.revert(keys, hasContext)
	if err != nil {
		return nil, nil, "", err
	}
	// As json-gold does, the property-scoped context is looked up in the
	// context the parent passed down, which propertyValue built by applying
	// it already, and applied again after reverting; a null one is skipped
	// here (propertyValue applied it).
	if propertyTerm != nil && propertyTerm.scoped != nil {
		if active, err = p.scoped(active, propertyTerm, true, true); err != nil {
			return nil, nil, "", err
		}
	}
	if hasContext {
		if active, err = p.inline(active, local, true, false); err != nil {
			return nil, nil, "", err
		}
	}

	typeScoped := active
	active, typeKey, err := p.typeContexts(active, typeScoped, el, keys)
	return active, typeScoped, typeKey, err
}

// revert returns the context in force before a type-scoped context, since
// such a context does not apply inside nested node objects. A value object,
// or a lone @id, keeps it.
func (c *activeContext) revert(keys []string, hasContext bool) (*activeContext, error) {
	if c.previous == nil {
		return c, nil
	}

	if len(keys) <= 2 && !hasContext {
		for _, k := range keys {
			iri, err := c.expandIRI(k, true)
			if err != nil {
				return nil, err
			}
			if iri == "@value" || iri == "@id" && len(keys) == 1 {
				return c, nil
			}
		}
	}
	return c.previous, nil
}

// typeContexts applies the type-scoped contexts of the object's types, in
// lexicographical order of the type names as written, without propagation
// (§5.1.2). Each key is expanded in the context as it stands, so a type's
// context can change what a later key means. typeKey is the last key that
// expands to @type.
func (p *processor) typeContexts(
	active, typeScoped *activeContext, el map[string]any, keys []string,
) (
	*activeContext, string, error,
) {
	typeKey := ""
	for _, k := range keys {
		iri, err := active.expandIRI(k, true)
		if err != nil {
			return nil, "", err
		}
		if iri != "@type" {
			continue
		}

		names, err := typeNames(el[k])
		if err != nil {
			return nil, "", err
		}
		for _, name := range names {
			if td := typeScoped.terms[name]; td != nil && td.hasScoped {
				if active, err = p.scoped(active, td, false, false); err != nil {
					return nil, "", err
				}
			}
		}
		typeKey = k
	}
	return active, typeKey, nil
}

// typeNames returns the values of a @type entry, sorted, refusing anything
// but a string or an array of strings.
func typeNames(v any) ([]string, error) {
	switch t := v.(type) {
	case string:
		return []string{t}, nil
	case []any:
		names := make([]string, 0, len(t))
		for _, item := range t {
			s, ok := item.(string)
			if !ok {
				return nil, refuse("@type values must be strings")
			}
			names = append(names, s)
		}
		slices.Sort(names)
		return names, nil
	}
	return nil, refuse("@type must be a string or an array of strings")
}

// nodeExpansion is the state of expanding the entries of one JSON object.
type nodeExpansion struct {
	p          *processor
	active     *activeContext
	typeScoped *activeContext
	property   string
	inputType  string
	result     map[string]any
}

// entries expands every entry of el into the result, in key order.
func (n *nodeExpansion) entries(el map[string]any, keys []string, typeKey string) error {
	var err error
	if n.inputType, err = n.active.inputType(el, typeKey); err != nil {
		return err
	}

	for _, key := range keys {
		if key == "@context" {
			continue
		}

		iri, err := n.active.expandIRI(key, true)
		if err != nil {
			return err
		}
		// Safe mode: a key that is neither a keyword nor an IRI (json-gold
		// asks only for a colon) would be dropped, so it is refused.
		if iri == "" || !strings.Contains(iri, ":") && !ld.IsKeyword(iri) {
			return refuse("property %q is not defined by the context", key)
		}

		if ld.IsKeyword(iri) {
			err = n.keyword(iri, el[key])
		} else {
			err = n.propertyValue(key, iri, el[key])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// inputType is the expanded last type of the object, which decides
// whether @value may hold JSON. json-gold reads the entry named by the
// type key even when there is none, that is the entry named "".
func (c *activeContext) inputType(el map[string]any, typeKey string) (string, error) {
	v := el[typeKey]
	if list, ok := v.([]any); ok {
		v = nil
		if len(list) > 0 {
			v = list[len(list)-1]
		}
	}

	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return c.expandIRI(t, true)
	case map[string]any:
		return "", refuse("@type must be a string or an array of strings")
	}
	return "", crash("the type of an object is a %T", v)
}

// keyword expands an entry whose key expands to a keyword (§5.1.2).
func (n *nodeExpansion) keyword(kw string, value any) error {
	if _, dup := n.result[kw]; dup && kw != "@type" && kw != "@included" {
		return refuse("colliding keywords: %s", kw)
	}

	v, err := n.keywordValue(kw, value)
	if err != nil || v == nil {
		return err
	}
	n.result[kw] = v
	return nil
}

// keywordValue computes the expanded value of one keyword entry; nil
// means nothing is added. Keywords json-gold does not handle in a node
// (@base, @vocab, @container ...) are dropped as it drops them.
func (n *nodeExpansion) keywordValue(kw string, value any) (any, error) {
	switch kw {
	case "@id":
		s, ok := value.(string)
		if !ok {
			return nil, refuse("@id must be a string")
		}
		return n.active.expandIRI(s, false)
	case "@type":
		return n.types(value)
	case "@value":
		return n.value(value)
	case "@language", "@direction", "@index":
		return stringKeyword(kw, value)
	case "@graph":
		v, err := n.p.element(n.active, "@graph", value)
		return arrayify(v), err
	case "@included":
		return n.included(value)
	case "@list", "@set":
		return n.listOrSet(kw, value)
	case "@reverse", "@nest", "@default", "@explicit", "@embed", "@requireAll", "@omitDefault":
		return nil, errFallback
	}
	return nil, nil
}

// types expands @type values against the context before type-scoped
// contexts. Quirks kept from json-gold: a second key expanding to @type
// adds a single string to the first but an array replaces it, and an empty
// array is kept as a nil array.
func (n *nodeExpansion) types(value any) (any, error) {
	switch v := value.(type) {
	case []any:
		var out []any
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, refuse("@type values must be strings")
			}
			iri, err := n.typeScoped.expandIRI(s, true)
			if err != nil {
				return nil, err
			}
			out = append(out, iri)
		}
		return out, nil
	case string:
		iri, err := n.typeScoped.expandIRI(v, true)
		if err != nil {
			return nil, err
		}
		if prev, ok := n.result["@type"]; ok {
			return append(arrayify(prev), iri), nil
		}
		return iri, nil
	case map[string]any:
		// Only reachable through a key that a type-scoped context made an
		// alias of @type; json-gold then keeps an empty object as is.
		if len(v) == 0 {
			return v, nil
		}
	}
	return nil, refuse("@type must be a string or an array of strings")
}

// value checks @value: a scalar or null, or any JSON when the object's
// type is @json. A null value is recorded, so the object can be dropped.
func (n *nodeExpansion) value(value any) (any, error) {
	if n.inputType != "@json" {
		switch value.(type) {
		case map[string]any, []any:
			return nil, refuse("@value must be a scalar or null")
		}
	}

	if value == nil {
		n.result["@value"] = nil
	}
	return value, nil
}

// stringKeyword checks keywords whose value must be a string. json-gold
// lowercases @language and does not check @direction further.
func stringKeyword(kw string, value any) (any, error) {
	s, ok := value.(string)
	if !ok {
		return nil, refuse("%s must be a string", kw)
	}
	if kw == "@language" {
		return strings.ToLower(s), nil
	}
	return s, nil
}

// included expands @included: node objects that sit beside this one.
func (n *nodeExpansion) included(value any) (any, error) {
	v, err := n.p.element(n.active, n.property, value)
	if err != nil {
		return nil, err
	}

	list := arrayify(v)
	for _, item := range list {
		if !ld.IsSubject(item) {
			return nil, refuse("@included values must be node objects")
		}
	}
	if prev, ok := n.result["@included"].([]any); ok {
		list = append(prev, list...)
	}
	return list, nil
}

// listOrSet expands the content of a list or set object.
//
// json-gold ignores errors here, even in safe mode: the content of a @set
// that fails expansion becomes nothing and that of a @list a list holding
// null, so a document could carry claims its signature does not cover.
// The fast expander refuses such content instead.
func (n *nodeExpansion) listOrSet(kw string, value any) (any, error) {
	if kw == "@list" && (n.property == "" || n.property == "@graph") {
		return nil, nil
	}

	v, err := n.p.element(n.active, n.property, value)
	if err != nil {
		return nil, err
	}
	if kw == "@list" {
		return arrayify(v), nil
	}
	return v, nil
}

// propertyValue expands an entry whose key expands to an IRI, applying
// the key's property-scoped context and container mapping.
func (n *nodeExpansion) propertyValue(key, iri string, value any) error {
	termCtx := n.active
	td := n.active.terms[key]
	if td != nil && td.hasScoped {
		var err error
		if termCtx, err = n.p.scoped(n.active, td, true, true); err != nil {
			return err
		}
	}

	var v any
	if td != nil && td.typ == "@json" {
		v = map[string]any{"@type": "@json", "@value": value}
	} else {
		var err error
		if v, err = n.p.element(termCtx, key, value); err != nil {
			return err
		}
	}
	if v == nil {
		return nil
	}

	v = n.containers(termCtx).container(key).wrap(v)
	list, ok := n.result[iri].([]any)
	if !ok {
		list = make([]any, 0, 1)
	}
	if values, isArray := v.([]any); isArray {
		n.result[iri] = append(list, values...)
	} else {
		n.result[iri] = append(list, v)
	}
	return nil
}

// containers returns the context whose container mapping for a property
// applies: the node's active context, not the property-scoped termCtx its
// value expanded in (JSON-LD 1.1 API §5.1.2, step 13.5, as jsonld.js does).
// The two differ when a property-scoped context drops or redefines the
// property itself: VC Data Model 2.0 gives verifiableCredential both
// "@container": "@graph" and "@context": null, so each credential of a
// presentation is a named graph of its own. json-gold reads termCtx and
// loses the container there; goldContainers mimics it for tests.
func (n *nodeExpansion) containers(termCtx *activeContext) *activeContext {
	if n.p.goldContainers {
		return termCtx
	}
	return n.active
}

// containerFlags is the part of a container mapping expansion needs.
type containerFlags struct {
	list, graph bool
}

func (c *activeContext) container(term string) containerFlags {
	td := c.terms[term]
	if td == nil {
		return containerFlags{}
	}
	return containerFlags{list: td.list, graph: td.graph}
}

// wrap turns an expanded value into a list object for a @list container,
// and each value into a graph object for a @graph container (§5.1.2).
func (f containerFlags) wrap(v any) any {
	if f.list {
		if m, ok := v.(map[string]any); !ok || !hasKey(m, "@list") {
			v = map[string]any{"@list": arrayify(v)}
		}
	}

	if f.graph {
		values := arrayify(v)
		graphs := make([]any, 0, len(values))
		for _, item := range values {
			graphs = append(graphs, map[string]any{"@graph": arrayify(item)})
		}
		v = graphs
	}
	return v
}

// expandValue is Value Expansion (§5.3) for a scalar under property.
func (c *activeContext) expandValue(property string, value any) (any, error) {
	td := c.terms[property]
	if td != nil && (td.typ == "@id" || td.typ == "@vocab") {
		s, ok := value.(string)
		if !ok {
			return map[string]any{"@value": value}, nil
		}
		iri, err := c.expandIRI(s, td.typ == "@vocab")
		if err != nil {
			return nil, err
		}
		return map[string]any{"@id": iri}, nil
	}

	out := map[string]any{"@value": value}
	if td != nil && td.typ != "" && td.typ != "@none" {
		out["@type"] = td.typ
	}
	return out, nil
}

func arrayify(v any) []any {
	if list, ok := v.([]any); ok {
		return list
	}
	return []any{v}
}

func hasKey(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
