package keys

import (
	"crypto"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseMultikey(f *testing.F) {
	seeds := []string{obTestMultikey, didKeySpecEd25519, ecdsaSpecP256, ecdsaSpecP384, "", "z", "zDn", "z82", "u7QE"}
	for _, s := range seeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, s string) {
		pub, err := ParseMultikey(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}

		// Accepted values are canonical: they re-encode to themselves.
		again, err := Multikey(pub)
		if err != nil || again != s {
			t.Fatalf("Multikey(ParseMultikey(%q)) = %q, %v", s, again, err)
		}
	})
}

func FuzzParseDIDDocument(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "did-web-district.json"))
	if err != nil {
		f.Fatalf("reading testdata: %v", err)
	}
	f.Add(seed)
	f.Add([]byte(didDoc(method(districtDID+"#k", TypeJSONWebKey, jwkMember(okpJWK)))))
	f.Add([]byte(`{"id":"` + districtDID + `","verificationMethod":[{"id":"#k"}]}`))
	f.Add([]byte(`{"id":"` + districtDID + `","assertionMethod":["#k",` +
		method("#k", TypeMultikey, mbMember(obTestMultikey)) + `],"authentication":[null]}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, data []byte) {
		methods, err := ParseDIDDocument(data, districtDID)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNotFound) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}

		checkFuzzedMethods(t, methods)
	})
}

// checkFuzzedMethods checks the promises ParseDIDDocument makes about what it
// returns, and that a returned key survives a DIDWebDocument round trip.
func checkFuzzedMethods(t *testing.T, methods []VerificationMethod) {
	t.Helper()

	// verificationMethod and each recorded relationship hold up to the
	// limit each.
	limit := maxVerificationMethods * (1 + len(recordedRelationships))
	if len(methods) == 0 || len(methods) > limit {
		t.Fatalf("returned %d methods", len(methods))
	}
	for _, m := range methods {
		if m.Controller != districtDID || !knownMethodType(m.Type) || !m.Relationships.Known {
			t.Fatalf("returned method %q %q %q %+v", m.ID, m.Type, m.Controller, m.Relationships)
		}
		if _, err := TypeOf(m.PublicKey); err != nil {
			t.Fatalf("returned an unaccepted key: %v", err)
		}
	}

	m := methods[0]
	if !isIDSegment(m.ID[len(districtDID)+1:]) {
		return
	}
	doc, err := DIDWebDocument(districtDID, []VerificationMethod{{ID: m.ID, PublicKey: m.PublicKey}})
	if err != nil {
		t.Fatalf("DIDWebDocument of a parsed key: %v", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}
	back, err := ParseDIDDocument(data, districtDID)
	if err != nil || !back[0].PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(m.PublicKey) {
		t.Fatalf("round trip of a parsed key: %v", err)
	}
}

// FuzzParseControllerDocument feeds untrusted issuer profiles to the
// parser: it must refuse them with this package's errors or return methods
// with absolute ids, known types and accepted keys.
func FuzzParseControllerDocument(f *testing.F) {
	f.Add([]byte(profileDoc(method("#key-1", TypeMultikey, mbMember(obTestMultikey)), `"#key-1"`)))
	f.Add([]byte(profileDoc(`{"id":"#j","type":"JsonWebKey",`+jwkMember(ecJWK)+`}`, `"`+keyDocURL+`"`)))
	f.Add([]byte(`{"id":"` + keyDocURL + `","type":"Multikey",` + mbMember(obTestMultikey) + `}`))
	f.Add([]byte(`{"id":"` + profileURL + `","authentication":["#a",` +
		method("#a", TypeMultikey, mbMember(obTestMultikey)) + `]}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, data []byte) {
		if m, err := ParseMethodDocument(data, keyDocURL); err == nil && m.ID != keyDocURL {
			t.Fatalf("method document id %q", m.ID)
		}

		d, err := ParseControllerDocument(data, profileURL)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		for _, ref := range d.References {
			if !isAbsoluteID(ref) {
				t.Fatalf("returned reference %q", ref)
			}
		}
		for _, m := range d.Methods {
			if _, err := TypeOf(m.PublicKey); err != nil || !knownMethodType(m.Type) ||
				!isAbsoluteID(m.ID) || !m.Relationships.Known {
				t.Fatalf("returned method %q %q: %v", m.ID, m.Type, err)
			}
		}
	})
}
