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

// writeQuad writes one statement as an N-Quads line, exactly as json-gold
// writes it. With a name function, each blank node is written under the
// label name gives its label (both without "_:"); callers make sure name
// has an answer for every blank node.
func writeQuad(b *strings.Builder, q *ld.Quad, name func(label string) string) {
	writeTerm(b, q.Subject, name)
	b.WriteByte(' ')
	writeTerm(b, q.Predicate, name)
	b.WriteByte(' ')
	writeTerm(b, q.Object, name)
	if q.Graph != nil {
		b.WriteByte(' ')
		writeTerm(b, q.Graph, name)
	}
	b.WriteString(" .\n")
}

func writeTerm(b *strings.Builder, n ld.Node, name func(label string) string) {
	switch t := n.(type) {
	case ld.IRI:
		b.WriteByte('<')
		escapeTo(b, t.Value)
		b.WriteByte('>')
	case ld.BlankNode:
		if name == nil {
			b.WriteString(t.Attribute)
			return
		}
		b.WriteString("_:")
		b.WriteString(name(strings.TrimPrefix(t.Attribute, "_:")))
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

// escapeTo writes s with the escapes json-gold's N-Quads writer uses,
// copying the runs between them whole.
func escapeTo(b *strings.Builder, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '\\':
			esc = `\\`
		case '"':
			esc = `\"`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		default:
			continue
		}
		b.WriteString(s[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(s[start:])
}
