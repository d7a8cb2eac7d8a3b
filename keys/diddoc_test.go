package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

const districtDID = "did:web:badges.example.org:districts:north"

func TestParseDIDDocumentTestdata(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "did-web-district.json"))
	if err != nil {
		t.Fatalf("reading testdata: %v", err)
	}

	methods, err := ParseDIDDocument(data, districtDID)
	if err != nil {
		t.Fatalf("ParseDIDDocument: %v", err)
	}

	want := []struct{ id, typ string }{
		{districtDID + "#key-2025", TypeMultikey},
		{districtDID + "#legacy", TypeEd25519VerificationKey2020},
		{districtDID + "#es256", TypeJSONWebKey2020},
	}
	if len(methods) != len(want) {
		t.Fatalf("got %d methods, want %d: %+v", len(methods), len(want), methods)
	}
	for i, w := range want {
		m := methods[i]
		if m.ID != w.id || m.Type != w.typ || m.Controller != districtDID {
			t.Errorf("method %d = %s %s %s, want %s %s", i, m.ID, m.Type, m.Controller, w.id, w.typ)
		}
	}

	if pub := methods[0].PublicKey.(ed25519.PublicKey); string(pub) != string(mustHex(t, obTestPublicHex)) {
		t.Error("Multikey method has the wrong key")
	}
	if _, ok := methods[2].PublicKey.(*ecdsa.PublicKey); !ok {
		t.Errorf("JsonWebKey2020 method key = %T", methods[2].PublicKey)
	}

	// Two keys are listed under assertionMethod; the legacy key is in
	// verificationMethod only, so it may sign nothing.
	wantRelationships(t, methods, map[string]Relationships{
		districtDID + "#key-2025": relAssertion,
		districtDID + "#legacy":   relNone,
		districtDID + "#es256":    relAssertion,
	})
}

