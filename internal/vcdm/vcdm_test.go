package vcdm

import (
	"reflect"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/schemas"
)

// The base contexts are declared here so that vcjwt need not import the
// JSON-LD code behind package schemas; they must stay the pinned ones.
func TestContextsMatchSchemas(t *testing.T) {
	if ContextV2 != schemas.ContextVC2 || ContextV1 != schemas.ContextVC1 {
		t.Fatalf("base contexts %s, %s differ from schemas", ContextV2, ContextV1)
	}
}

// row is one line of a table test: an input and the result it must give.
type row[I, O any] struct {
	in   I
	want O
}

func runTable[I, O any](t *testing.T, name string, f func(I) O, rows []row[I, O]) {
	t.Helper()
	for _, r := range rows {
		if got := f(r.in); !reflect.DeepEqual(got, r.want) {
			t.Errorf("%s(%.60v) = %#v, want %#v", name, r.in, got, r.want)
		}
	}
}

func TestAsList(t *testing.T) {
	m := map[string]any{"id": "x"}
	runTable(t, "AsList", AsList, []row[any, []any]{
		{nil, nil},
		{"a", []any{"a"}},
		{m, []any{m}},
		{[]any{}, []any{}},
		{[]any{"a", 1.0}, []any{"a", 1.0}},
	})
}

func TestStrings(t *testing.T) {
	runTable(t, "Strings", Strings, []row[any, []string]{
		{nil, nil},
		{"a", []string{"a"}},
		{[]any{"a", 1.0, "", map[string]any{}}, []string{"a", ""}},
		{3.0, nil},
	})
}

func TestTypeNames(t *testing.T) {
	runTable(t, "TypeNames", TypeNames, []row[any, []string]{
		{"A", []string{"A"}},
		{[]any{"A", "B"}, []string{"A", "B"}},
		{[]any{}, []string{}},
		{nil, nil},
		{"", nil},
		{[]any{"A", ""}, nil},
		{[]any{"A", 1.0}, nil},
		{map[string]any{"id": "A"}, nil},
	})
}

func TestIDOfAndIssuerID(t *testing.T) {
	rows := []row[any, string]{
		{"did:example:1", "did:example:1"},
		{map[string]any{"id": "did:example:2", "name": "N"}, "did:example:2"},
		{map[string]any{"id": 7.0}, ""},
		{map[string]any{}, ""},
		{[]any{"did:example:3"}, ""},
		{nil, ""},
	}
	runTable(t, "IDOf", IDOf, rows)

	issuerOf := func(v any) string { return IssuerID(map[string]any{"issuer": v}) }
	runTable(t, "IssuerID", issuerOf, rows)
	if got := IssuerID(map[string]any{}); got != "" {
		t.Errorf("IssuerID without issuer = %q", got)
	}
}

func TestIsURL(t *testing.T) {
	runTable(t, "IsURL", IsURL, []row[string, bool]{
		{"https://example.edu/issuers/14", true},
		{"did:example:ebfeb1f712ebc6f1c276e12ec21", true},
		{"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33", true},
		{"HTTP://EXAMPLE.EDU", true},
		{"", false},
		{"example.edu/issuers/14", false},
		{"/relative", false},
		{"1http://example.edu", false},
		{"https://example.edu/a b", false},
		{"https://example.edu/<x>", false},
		{"https://example.edu/\"", false},
		{"https://example.edu/%zz", false},
		{"https://" + strings.Repeat("a", 4096), false},
	})
}

func TestIsText(t *testing.T) {
	lang := map[string]any{"@value": "Badge", "@language": "en", "@direction": "ltr"}
	runTable(t, "IsText", IsText, []row[any, bool]{
		{"Badge", true},
		{"", true},
		{lang, true},
		{map[string]any{"@value": "Badge"}, true},
		{[]any{"Badge", lang}, true},
		{[]any{}, false},
		{[]any{[]any{"Badge"}}, false},
		{[]any{"Badge", 1.0}, false},
		{map[string]any{"@language": "en"}, false},
		{map[string]any{"@value": 1.0}, false},
		{map[string]any{"@value": "B", "@type": "x"}, false},
		{map[string]any{"@value": "B", "@language": 1.0}, false},
		{1.0, false},
		{nil, false},
	})
}

