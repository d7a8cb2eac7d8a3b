package canon

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// appendQuad appends one statement as an N-Quads line, exactly as
// json-gold writes it. With a name function, each blank node is written
// under the label name gives its label (both without "_:"); callers make
// sure name has an answer for every blank node.
func appendQuad(b []byte, q *ld.Quad, name func(label string) string) []byte {
	b = appendTerm(b, q.Subject, name)
	b = append(b, ' ')
	b = appendTerm(b, q.Predicate, name)
	b = append(b, ' ')
	b = appendTerm(b, q.Object, name)
	if q.Graph != nil {
		b = append(b, ' ')
		b = appendTerm(b, q.Graph, name)
	}
	return append(b, " .\n"...)
}

func appendTerm(b []byte, n ld.Node, name func(label string) string) []byte {
	switch t := n.(type) {
	case ld.IRI:
		b = append(b, '<')
		b = appendEscaped(b, t.Value)
		return append(b, '>')
	case ld.BlankNode:
		if name == nil {
			return append(b, t.Attribute...)
		}
		b = append(b, "_:"...)
		return append(b, name(strings.TrimPrefix(t.Attribute, "_:"))...)
	case ld.Literal:
		b = append(b, '"')
		b = appendEscaped(b, t.Value)
		b = append(b, '"')
		switch t.Datatype {
		case ld.RDFLangString:
			b = append(b, '@')
			b = append(b, t.Language...)
		case ld.XSDString:
		default:
			b = append(b, "^^<"...)
			b = appendEscaped(b, t.Datatype)
			b = append(b, '>')
		}
	}
	return b
}

// appendEscaped appends s with the escapes json-gold's N-Quads writer
// uses, copying the runs between them whole.
func appendEscaped(b []byte, s string) []byte {
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
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	return append(b, s[start:]...)
}
