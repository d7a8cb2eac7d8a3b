package canon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/piprate/json-gold/ld"
)

// toRDF turns expanded JSON-LD into an RDF dataset (JSON-LD 1.1 API §8.1,
// "Deserialize JSON-LD to RDF Algorithm"). Its canonical form is the one
// json-gold's JsonLdApi.ToRDF gives, at a fraction of the cost: json-gold
// runs its URL regular expression on every IRI of every statement and
// silently drops statements that fail it, while this package has already
// checked each IRI of the expanded document once (checkExpanded, with a
// cache) and refused the document instead. So toRDF must only be given the
// output of Canonicalizer.expand, and that Canonicalizer's IRI cache.
//
// Where json-gold would drop a statement for a reason checkExpanded does not
// cover, or would sign an error message in place of a value, toRDF returns
// an error wrapping ErrUnsafe instead: those statements would otherwise sit
// outside the signature.
func toRDF(expanded []any, iris *iriCache) (*ld.RDFDataset, error) {
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap, err := generateNodeMap(expanded, issuer)
	if err != nil {
		return nil, err
	}

	dataset := ld.NewRDFDataset()
	for _, name := range sortedKeys(nodeMap) {
		// §8.1: a graph named by a relative IRI is left out.
		if iris.relative(name) {
			continue
		}

		w := &rdfWriter{issuer: issuer, graph: name, quads: []*ld.Quad{}, iris: iris}
		if err := w.writeGraph(nodeMap[name]); err != nil {
			return nil, err
		}
		dataset.Graphs[name] = w.quads
	}
	return dataset, nil
}

// generateNodeMap runs json-gold's Node Map Generation (JSON-LD 1.1 API
// §7.2) as its ToRDF does. json-gold panics on some documents that expand
// without error: when two JSON literals that are objects or arrays meet on
// one property, its duplicate check compares them with ==. A document must
// not be able to crash its verifier, so the panic becomes a refusal.
func generateNodeMap(expanded []any, issuer *ld.IdentifierIssuer) (
	nodeMap map[string]any, err error,
) {
	defer func() {
		if r := recover(); r != nil {
			nodeMap = nil
			err = fmt.Errorf("%w: generating node map: json-gold failed: %v", ErrUnsafe, r)
		}
	}()

	nodeMap = map[string]any{"@default": map[string]any{}}
	api := ld.NewJsonLdApi()
	if _, err = api.GenerateNodeMap(expanded, nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, fmt.Errorf("generating node map: %w", err)
	}
	return nodeMap, nil
}

// rdfWriter collects the statements of one graph of a node map. Its issuer
// is the one that labelled the node map, so the blank nodes it makes for
// lists cannot collide with the document's own.
type rdfWriter struct {
	issuer *ld.IdentifierIssuer
	graph  string
	quads  []*ld.Quad
	iris   *iriCache
}

// writeGraph converts every node of one graph (§8.1). Subjects are
// visited in order so the output does not depend on map iteration.
func (w *rdfWriter) writeGraph(v any) error {
	nodes, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("graph %q of the node map is a %T", w.graph, v)
	}

	for _, id := range sortedKeys(nodes) {
		// §8.1: a subject that is a relative IRI is left out.
		if w.iris.relative(id) {
			continue
		}

		node, ok := nodes[id].(map[string]any)
		if !ok {
			return fmt.Errorf("node %q of the node map is a %T", id, nodes[id])
		}
		if err := w.writeNode(resource(id), node); err != nil {
			return err
		}
	}
	return nil
}

// writeNode emits one statement per value of each property of a node.
func (w *rdfWriter) writeNode(subject ld.Node, node map[string]any) error {
	for _, property := range sortedKeys(node) {
		predicate, ok := w.predicateFor(property)
		if !ok {
			continue
		}

		values, ok := node[property].([]any)
		if !ok {
			return fmt.Errorf("values of %q in the node map are a %T", property, node[property])
		}

		for _, item := range values {
			object, err := w.object(item)
			if err != nil {
				return err
			}
			if object != nil {
				w.emit(subject, predicate, object)
			}
		}
	}
	return nil
}