// checkCase is one document for a Check function and the error it must
// give, "" for none.
type checkCase struct {
	name string
	doc  map[string]any
	want string
}

func runChecks(t *testing.T, check func(map[string]any) error, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		err := check(c.doc)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func ctx(entries ...any) map[string]any { return map[string]any{"@context": entries} }

func TestCheckContext(t *testing.T) {
	const pinned = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	allow := func(url string) bool { return url == ContextV2 || url == ContextV1 || url == pinned }
	obj := map[string]any{"ex": "https://example.org/"}
	other := "https://example.org/context"

	open := []checkCase{
		{"v2", ctx(ContextV2, pinned), ""},
		{"v1", ctx(ContextV1), ""},
		{"object", ctx(ContextV2, obj), ""},
		{"any URL", ctx(ContextV2, other), ""},
		{"missing", map[string]any{}, "@context must be a non-empty array"},
		{"string", map[string]any{"@context": ContextV2}, "@context must be a non-empty array"},
		{"empty", ctx(), "@context must be a non-empty array"},
		{"wrong base", ctx(pinned, ContextV2),
			"@context must start with " + ContextV2 + " or " + ContextV1},
		{"number entry", ctx(ContextV2, 1.0), "@context[1] must be a URL or an object"},
	}
	runChecks(t, func(d map[string]any) error { return CheckContext(d, nil) }, open)

	strict := []checkCase{
		{"pinned", ctx(ContextV2, pinned, obj), ""},
		{"unpinned", ctx(ContextV2, other),
			`@context "https://example.org/context" cannot be loaded: only pinned contexts are`},
		{"unpinned before bad entry", ctx(ContextV2, other, 1.0),
			`@context "https://example.org/context" cannot be loaded: only pinned contexts are`},
		{"bad entry before unpinned", ctx(ContextV2, 1.0, other),
			"@context[1] must be a URL or an object"},
	}
	runChecks(t, func(d map[string]any) error { return CheckContext(d, allow) }, strict)
}

func types(v any) map[string]any { return map[string]any{"type": v} }

func TestCheckTypes(t *testing.T) {
	const vc = "VerifiableCredential"
	cases := []checkCase{
		{"single name", types(vc), ""},
		{"array", types([]any{vc, "OpenBadgeCredential"}), ""},
		{"empty name", types([]any{vc, ""}), "type must be a list of names"},
		{"presentation", types("VerifiablePresentation"), "type must include VerifiableCredential"},
		{"missing", map[string]any{}, "type must be a list of names"},
		{"empty array", types([]any{}), "type must be a list of names"},
		{"number", types([]any{vc, 1.0}), "type must be a list of names"},
		{"without VC", types([]any{"OpenBadgeCredential"}), "type must include " + vc},
	}
	runChecks(t, func(d map[string]any) error { return CheckTypes(d, vc) }, cases)

	const vpType = "VerifiablePresentation"
	vp := []checkCase{
		{"presentation", types([]any{vpType}), ""},
		{"credential", types(vc), "type must include " + vpType},
	}
	runChecks(t, func(d map[string]any) error { return CheckTypes(d, vpType) }, vp)
}

func TestCheckTypeArray(t *testing.T) {
	const vc = "VerifiableCredential"
	cases := []checkCase{
		{"array", types([]any{vc, "OpenBadgeCredential"}), ""},
		{"single name", types(vc), "type must be a non-empty array"},
		{"missing", map[string]any{}, "type must be a non-empty array"},
		{"empty array", types([]any{}), "type must be a non-empty array"},
		{"empty name", types([]any{vc, ""}), "type must hold names only"},
		{"number", types([]any{vc, 1.0}), "type must hold names only"},
		{"without VC", types([]any{"OpenBadgeCredential"}), "type must include " + vc},
	}
	runChecks(t, func(d map[string]any) error { return CheckTypeArray(d, vc) }, cases)
}

func TestCheckOptionalURL(t *testing.T) {
	cases := []checkCase{
		{"absent", map[string]any{}, ""},
		{"URL", map[string]any{"id": "urn:uuid:1"}, ""},
		{"not a URL", map[string]any{"id": "abc"}, "evidence.id must be a single URL"},
		{"array", map[string]any{"id": []any{"urn:uuid:1"}}, "evidence.id must be a single URL"},
		{"null", map[string]any{"id": nil}, "evidence.id must be a single URL"},
	}
	check := func(d map[string]any) error { return CheckOptionalURL(d, "id", "evidence.") }
	runChecks(t, check, cases)
}

func TestCheckID(t *testing.T) {
	cases := []checkCase{
		{"absent", map[string]any{}, ""},
		{"URL", map[string]any{"id": "https://example.edu/credentials/3732"}, ""},
		{"not a URL", map[string]any{"id": "3732"}, "id must be a single URL"},
		{"number", map[string]any{"id": 3732.0}, "id must be a single URL"},
	}
	runChecks(t, CheckID, cases)
}

func TestCheckIssuer(t *testing.T) {
	const want = "issuer must be a URL or an object whose id is a URL"
	cases := []checkCase{
		{"URL", map[string]any{"issuer": "did:example:1"}, ""},
		{"profile", map[string]any{"issuer": map[string]any{"id": "did:example:1"}}, ""},
		{"missing", map[string]any{}, want},
		{"not a URL", map[string]any{"issuer": "Example School"}, want},
		{"profile without id", map[string]any{"issuer": map[string]any{"name": "N"}}, want},
		{"array", map[string]any{"issuer": []any{"did:example:1"}}, want},
	}
	runChecks(t, CheckIssuer, cases)
}

func subject(v any) map[string]any { return map[string]any{"credentialSubject": v} }

func TestCheckSubject(t *testing.T) {
	const (
		none  = "credentialSubject must be an object or a non-empty array of objects"
		empty = "every credentialSubject must be a non-empty object"
	)
	s := map[string]any{"id": "did:example:1"}
	cases := []checkCase{
		{"object", subject(s), ""},
		{"object without id", subject(map[string]any{"name": "Ann"}), ""},
		{"array", subject([]any{s, map[string]any{"name": "Bo"}}), ""},
		{"missing", map[string]any{}, none},
		{"string", subject("did:example:1"), none},
		{"empty array", subject([]any{}), none},
		{"empty object", subject(map[string]any{}), empty},
		{"string in array", subject([]any{s, "did:example:2"}), empty},
		{"bad id", subject(map[string]any{"id": "ann"}),
			"credentialSubject.id must be a single URL"},
	}
	runChecks(t, CheckSubject, cases)
}

func TestCheckTexts(t *testing.T) {
	const want = " must be a string, a language value or an array of them"
	profile := func(k string, v any) map[string]any {
		return map[string]any{"issuer": map[string]any{"id": "did:example:1", k: v}}
	}
	cases := []checkCase{
		{"none", map[string]any{}, ""},
		{"strings", map[string]any{"name": "Badge", "description": "About"}, ""},
		{"language value", map[string]any{"name": map[string]any{"@value": "Abzeichen"}}, ""},
		{"issuer name", profile("name", "School"), ""},
		{"string issuer", map[string]any{"issuer": "did:example:1", "name": "Badge"}, ""},
		{"bad name", map[string]any{"name": 1.0}, "name" + want},
		{"bad description", map[string]any{"description": []any{}}, "description" + want},
		{"bad issuer name", profile("name", map[string]any{"@language": "en"}),
			"issuer.name" + want},
		{"bad issuer description", profile("description", nil), "issuer.description" + want},
	}
	runChecks(t, CheckTexts, cases)
}
