package keys

import (
	"encoding/json"
	"errors"
	"testing"
)

// Shorthands for the relationships a test expects of a method.
var (
	relNone      = Relationships{Known: true}
	relAssertion = Relationships{Known: true, AssertionMethod: true}
	relAuth      = Relationships{Known: true, Authentication: true}
	relBoth      = AllRelationships()
)

// Lists tells "not known" apart from "known not listed".
func TestRelationshipsLists(t *testing.T) {
	cases := []struct {
		name          string
		r             Relationships
		purpose       string
		listed, known bool
	}{
		{"unknown", Relationships{}, RelAssertionMethod, false, false},
		{"unknown ignores flags", Relationships{AssertionMethod: true}, RelAssertionMethod, false, false},
		{"listed", relAssertion, RelAssertionMethod, true, true},
		{"not listed", relAssertion, RelAuthentication, false, true},
		{"in none", relNone, RelAssertionMethod, false, true},
		{"both", relBoth, RelAuthentication, true, true},
		{"purpose not recorded", relBoth, "capabilityInvocation", false, false},
	}
	for _, c := range cases {
		listed, known := c.r.Lists(c.purpose)
		if listed != c.listed || known != c.known {
			t.Errorf("%s: Lists(%s) = %v, %v, want %v, %v",
				c.name, c.purpose, listed, known, c.listed, c.known)
		}
	}
}

// wantRelationships fails the test unless methods hold exactly the ids of
// want, each with the relationships want gives it.
func wantRelationships(t *testing.T, methods []VerificationMethod, want map[string]Relationships) {
	t.Helper()
	if len(methods) != len(want) {
		t.Fatalf("got %d methods, want %d: %+v", len(methods), len(want), methods)
	}
	for _, m := range methods {
		if r, ok := want[m.ID]; !ok || m.Relationships != r {
			t.Errorf("%s: relationships %+v, want %+v (expected: %v)", m.ID, m.Relationships, r, ok)
		}
	}
}

// Relationships list methods by absolute or relative reference, or embed
// methods of their own; references to other DIDs and embedded methods of
// another controller are not the document's to give.
func TestParseDIDDocumentRelationships(t *testing.T) {
	mk := mbMember(obTestMultikey)
	doc := `{"id":"` + districtDID + `",` +
		`"verificationMethod":[` + method("#a", TypeMultikey, mk) + `,` +
		method(districtDID+"#b", TypeMultikey, mk) + `,` + method("#c", TypeMultikey, mk) + `],` +
		`"assertionMethod":["#a","` + districtDID + `#b",` + method("#e", TypeMultikey, mk) + `,"#nowhere"],` +
		`"authentication":["` + districtDID + `#b","did:web:other.example#a",` +
		methodBy("did:web:other.example", "#f", TypeMultikey, mk) + `,` +
		method("#g", TypeJSONWebKey, jwkMember(okpJWK)) + `]}`

	methods, err := ParseDIDDocument([]byte(doc), districtDID)
	if err != nil {
		t.Fatalf("ParseDIDDocument: %v", err)
	}
	wantRelationships(t, methods, map[string]Relationships{
		districtDID + "#a": relAssertion,
		districtDID + "#b": relBoth,
		districtDID + "#c": relNone,
		districtDID + "#e": relAssertion,
		districtDID + "#g": relAuth,
	})

	embeddedOnly := `{"id":"` + districtDID + `","authentication":[` + method("#k", TypeMultikey, mk) + `]}`
	methods, err = ParseDIDDocument([]byte(embeddedOnly), districtDID)
	if err != nil {
		t.Fatalf("ParseDIDDocument without verificationMethod: %v", err)
	}
	wantRelationships(t, methods, map[string]Relationships{districtDID + "#k": relAuth})
}