// predicateFor applies the property rules of §8.1: @type becomes rdf:type;
// other keywords, relative IRIs and blank node identifiers (which only
// generalized RDF allows as predicates) produce no statements.
func (w *rdfWriter) predicateFor(property string) (ld.Node, bool) {
	switch {
	case property == "@type":
		return ld.NewIRI(ld.RDFType), true
	case ld.IsKeyword(property), strings.HasPrefix(property, "_:"), w.iris.relative(property):
		return nil, false
	}
	return ld.NewIRI(property), true
}

// object converts one value of a node map (§8.2, "Object to RDF
// Conversion"). A nil node with a nil error means the value produces no
// statement: a node reference that is a relative IRI.
func (w *rdfWriter) object(item any) (ld.Node, error) {
	if ld.IsValue(item) {
		return valueLiteral(item.(map[string]any))
	}
	if ld.IsList(item) {
		items, ok := item.(map[string]any)["@list"].([]any)
		if !ok {
			return nil, errors.New("@list is not an array")
		}
		return w.list(items)
	}

	switch t := item.(type) {
	case string:
		// Only @type values are bare strings; json-gold keeps them even
		// when relative, and checkExpanded has refused relative types.
		return resource(t), nil
	case map[string]any:
		id, ok := t["@id"].(string)
		if !ok {
			return nil, errors.New("node reference without a string @id")
		}
		if w.iris.relative(id) {
			return nil, nil
		}
		return resource(id), nil
	}
	return nil, fmt.Errorf("unexpected %T in the node map", item)
}

// list converts a list to rdf:first/rdf:rest statements (§8.3, "List to
// RDF Conversion") and returns its head: a fresh blank node, or rdf:nil for an
// empty list.
func (w *rdfWriter) list(items []any) (ld.Node, error) {
	if len(items) == 0 {
		return ld.NewIRI(ld.RDFNil), nil
	}

	head := ld.NewBlankNode(w.issuer.GetId(""))
	cell := ld.Node(head)
	for i, item := range items {
		object, err := w.object(item)
		if err != nil {
			return nil, err
		}
		// json-gold would emit an rdf:first statement without an object.
		if object == nil {
			return nil, fmt.Errorf("%w: a list item is a relative IRI", ErrUnsafe)
		}

		next := ld.Node(ld.NewIRI(ld.RDFNil))
		if i < len(items)-1 {
			next = ld.NewBlankNode(w.issuer.GetId(""))
		}
		w.emit(cell, ld.NewIRI(ld.RDFFirst), object)
		w.emit(cell, ld.NewIRI(ld.RDFRest), next)
		cell = next
	}
	return head, nil
}

func (w *rdfWriter) emit(subject, predicate, object ld.Node) {
	w.quads = append(w.quads, ld.NewQuad(subject, predicate, object, w.graph))
}

// resource names a subject or object: a blank node identifier keeps its
// label, anything else is an IRI.
func resource(id string) ld.Node {
	if strings.HasPrefix(id, "_:") {
		return ld.NewBlankNode(id)
	}
	return ld.NewIRI(id)
}

// valueLiteral converts a value object to a literal (§8.2) as json-gold
// does: booleans and numbers first, whatever their @type (the specification
// writes a JSON literal in RFC 8785 form first, so json-gold gives 2.5 as
// "2.5E0"^^rdf:JSON), and @direction ignored, which is what §8.2 asks when
// the rdfDirection option is unset.
func valueLiteral(v map[string]any) (ld.Node, error) {
	datatype, typed, err := valueType(v)
	if err != nil {
		return nil, err
	}

	switch value := v["@value"].(type) {
	case bool:
		return ld.NewLiteral(strconv.FormatBool(value), typeOr(datatype, typed, ld.XSDBoolean), ""), nil
	case float64:
		return numberLiteral(value, datatype, typed), nil
	case json.Number:
		f, err := value.Float64()
		if err != nil {
			return nil, fmt.Errorf("%w: number %s is out of range", ErrUnsafe, value)
		}
		return numberLiteral(f, datatype, typed), nil
	}
	return stringLiteral(v, datatype, typed)
}

