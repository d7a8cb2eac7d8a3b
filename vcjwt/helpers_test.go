package vcjwt_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/vcjwt"
)

// Shared material beside the repository, as laid out for developers and CI.
const (
	sampleVC11JWT   = "../../shared/spec/examples/validator-simple-vc11.jwt"
	sampleBakedSVG  = "../../shared/spec/examples/validator-baked-jwt.svg"
	httpsIssuer     = "https://example.edu/issuers/565049"
	httpsIssuerKey  = httpsIssuer + "#key-1"
	learnerDID      = "did:example:ebfeb1f712ebc6f1c276e12ec21"
	credentialURN   = "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002"
	obContextLatest = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// newCredential builds an OpenBadgeCredential of the given shape issued by issuer,
// as decoded JSON would hold it.
func newCredential(shape vcjwt.Shape, issuer string) map[string]any {
	c := map[string]any{
		"id":   credentialURN,
		"type": []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer": map[string]any{
			"id": issuer, "type": []any{"Profile"}, "name": "Example University",
		},
		"name": "Teamwork Badge",
		"credentialSubject": map[string]any{
			"id":   learnerDID,
			"type": []any{"AchievementSubject"},
			"achievement": map[string]any{
				"id":       "https://example.edu/achievements/teamwork",
				"type":     []any{"Achievement"},
				"name":     "Teamwork",
				"criteria": map[string]any{"narrative": "Nominated by peers."},
			},
		},
	}

	if shape == vcjwt.ShapeVC11 {
		c["@context"] = []any{"https://www.w3.org/2018/credentials/v1", obContextLatest}
		c["issuanceDate"] = "2024-01-01T00:00:00Z"
		c["expirationDate"] = "2034-01-01T00:00:00Z"
		return c
	}
	c["@context"] = []any{"https://www.w3.org/ns/credentials/v2", obContextLatest}
	c["validFrom"] = "2024-01-01T00:00:00Z"
	c["validUntil"] = "2034-01-01T00:00:00Z"
	return c
}

// newKey generates a fresh key of type typ for one test.
func newKey(tb testing.TB, typ keys.Type) *keys.Key {
	tb.Helper()

	key, err := keys.Generate(typ)
	if err != nil {
		tb.Fatalf("generating %s key: %v", typ, err)
	}
	return key
}

// issuerFor returns an issuer id and an absolute kid for key: its did:key where one
// exists, otherwise an https issuer with a #key-1 fragment.
func issuerFor(tb testing.TB, key *keys.Key) (issuer, kid string) {
	tb.Helper()

	if key.Type() == keys.RSA {
		return httpsIssuer, httpsIssuerKey
	}
	did, err := key.DIDKey()
	if err != nil {
		tb.Fatalf("did:key: %v", err)
	}
	kid, err = key.VerificationMethodID()
	if err != nil {
		tb.Fatalf("verification method id: %v", err)
	}
	return did, kid
}

// resolverFor answers every kid in methods with its public key and anything else with
// an error, the way a did:web or https resolver would.
func resolverFor(methods map[string]*keys.Key) resolver {
	return func(_ context.Context, kid string) (*keys.VerificationMethod, error) {
		key, ok := methods[kid]
		if !ok {
			return nil, fmt.Errorf("no method %q", kid)
		}
		controller, _, _ := strings.Cut(kid, "#")
		return &keys.VerificationMethod{
			ID: kid, Type: "JsonWebKey", Controller: controller, PublicKey: key.Public(),
		}, nil
	}
}

// resolver is the type of Verifier.Resolve.
type resolver = func(ctx context.Context, kid string) (*keys.VerificationMethod, error)

// verifierFor returns a Verifier that knows key under kid, beside did:key.
func verifierFor(key *keys.Key, kid string) *vcjwt.Verifier {
	if key.Type() != keys.RSA {
		return &vcjwt.Verifier{}
	}
	return &vcjwt.Verifier{Resolve: resolverFor(map[string]*keys.Key{kid: key})}
}

// mustSign signs credential and fails the test on error.
func mustSign(tb testing.TB, credential map[string]any, key *keys.Key, kid string) string {
	tb.Helper()

	token, err := vcjwt.Sign(credential, key, kid)
	if err != nil {
		tb.Fatalf("Sign: %v", err)
	}
	return token
}

// segmentJSON decodes segment i of a compact token as a JSON object.
func segmentJSON(t *testing.T, token string, i int) map[string]any {
	t.Helper()

	data, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatalf("decoding segment %d: %v", i, err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("reading segment %d: %v", i, err)
	}
	return out
}

// encodeJSON base64url-encodes v as JSON.
func encodeJSON(t *testing.T, v any) string {
	t.Helper()

	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding json: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(data)
}

// forge assembles a compact JWS from any header and payload by hand, signing the
// signing input with sign; it builds tokens that Sign refuses to make.
func forge(t *testing.T, header, payload map[string]any, sign func([]byte) []byte) string {
	t.Helper()

	input := encodeJSON(t, header) + "." + encodeJSON(t, payload)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(input)))
}

// ed25519Signer signs a signing input with an Ed25519 key, as EdDSA requires.
func ed25519Signer(t *testing.T, key *keys.Key) func([]byte) []byte {
	return func(input []byte) []byte {
		sig, err := key.Signer().Sign(rand.Reader, input, crypto.Hash(0))
		if err != nil {
			t.Fatalf("signing: %v", err)
		}
		return sig
	}
}

// payloadFor builds the VC 2.0 payload Sign would make, for forging variants of it.
func payloadFor(credential map[string]any) map[string]any {
	p := map[string]any{}
	for k, v := range credential {
		p[k] = v
	}
	p["iss"] = credential["issuer"].(map[string]any)["id"]
	p["jti"] = credential["id"]
	p["sub"] = credential["credentialSubject"].(map[string]any)["id"]
	p["nbf"] = 1704067200
	p["exp"] = 2019686400
	return p
}

// readShared reads a file from the shared material.
func readShared(t *testing.T, path string) string {
	t.Helper()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading shared sample: %v", err)
	}
	return strings.TrimSpace(string(data))
}

// verifyErr runs Verify and keeps only its error.
func verifyErr(v *vcjwt.Verifier, token string) error {
	_, err := v.Verify(context.Background(), token)
	return err
}
