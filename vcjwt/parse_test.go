package vcjwt_test

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

func TestParseSignedToken(t *testing.T) {
	key := newKey(t, keys.Ed25519)
	issuer, kid := issuerFor(t, key)
	credential := newCredential(vcjwt.ShapeVC11, issuer)

	tok, err := vcjwt.Parse(mustSign(t, credential, key, kid))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	h := tok.Header
	if h.Algorithm != "EdDSA" || h.KeyID != kid || h.Type != "JWT" || h.HasJWK {
		t.Errorf("header %+v", h)
	}
	c := tok.Claims
	if c.Issuer != issuer || c.ID != credentialURN || c.Subject != learnerDID ||
		!c.IssuedAt.IsZero() {
		t.Errorf("claims %+v", c)
	}
	if tok.Shape != vcjwt.ShapeVC11 || tok.Credential["id"] != credentialURN ||
		tok.Payload["vc"] == nil {
		t.Errorf("shape %s, credential id %v", tok.Shape, tok.Credential["id"])
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	const header = `{"alg":"EdDSA","kid":"did:key:z#z"}`
	const payload = `{"iss":"did:key:z","@context":["https://www.w3.org/ns/credentials/v2"]}`
	deep := strings.Repeat("[", vcjwt.MaxDepth) + strings.Repeat("]", vcjwt.MaxDepth)
	jsonForm := `{"payload":"` + b64(payload) + `","protected":"` + b64(header) +
		`","signature":"c2ln"}`

	cases := map[string]string{
		"empty":              "",
		"two segments":       b64(header) + "." + b64(payload),
		"four segments":      join(header, payload) + ".c2ln",
		"bad base64":         b64(header) + ".%%%.c2ln",
		"signature not b64":  b64(header) + "." + b64(payload) + ".!!",
		"json serialization": jsonForm,
		"oversize":           join(header, `{"x":"`+strings.Repeat("a", vcjwt.MaxTokenSize)+`"}`),
		"deep payload":       join(header, `{"x":`+deep+`}`),
		"deep header":        join(`{"alg":"EdDSA","x":`+deep+`}`, payload),
		"unbalanced deep":    join(header, strings.Repeat("[", 100000)),
		"header not json":    join("{", payload),
		"header not object":  join(`"alg"`, payload),
		"duplicate header":   join(`{"alg":"EdDSA","alg":"RS256"}`, payload),
		"kid not a string":   join(`{"alg":"EdDSA","kid":1}`, payload),
		"crit header":        join(`{"alg":"EdDSA","crit":["b64"],"b64":false}`, payload),
		"payload not json":   join(header, "not json"),
		"payload array":      join(header, `[1,2]`),
		"payload null":       join(header, `null`),
		"trailing data":      join(header, `{"iss":"a"}{}`),
		"duplicate claim":    join(header, `{"iss":"a","iss":"b"}`),
		"escaped duplicate":  join(header, `{"iss":"a","\u0069ss":"b"}`),
		"iss not a string":   join(header, `{"iss":7}`),
		"nbf not a number":   join(header, `{"nbf":"2024-01-01"}`),
		"nbf out of range":   join(header, `{"nbf":1e300}`),
		"aud of wrong type":  join(header, `{"aud":[1]}`),
		"aud an object":      join(header, `{"aud":{}}`),
		"vc not an object":   join(header, `{"vc":"x"}`),
	}
	for name, token := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := vcjwt.Parse(token); !errors.Is(err, vcjwt.ErrMalformed) {
				t.Errorf("Parse error %v, want ErrMalformed", err)
			}
		})
	}
}

func TestParseRefusesUnknownAlgorithm(t *testing.T) {
	payload := b64(`{"iss":"a"}`)
	for _, alg := range []string{"none", "", "ES256K", "HS1"} {
		token := b64(`{"alg":"`+alg+`"}`) + "." + payload + "."
		if _, err := vcjwt.Parse(token); !errors.Is(err, vcjwt.ErrAlgorithm) {
			t.Errorf("alg %q: error %v, want ErrAlgorithm", alg, err)
		}
	}
}