func TestDIDWebDocumentRoundTrip(t *testing.T) {
	var methods []VerificationMethod
	for _, typ := range allTypes() {
		k := newTestKey(t, typ)
		methods = append(methods, VerificationMethod{ID: districtDID + "#" + string(typ), PublicKey: k.Public()})
	}
	jwkOnly := newTestKey(t, P256)
	methods = append(methods, VerificationMethod{
		ID: districtDID + "#p256-jwk", Type: TypeJSONWebKey, Controller: districtDID, PublicKey: jwkOnly.Public(),
	})

	doc, err := DIDWebDocument(districtDID, methods)
	if err != nil {
		t.Fatalf("DIDWebDocument: %v", err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("marshalling: %v", err)
	}
	checkDocumentShape(t, data)

	parsed, err := ParseDIDDocument(data, districtDID)
	if err != nil {
		t.Fatalf("ParseDIDDocument: %v", err)
	}
	wantTypes := []string{TypeMultikey, TypeMultikey, TypeJSONWebKey, TypeJSONWebKey}
	for i, m := range parsed {
		if m.ID != methods[i].ID || m.Type != wantTypes[i] {
			t.Errorf("method %d = %s %s, want %s %s", i, m.ID, m.Type, methods[i].ID, wantTypes[i])
		}
		if !m.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(methods[i].PublicKey) {
			t.Errorf("method %d key changed in the round trip", i)
		}
	}
}

// checkDocumentShape checks the fixed members of a generated DID document.
func checkDocumentShape(t *testing.T, data []byte) {
	t.Helper()

	var doc struct {
		Context         []string         `json:"@context"`
		ID              string           `json:"id"`
		Methods         []map[string]any `json:"verificationMethod"`
		AssertionMethod []string         `json:"assertionMethod"`
		Authentication  []string         `json:"authentication"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decoding generated document: %v", err)
	}

	wantCtx := "https://www.w3.org/ns/did/v1,https://w3id.org/security/multikey/v1,https://w3id.org/security/jwk/v1"
	if strings.Join(doc.Context, ",") != wantCtx || doc.ID != districtDID {
		t.Fatalf("document head = %v %q", doc.Context, doc.ID)
	}
	if len(doc.AssertionMethod) != len(doc.Methods) || len(doc.Authentication) != len(doc.Methods) {
		t.Fatalf("assertionMethod/authentication do not list every method")
	}
	if mb, _ := doc.Methods[0]["publicKeyMultibase"].(string); !strings.HasPrefix(mb, "z6Mk") {
		t.Errorf("ed25519 method lacks publicKeyMultibase: %v", doc.Methods[0])
	}
	if jwk, _ := doc.Methods[2]["publicKeyJwk"].(map[string]any); jwk["kty"] != "RSA" || jwk["d"] != nil {
		t.Errorf("rsa method publicKeyJwk = %v", doc.Methods[2]["publicKeyJwk"])
	}
}

func TestDIDWebDocumentRejects(t *testing.T) {
	ed := newTestKey(t, Ed25519).Public()
	rsaPub := newTestKey(t, RSA).Public()
	p521 := newP521Key(t).Public()
	id := districtDID + "#k"
	one := func(id, typ string, pub crypto.PublicKey) []VerificationMethod {
		return []VerificationMethod{{ID: id, Type: typ, PublicKey: pub}}
	}
	otherController := []VerificationMethod{{ID: id, Controller: "did:web:x.org", PublicKey: ed}}

	cases := map[string]struct {
		did     string
		methods []VerificationMethod
		want    error
	}{
		"did:key":          {"did:key:" + obTestMultikey, one(id, "", ed), ErrMalformed},
		"no methods":       {districtDID, nil, ErrMalformed},
		"foreign id":       {districtDID, one("did:web:other.org#k", "", ed), ErrMalformed},
		"relative id":      {districtDID, one("#k", "", ed), ErrMalformed},
		"empty fragment":   {districtDID, one(districtDID+"#", "", ed), ErrMalformed},
		"other controller": {districtDID, otherController, ErrMalformed},
		"duplicate":        {districtDID, append(one(id, "", ed), one(id, "", ed)...), ErrMalformed},
		"rsa multikey":     {districtDID, one(id, TypeMultikey, rsaPub), ErrUnsupported},
		"legacy type":      {districtDID, one(id, TypeJSONWebKey2020, ed), ErrUnsupported},
		"p521 key":         {districtDID, one(id, "", p521), ErrUnsupported},
		"nil key":          {districtDID, one(id, "", nil), ErrUnsupported},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := DIDWebDocument(c.did, c.methods); !errors.Is(err, c.want) {
				t.Fatalf("DIDWebDocument error = %v, want %v", err, c.want)
			}
		})
	}
}

// Key members for hand-written verification methods. The Ed25519 JWK is the
// RFC 8037 Appendix A example; the P-256 JWK is the RFC 7515 Appendix A.3 one.
const (
	okpJWK = `"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"`
	ecJWK  = `"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",` +
		`"y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"`
)

// didDoc builds a DID document for districtDID around raw method JSON.
func didDoc(methods ...string) string {
	return `{"id":"` + districtDID + `","verificationMethod":[` + strings.Join(methods, ",") + `]}`
}

// method builds one verification method controlled by districtDID.
func method(id, typ, keyMember string) string {
	return methodBy(districtDID, id, typ, keyMember)
}

// methodBy builds one verification method's JSON with any controller.
func methodBy(controller, id, typ, keyMember string) string {
	return `{"id":"` + id + `","type":"` + typ + `","controller":"` + controller + `",` + keyMember + `}`
}

// mbMember and jwkMember build the key member of a method.
func mbMember(mb string) string    { return `"publicKeyMultibase":"` + mb + `"` }
func jwkMember(body string) string { return `"publicKeyJwk":{` + body + `}` }

func TestParseDIDDocumentRejects(t *testing.T) {
	mk := mbMember(obTestMultikey)
	id := districtDID + "#k"

	many := make([]string, maxVerificationMethods+1)
	for i := range many {
		many[i] = method(districtDID+"#k"+strings.Repeat("x", i), TypeMultikey, mk)
	}

	malformed := map[string]string{
		"not json":            "{",
		"array":               "[]",
		"no id":               `{"verificationMethod":[]}`,
		"id not string":       `{"id":1}`,
		"other id":            `{"id":"did:web:evil.org","verificationMethod":[` + method(id, TypeMultikey, mk) + `]}`,
		"upper ID only":       `{"ID":"` + districtDID + `"}`,
		"methods not array":   `{"id":"` + districtDID + `","verificationMethod":{}}`,
		"method not object":   didDoc(`"x"`),
		"no controller":       didDoc(`{"id":"` + id + `","type":"Multikey",` + mk + `}`),
		"foreign id":          didDoc(method("did:web:evil.org#k", TypeMultikey, mk)),
		"bare id":             didDoc(method("k", TypeMultikey, mk)),
		"empty fragment":      didDoc(method(districtDID+"#", TypeMultikey, mk)),
		"duplicate id":        didDoc(method(id, TypeMultikey, mk), method("#k", TypeMultikey, mk)),
		"bad multibase":       didDoc(method(id, TypeMultikey, mbMember("z6Mk0"))),
		"missing multibase":   didDoc(method(id, TypeMultikey, `"x":1`)),
		"legacy with p256":    didDoc(method(id, TypeEd25519VerificationKey2020, mbMember(ecdsaSpecP256))),
		"missing jwk":         didDoc(method(id, TypeJSONWebKey, mk)),
		"jwk with d":          didDoc(method(id, TypeJSONWebKey, jwkMember(okpJWK+`,"d":"AAAA"`))),
		"jwk with rsa parts":  didDoc(method(id, TypeJSONWebKey2020, jwkMember(`"kty":"RSA","n":"AQAB","p":"AQ"`))),
		"jwk symmetric":       didDoc(method(id, TypeJSONWebKey, jwkMember(`"kty":"oct","k":"AAAA"`))),
		"jwk off curve":       didDoc(method(id, TypeJSONWebKey, jwkMember(strings.Replace(ecJWK, "f83O", "g83O", 1)))),
		"jwk not object":      didDoc(method(id, TypeJSONWebKey, `"publicKeyJwk":"x"`)),
		"too many methods":    didDoc(many...),
		"too large":           `{"id":"` + districtDID + `","pad":"` + strings.Repeat("a", maxDIDDocumentSize) + `"}`,
		"type not string":     didDoc(`{"id":"` + id + `","type":1,"controller":"` + districtDID + `"}`),
		"controller is array": didDoc(`{"id":"` + id + `","type":"Multikey","controller":["` + districtDID + `"]}`),
	}
	for name, doc := range malformed {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseDIDDocument([]byte(doc), districtDID); !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseDIDDocument error = %v, want ErrMalformed", err)
			}
		})
	}

	if _, err := ParseDIDDocument([]byte(`{"id":""}`), ""); !errors.Is(err, ErrMalformed) {
		t.Fatalf("ParseDIDDocument with an empty expected did: %v, want ErrMalformed", err)
	}
}

func TestParseDIDDocumentUnsupportedAndEmpty(t *testing.T) {
	mk := mbMember(obTestMultikey)
	id := districtDID + "#k"

	p521JWK, err := jose.JSONWebKey{Key: newP521Key(t).Public()}.MarshalJSON()
	if err != nil {
		t.Fatalf("marshalling p521 jwk: %v", err)
	}

	unsupported := map[string]string{
		"p521 jwk":     didDoc(method(id, TypeJSONWebKey, `"publicKeyJwk":`+string(p521JWK))),
		"alg mismatch": didDoc(method(id, TypeJSONWebKey, jwkMember(okpJWK+`,"alg":"ES256"`))),
		"x25519 codec": didDoc(method(id, TypeMultikey, mbMember("z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc"))),
	}
	for name, doc := range unsupported {
		if _, err := ParseDIDDocument([]byte(doc), districtDID); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: ParseDIDDocument error = %v, want ErrUnsupported", name, err)
		}
	}

	empty := map[string]string{
		"no methods":       `{"id":"` + districtDID + `"}`,
		"empty list":       didDoc(),
		"other controller": didDoc(methodBy("did:web:x.org", id, TypeMultikey, mk)),
		"unknown type":     didDoc(method(id, "EcdsaSecp256k1VerificationKey2019", mk)),
	}
	for name, doc := range empty {
		if _, err := ParseDIDDocument([]byte(doc), districtDID); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: ParseDIDDocument error = %v, want ErrNotFound", name, err)
		}
	}
}