func TestParseDIDDocumentRelationshipsRejects(t *testing.T) {
	mk := mbMember(obTestMultikey)
	embed := func(id, key string) string { return method(id, TypeMultikey, key) }
	head := `{"id":"` + districtDID + `","verificationMethod":[` + embed("#k", mk) + `],`
	many := make([]any, maxVerificationMethods+1)
	for i := range many {
		many[i] = "#k"
	}
	manyJSON, _ := json.Marshal(many)

	malformed := map[string]string{
		"not an array":           head + `"assertionMethod":"#k"}`,
		"entry is a number":      head + `"authentication":[1]}`,
		"entry is null":          head + `"assertionMethod":[null]}`,
		"duplicate embedded":     head + `"assertionMethod":[` + embed(districtDID+"#k", mk) + `]}`,
		"embedded bad key":       head + `"authentication":[` + embed("#j", mbMember("z6Mk0")) + `]}`,
		"embedded foreign id":    head + `"assertionMethod":[` + embed("did:web:evil.org#k", mk) + `]}`,
		"too many references":    head + `"assertionMethod":` + string(manyJSON) + `}`,
		"embedded no controller": head + `"authentication":[{"id":"#j","type":"Multikey",` + mk + `}]}`,
	}
	for name, doc := range malformed {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseDIDDocument([]byte(doc), districtDID); !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseDIDDocument error = %v, want ErrMalformed", err)
			}
		})
	}
}

// Laurel's own documents list every method under both relationships, and
// a did:key method is in both by derivation.
func TestPublishedRelationships(t *testing.T) {
	methods := []VerificationMethod{
		{ID: districtDID + "#key-1", PublicKey: newTestKey(t, Ed25519).Public()},
		{ID: districtDID + "#key-2", PublicKey: newTestKey(t, P256).Public(), Relationships: relNone},
	}
	doc, err := DIDWebDocument(districtDID, methods)
	if err != nil {
		t.Fatalf("DIDWebDocument: %v", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}
	parsed, err := ParseDIDDocument(data, districtDID)
	if err != nil {
		t.Fatalf("ParseDIDDocument: %v", err)
	}
	wantRelationships(t, parsed, map[string]Relationships{
		districtDID + "#key-1": relBoth, districtDID + "#key-2": relBoth,
	})

	vm, err := ResolveDIDKey("did:key:" + obTestMultikey)
	if err != nil || vm.Relationships != relBoth {
		t.Fatalf("did:key relationships: %+v %v", vm, err)
	}
}

// A profile's relationships mark its embedded methods; a key document
// says nothing about them.
func TestControllerDocumentRelationships(t *testing.T) {
	mk := mbMember(obTestMultikey)
	method := func(id string) string { return methodBy(profileURL, id, TypeMultikey, mk) }
	doc := `{"id":"` + profileURL + `","type":["Profile"],` +
		`"verificationMethod":[` + method("#vm-only") + `,` +
		method("#both") + `,` + method("#asserts") + `],` +
		`"assertionMethod":["#both","` + profileURL + `#asserts",` + method("#embedded") +
		`,"` + keyDocURL + `"],` +
		`"authentication":["#both",` + method("#auth") + `,"` + keyDocURL + `#x"]}`

	d, err := ParseControllerDocument([]byte(doc), profileURL)
	if err != nil {
		t.Fatalf("ParseControllerDocument: %v", err)
	}
	wantRelationships(t, d.Methods, map[string]Relationships{
		profileURL + "#vm-only":  relNone,
		profileURL + "#both":     relBoth,
		profileURL + "#asserts":  relAssertion,
		profileURL + "#embedded": relAssertion,
		profileURL + "#auth":     relAuth,
	})
	if m, ref := d.Find(keyDocURL); m != nil || !ref {
		t.Errorf("assertionMethod reference: %v %v", m, ref)
	}
	if _, ref := d.Find(keyDocURL + "#x"); ref {
		t.Error("an authentication reference counts as an assertionMethod one")
	}

	bad := `{"id":"` + profileURL + `","authentication":["key 1"]}`
	if _, err := ParseControllerDocument([]byte(bad), profileURL); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad authentication reference: %v, want ErrMalformed", err)
	}

	keyDoc := `{"id":"` + keyDocURL + `","type":"Multikey","controller":"` + profileURL + `",` + mk + `}`
	m, err := ParseMethodDocument([]byte(keyDoc), keyDocURL)
	if err != nil || m.Relationships != (Relationships{}) {
		t.Fatalf("key document: %+v %v", m, err)
	}
}