// TestLimitsAreCheckedFirst: hostile sizes and depths are refused before decoding work.
func TestLimitsAreCheckedFirst(t *testing.T) {
	header := b64(`{"alg":"EdDSA","kid":"did:key:z#z"}`)
	// The largest payload of open brackets that still fits under MaxTokenSize.
	deep := strings.Repeat("[", (vcjwt.MaxTokenSize-len(header)-8)*3/4)
	tokens := map[string]string{
		"oversize": strings.Repeat("a", 64*vcjwt.MaxTokenSize),
		"deep":     header + "." + b64(deep) + ".c2ln",
	}
	if len(tokens["deep"]) > vcjwt.MaxTokenSize {
		t.Fatalf("the deep token is %d bytes, over the size limit", len(tokens["deep"]))
	}
	v := &vcjwt.Verifier{}
	for name, token := range tokens {
		start := time.Now()
		_, parseErr := vcjwt.Parse(token)
		_, verifyErr := v.Verify(context.Background(), token)
		elapsed := time.Since(start)

		if !errors.Is(parseErr, vcjwt.ErrMalformed) || !errors.Is(verifyErr, vcjwt.ErrMalformed) {
			t.Errorf("%s: errors %v / %v, want ErrMalformed", name, parseErr, verifyErr)
		}
		if elapsed > 250*time.Millisecond {
			t.Errorf("%s: refused in %v, want it fast", name, elapsed)
		}
	}
}

// TestPublishedVC11Sample reads the 1EdTech validator's VC 1.1 sample, which has neither
// kid nor jwk: it parses, and cannot verify here.
func TestPublishedVC11Sample(t *testing.T) {
	token := readShared(t, sampleVC11JWT)

	tok, err := vcjwt.Parse(token)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	h := tok.Header
	if tok.Shape != vcjwt.ShapeVC11 || h.Algorithm != "RS256" || h.KeyID != "" || h.HasJWK {
		t.Errorf("shape %s header %+v", tok.Shape, tok.Header)
	}
	if tok.Claims.Issuer != httpsIssuer || tok.Credential["id"] != tok.Claims.ID {
		t.Errorf("claims %+v, credential id %v", tok.Claims, tok.Credential["id"])
	}
	if got := tok.Claims.NotBefore; !got.Equal(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("nbf %v", got)
	}

	_, err = (&vcjwt.Verifier{}).Verify(context.Background(), token)
	if !errors.Is(err, vcjwt.ErrKeyNotFound) {
		t.Errorf("Verify error %v, want ErrKeyNotFound", err)
	}
}

// TestPublishedBakedJWT reads the VC-JWT baked in the 1EdTech validator's SVG sample,
// whose header carries only a jwk: it parses, its signature is sound under that jwk, and
// Verify refuses it because an embedded key proves nothing about the issuer.
func TestPublishedBakedJWT(t *testing.T) {
	svg := readShared(t, sampleBakedSVG)
	m := regexp.MustCompile(`<openbadges:credential[^>]*\sverify="([^"]+)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("no verify attribute in the baked SVG")
	}
	token := m[1]

	tok, err := vcjwt.Parse(token)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if tok.Shape != vcjwt.ShapeVC20 || !tok.Header.HasJWK || tok.Header.KeyID != "" {
		t.Errorf("shape %s header %+v", tok.Shape, tok.Header)
	}
	const sampleIssuer = "https://1edtech.edu/issuers/565049"
	if tok.Claims.Issuer != sampleIssuer || tok.Credential["@context"] == nil {
		t.Errorf("claims %+v", tok.Claims)
	}
	for _, name := range []string{"iss", "nbf", "jti", "iat", "aud"} {
		if _, ok := tok.Credential[name]; ok {
			t.Errorf("credential keeps the registered claim %s", name)
		}
	}

	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("go-jose parse: %v", err)
	}
	if _, err := jws.Verify(jws.Signatures[0].Protected.JSONWebKey); err != nil {
		t.Errorf("sample signature under its own jwk: %v", err)
	}

	_, err = (&vcjwt.Verifier{}).Verify(context.Background(), token)
	if !errors.Is(err, vcjwt.ErrUntrustedKey) {
		t.Errorf("Verify error %v, want ErrUntrustedKey", err)
	}
}

// join builds a token from raw header and payload JSON, with a signature that cannot
// verify.
func join(header, payload string) string {
	return b64(header) + "." + b64(payload) + ".c2ln"
}

// b64 base64url-encodes a string without padding.
func b64(s string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}
