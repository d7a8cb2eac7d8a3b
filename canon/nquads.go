package canon

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// writeNQuads serializes canonically labelled, sorted quads as N-Quads,
// exactly as json-gold writes each line, but into one buffer: json-gold's
// own NormalisationAlgorithm.Main joins the lines by repeated string
// concatenation, which costs time quadratic in the document's size.
func writeNQuads(quads []*ld.Quad) string {
	var b strings.Builder
	b.Grow(128 * len(quads))
	for _, q := range quads {
		writeQuad(&b, q, nil)
	}
	return b.String()
}

// writeQuad writes one statement as an N-Quads line. With a label map,
// each blank node is written under the label the map gives its canonical
// label; callers check the map covers every blank node first.
func writeQuad(b *strings.Builder, q *ld.Quad, labels map[string]string) {
	writeTerm(b, q.Subject, labels)
	b.WriteByte(' ')
	writeTerm(b, q.Predicate, labels)
	b.WriteByte(' ')
	writeTerm(b, q.Object, labels)
	if q.Graph != nil {
		b.WriteByte(' ')
		writeTerm(b, q.Graph, labels)
	}
	b.WriteString(" .\n")
}

func writeTerm(b *strings.Builder, n ld.Node, labels map[string]string) {
	switch t := n.(type) {
	case ld.IRI:
		b.WriteByte('<')
		escapeTo(b, t.Value)
		b.WriteByte('>')
	case ld.BlankNode:
		if labels == nil {
			b.WriteString(t.Attribute)
			return
		}
		b.WriteString("_:")
		b.WriteString(labels[strings.TrimPrefix(t.Attribute, "_:")])
	case ld.Literal:
		b.WriteByte('"')
		escapeTo(b, t.Value)
		b.WriteByte('"')
		switch t.Datatype {
		case ld.RDFLangString:
			b.WriteByte('@')
			b.WriteString(t.Language)
		case ld.XSDString:
		default:
			b.WriteString("^^<")
			escapeTo(b, t.Datatype)
			b.WriteByte('>')
		}
	}
}

// escapeTo writes s with the escapes json-gold's N-Quads writer uses.
func escapeTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
}
