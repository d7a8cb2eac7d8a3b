package keys

import (
	"errors"
	"strings"
	"testing"
)

const (
	profileURL = "https://district.example/issuers/1"
	keyDocURL  = "https://district.example/keys/1"
)

// profileDoc builds an issuer profile around raw verificationMethod and
// assertionMethod JSON; an empty string leaves the member out.
func profileDoc(methods, assertion string) string {
	doc := `{"id":"` + profileURL + `","type":["Profile"],"name":"North District"`
	if methods != "" {
		doc += `,"verificationMethod":[` + methods + `]`
	}
	if assertion != "" {
		doc += `,"assertionMethod":[` + assertion + `]`
	}
	return doc + `}`
}

// An issuer profile publishes keys in the forms issuers use: relative and
// absolute ids, Multikey and JWK, embedded or by reference, with or
// without a controller.
func TestParseControllerDocument(t *testing.T) {
	doc := profileDoc(
		method("#key-1", TypeMultikey, mbMember(obTestMultikey))+","+
			`{"id":"`+profileURL+`#jwk","type":"JsonWebKey2020",`+jwkMember(okpJWK)+`}`+","+
			methodBy("https://other.example/x", "#foreign", TypeMultikey, mbMember(obTestMultikey))+","+
			method("#secp", "EcdsaSecp256k1VerificationKey2019", mbMember(obTestMultikey)),
		`"#key-1","`+keyDocURL+`",`+methodBy(profileURL, "#assert", TypeMultikey, mbMember(obTestMultikey)))

	d, err := ParseControllerDocument([]byte(doc), profileURL)
	if err != nil {
		t.Fatalf("ParseControllerDocument: %v", err)
	}
	want := map[string]string{
		profileURL + "#key-1":   districtDID,
		profileURL + "#jwk":     profileURL,
		profileURL + "#foreign": "https://other.example/x",
		profileURL + "#assert":  profileURL,
	}
	if len(d.Methods) != len(want) {
		t.Fatalf("methods %+v", d.Methods)
	}
	for id, controller := range want {
		m, _ := d.Find(id)
		if m == nil || m.Controller != controller || m.PublicKey == nil {
			t.Errorf("%s: %+v, want controller %s", id, m, controller)
		}
	}
	if m, ref := d.Find(keyDocURL); m != nil || !ref {
		t.Errorf("reference: %v %v", m, ref)
	}
	if m, ref := d.Find(profileURL + "#secp"); m != nil || ref || !d.ListsKeys() {
		t.Errorf("unknown type: %v %v", m, ref)
	}

	empty, err := ParseControllerDocument([]byte(profileDoc("", "")), profileURL)
	if err != nil || empty.ListsKeys() {
		t.Fatalf("profile without keys: %v %+v", err, empty)
	}
}

func TestParseControllerDocumentRejects(t *testing.T) {
	mk := mbMember(obTestMultikey)
	many := make([]string, maxVerificationMethods+1)
	for i := range many {
		many[i] = method("#k"+strings.Repeat("x", i), TypeMultikey, mk)
	}

	malformed := map[string]string{
		"not json":            "{",
		"null":                "null",
		"array":               "[]",
		"no id":               `{"verificationMethod":[]}`,
		"other id":            `{"id":"https://evil.example/issuers/1"}`,
		"id with fragment":    `{"id":"` + profileURL + `#x"}`,
		"methods not array":   `{"id":"` + profileURL + `","verificationMethod":{}}`,
		"reference in vm":     profileDoc(`"#key-1"`, ""),
		"entry not object":    profileDoc(`1`, ""),
		"http id":             profileDoc(method("http://district.example/k", TypeMultikey, mk), ""),
		"bare id":             profileDoc(method("k", TypeMultikey, mk), ""),
		"empty fragment":      profileDoc(method("#", TypeMultikey, mk), ""),
		"bad reference":       profileDoc("", `"key 1"`),
		"duplicate id":        profileDoc(method("#k", TypeMultikey, mk)+","+method(profileURL+"#k", TypeMultikey, mk), ""),
		"bad multibase":       profileDoc(method("#k", TypeMultikey, mbMember("z6Mk0")), ""),
		"jwk with d":          profileDoc(method("#k", TypeJSONWebKey, jwkMember(okpJWK+`,"d":"AAAA"`)), ""),
		"controller is array": profileDoc(`{"id":"#k","type":"Multikey","controller":["x"],`+mk+`}`, ""),
		"too many methods":    profileDoc(strings.Join(many, ","), ""),
		"too large":           `{"id":"` + profileURL + `","pad":"` + strings.Repeat("a", maxDIDDocumentSize) + `"}`,
	}
	for name, doc := range malformed {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseControllerDocument([]byte(doc), profileURL); !errors.Is(err, ErrMalformed) {
				t.Fatalf("error = %v, want ErrMalformed", err)
			}
		})
	}

	for _, url := range []string{"", "http://district.example/issuers/1", profileURL + "#x"} {
		if _, err := ParseControllerDocument([]byte(`{"id":"`+url+`"}`), url); !errors.Is(err, ErrMalformed) {
			t.Errorf("expected url %q: %v, want ErrMalformed", url, err)
		}
	}
}

// A key document is one method; its controller is only what it claims.
func TestParseMethodDocument(t *testing.T) {
	claimed := `{"id":"` + keyDocURL + `","type":"Multikey","controller":"` + profileURL + `",` +
		mbMember(obTestMultikey) + `}`
	m, err := ParseMethodDocument([]byte(claimed), keyDocURL)
	if err != nil || m.ID != keyDocURL || m.Controller != profileURL {
		t.Fatalf("%+v %v", m, err)
	}

	bare := `{"id":"` + keyDocURL + `","type":"JsonWebKey",` + jwkMember(okpJWK) + `}`
	if m, err := ParseMethodDocument([]byte(bare), keyDocURL); err != nil || m.Controller != "" {
		t.Fatalf("no controller: %+v %v", m, err)
	}

	cases := map[string]struct {
		doc  string
		want error
	}{
		"other id":     {strings.Replace(claimed, keyDocURL, keyDocURL+"2", 1), ErrMalformed},
		"relative id":  {strings.Replace(claimed, `"id":"`+keyDocURL, `"id":"#k`, 1), ErrMalformed},
		"unknown type": {strings.Replace(claimed, "Multikey", "EcdsaSecp256k1VerificationKey2019", 1), ErrUnsupported},
		"no key":       {`{"id":"` + keyDocURL + `","type":"Multikey"}`, ErrMalformed},
		"profile":      {profileDoc("", ""), ErrMalformed},
	}
	for name, c := range cases {
		if _, err := ParseMethodDocument([]byte(c.doc), keyDocURL); !errors.Is(err, c.want) {
			t.Errorf("%s: error = %v, want %v", name, err, c.want)
		}
	}
}
