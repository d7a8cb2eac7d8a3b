package httpapi

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// slug turns a name into a token any system accepts, in file names and
// URL fragments alike: lower-case ASCII letters and digits joined by
// hyphens, accents dropped, at most max bytes. A name with no letters or
// digits gives "".
func slug(name string, max int) string {
	words := strings.FieldsFunc(withoutAccents(strings.ToLower(name)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	s := strings.Join(words, "-")
	if len(s) > max {
		s = strings.TrimRight(s[:max], "-")
	}
	return s
}

// withoutAccents decomposes letters and drops their marks: é becomes e.
func withoutAccents(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
}