// valueType returns a value object's datatype, with the @json keyword
// replaced by rdf:JSON.
func valueType(v map[string]any) (string, bool, error) {
	raw, typed := v["@type"]
	if !typed {
		return "", false, nil
	}

	datatype, ok := raw.(string)
	if !ok {
		return "", false, fmt.Errorf("%w: @type of a value is a %T", ErrUnsafe, raw)
	}
	if datatype == "@json" {
		datatype = ld.RDFJSONLiteral
	}
	return datatype, true, nil
}

func typeOr(datatype string, typed bool, fallback string) string {
	if typed {
		return datatype
	}
	return fallback
}

// numberLiteral writes a number with a fractional part, one outside the
// int64 range, or one typed xsd:double in canonical xsd:double form, and any
// other as an integer. §8.2 draws the line at 10^21, not at the int64 range;
// this follows json-gold, whose signatures it must reproduce.
func numberLiteral(f float64, datatype string, typed bool) ld.Literal {
	if !integral(f) || datatype == ld.XSDDouble {
		return ld.NewLiteral(ld.GetCanonicalDouble(f), typeOr(datatype, typed, ld.XSDDouble), "")
	}
	return ld.NewLiteral(strconv.FormatInt(int64(f), 10), typeOr(datatype, typed, ld.XSDInteger), "")
}

// integral reports whether f is a whole number that fits an int64.
// json-gold asks whether f == float64(int64(f)); Go leaves the conversion of
// an out-of-range float to the CPU, and the explicit range gives the answer
// amd64 gives on every architecture.
func integral(f float64) bool {
	return f >= -(1<<63) && f < 1<<63 && f == math.Trunc(f)
}

// stringLiteral converts a value object whose value is not a number or a
// boolean (§8.2), testing language, then datatype, in json-gold's order.
func stringLiteral(v map[string]any, datatype string, typed bool) (ld.Node, error) {
	if lang, tagged := v["@language"]; tagged {
		return languageLiteral(v["@value"], lang, datatype, typed)
	}
	if typed && datatype == ld.RDFJSONLiteral {
		return jsonLiteral(v["@value"])
	}

	s, ok := v["@value"].(string)
	if !ok {
		return nil, fmt.Errorf("%w: @value is a %T", ErrUnsafe, v["@value"])
	}
	return ld.NewLiteral(s, typeOr(datatype, typed, ld.XSDString), ""), nil
}

func languageLiteral(value, lang any, datatype string, typed bool) (ld.Node, error) {
	s, ok := value.(string)
	if !ok {
		return nil, fmt.Errorf("%w: a language-tagged @value is a %T", ErrUnsafe, value)
	}
	tag, ok := lang.(string)
	if !ok {
		return nil, fmt.Errorf("%w: @language is a %T", ErrUnsafe, lang)
	}

	// json-gold silently drops a statement whose literal has a malformed
	// language tag, which would leave the value outside the signature.
	if tag != "" && !wellFormedLanguage(tag) {
		return nil, fmt.Errorf("%w: malformed language tag %q", ErrUnsafe, tag)
	}
	return ld.NewLiteral(s, typeOr(datatype, typed, ld.RDFLangString), tag), nil
}

// wellFormedLanguage applies the language tag pattern of json-gold's RDF
// conversion: letters, then hyphen-separated groups of letters and digits.
func wellFormedLanguage(tag string) bool {
	for i, part := range strings.Split(tag, "-") {
		if part == "" {
			return false
		}
		for _, c := range part {
			letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
			digit := '0' <= c && c <= '9'
			if !letter && !(digit && i > 0) {
				return false
			}
		}
	}
	return true
}

