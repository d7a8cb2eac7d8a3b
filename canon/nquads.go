package canon

import (
	"strings"

	"github.com/piprate/json-gold/ld"
)

// appendQuad appends one statement as a line of canonical N-Quads
// (RDFC-1.0 §4.4 step 8, the canonical form of N-Quads). With a name function, each blank node is written
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
		b = appendLiteral(b, t.Value)
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

// appendLiteral appends the lexical form s of a literal in canonical
// N-Quads: `"` and `\` escaped, \b \t \n \f \r as themselves, the other
// control characters (U+0000 to U+001F and U+007F) as \u00XX in upper case,
// and everything else as it is. json-gold escapes only some of these (it
// leaves \b, \f and the rest raw), which the W3C RDFC-1.0 tests
// (test060) and the reference implementation do not.
func appendLiteral(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
			continue
		}
		b = append(b, s[start:i]...)
		b = appendLiteralEscape(b, c)
		start = i + 1
	}
	return append(b, s[start:]...)
}

func appendLiteralEscape(b []byte, c byte) []byte {
	switch c {
	case '"':
		return append(b, `\"`...)
	case '\\':
		return append(b, `\\`...)
	case '\b':
		return append(b, `\b`...)
	case '\t':
		return append(b, `\t`...)
	case '\n':
		return append(b, `\n`...)
	case '\f':
		return append(b, `\f`...)
	case '\r':
		return append(b, `\r`...)
	}
	const hexDigits = "0123456789ABCDEF"
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// appendEscaped appends an IRI with the escapes json-gold's N-Quads
// writer uses, copying the runs between them whole. Absolute IRIs, the
// only ones Laurel canonicalizes, hold none of these characters.
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