// jsonLiteral writes a JSON literal (§8.2) whose value is an object, in the
// JSON Canonicalization Scheme (RFC 8785) json-gold uses. Other values are
// refused rather than mirrored: json-gold parses a string as if it were JSON
// text (JSON-LD means a JSON string) and gives an array or null no text at
// all, and unless the string holds an object or array it signs its
// canonicalizer's error message as the literal.
func jsonLiteral(value any) (ld.Node, error) {
	obj, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: a JSON literal that is a %T, not an object", ErrUnsafe, value)
	}

	lexical, err := canonicalJSON(obj)
	if err != nil {
		return nil, fmt.Errorf("%w: JSON literal: %w", ErrUnsafe, err)
	}
	return ld.NewLiteral(lexical, ld.RDFJSONLiteral, ""), nil
}

// canonicalJSON serializes obj as RFC 8785 does. Like json-gold, it reads
// back what encoding/json writes for obj, so every Go value is taken the way
// encoding/json writes it, and it refuses an object whose member names
// collide once written (invalid UTF-8 becomes U+FFFD), as json-gold's
// canonicalizer does.
func canonicalJSON(obj map[string]any) (string, error) {
	raw, err := json.Marshal(obj)
	if err != nil {
		return "", fmt.Errorf("encoding: %w", err)
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b strings.Builder
	if err := readJCS(dec, &b); err != nil {
		return "", fmt.Errorf("decoding: %w", err)
	}
	return b.String(), nil
}

// readJCS copies one JSON value from dec to b in canonical form.
func readJCS(dec *json.Decoder, b *strings.Builder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}

	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return readJCSObject(dec, b)
		}
		return readJCSArray(dec, b)
	case json.Number:
		return writeJCSNumber(b, t)
	case string:
		writeJCSString(b, t)
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		b.WriteString("null")
	}
	return nil
}

func readJCSArray(dec *json.Decoder, b *strings.Builder) error {
	b.WriteByte('[')
	for i := 0; dec.More(); i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := readJCS(dec, b); err != nil {
			return err
		}
	}
	b.WriteByte(']')

	_, err := dec.Token()
	return err
}

// readJCSObject orders members by the UTF-16 code units of their names
// (RFC 8785 §3.2.3), which differs from byte order beyond the BMP.
func readJCSObject(dec *json.Decoder, b *strings.Builder) error {
	members := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if _, dup := members[name]; dup {
			return fmt.Errorf("duplicate member name %q", name)
		}

		var value strings.Builder
		if err := readJCS(dec, &value); err != nil {
			return err
		}
		members[name] = value.String()
	}
	if _, err := dec.Token(); err != nil {
		return err
	}

	names := slices.SortedFunc(maps.Keys(members), func(x, y string) int {
		return slices.Compare(utf16.Encode([]rune(x)), utf16.Encode([]rune(y)))
	})
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJCSString(b, name)
		b.WriteByte(':')
		b.WriteString(members[name])
	}
	b.WriteByte('}')
	return nil
}

// writeJCSString escapes only what RFC 8785 §3.2.2.2 requires: quote,
// backslash and control characters, the latter by their short escapes where
// JSON has one.
func writeJCSString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

// writeJCSNumber writes a number as ECMAScript's Number.prototype.toString
// does (RFC 8785 §3.2.2.3): the shortest digits that read back as the same
// double, in plain notation from 1e-6 up to 1e21 and in exponent notation
// outside it.
func writeJCSNumber(b *strings.Builder, n json.Number) error {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return fmt.Errorf("number %s: %w", n, err)
	}

	abs := math.Abs(f)
	switch {
	case f == 0:
		b.WriteByte('0')
	case abs >= 1e-6 && abs < 1e21:
		b.WriteString(strconv.FormatFloat(f, 'f', -1, 64))
	default:
		// Go pads the exponent to two digits ("1e-07"); ECMAScript does not.
		mantissa, exponent, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
		b.WriteString(mantissa + "e" + exponent[:1] + strings.TrimLeft(exponent[1:], "0"))
	}
	return nil
}
