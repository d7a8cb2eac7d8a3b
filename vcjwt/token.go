package vcjwt

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Limits checked before any other work on a token, so that untrusted input cannot make
// the decoder spend much time or memory.
const (
	// MaxTokenSize is the largest token accepted, in bytes. A credential with a few
	// embedded images stays well below it.
	MaxTokenSize = 256 << 10

	// MaxDepth is the deepest nesting of JSON objects and arrays accepted in the header
	// and in the payload; OB 3.0 credentials nest fewer than ten levels.
	MaxDepth = 64
)

// Header is the decoded JOSE header (OB 3.0 §8.2.3), kept for reports.
type Header struct {
	// Algorithm is the alg parameter as written.
	Algorithm string

	// KeyID is the kid parameter as written, possibly relative to the issuer ("#key-1").
	KeyID string

	// Type is the typ parameter, "" when absent.
	Type string

	// HasJWK tells whether the header embeds a jwk, which Verify never uses.
	HasJWK bool

	// Params lists every header parameter name, sorted, so that a report can show
	// parameters beyond alg, kid, jwk and typ, which OB 3.0 §8.2.3 does not allow.
	Params []string
}

// Claims holds the registered JWT claims (RFC 7519 §4.1) that OB 3.0 §8.2.4.1 maps to
// credential properties. A zero value means the claim is absent.
type Claims struct {
	// Issuer is iss, the issuer id.
	Issuer string

	// Subject is sub, the credential subject id.
	Subject string

	// ID is jti, the credential id.
	ID string

	// Audience is aud; OB 3.0 gives it no meaning, it is kept for reports.
	Audience []string

	// NotBefore is nbf, the start of validity (validFrom or issuanceDate).
	NotBefore time.Time

	// Expiry is exp, the end of validity (validUntil or expirationDate). OB 3.0 §8.2.6.1
	// makes it set validUntil, so a caller that checks dates must honour it.
	Expiry time.Time

	// IssuedAt is iat, which OB 3.0 does not use.
	IssuedAt time.Time
}

// Token is a VC-JWT decoded without checking its signature, for reports and as the
// first step of Verify.
type Token struct {
	// Header is the JOSE header.
	Header Header

	// Claims are the registered claims of the payload.
	Claims Claims

	// Shape tells whether the credential came from a vc claim or was the payload.
	Shape Shape

	// Credential is the credential carried: the vc claim for ShapeVC11, or the payload
	// without the registered claim names for ShapeVC20.
	Credential map[string]any

	// Payload is the whole decoded payload.
	Payload map[string]any
}

// Parse decodes a compact VC-JWT without verifying it, after checking MaxTokenSize,
// the three segments and MaxDepth. Any algorithm that go-jose knows is accepted here,
// HMAC included, since nothing is verified; "none" is not. Errors wrap ErrMalformed,
// or ErrAlgorithm for an unknown alg.
func Parse(token string) (*Token, error) {
	tok, _, err := decode(token, parseAlgorithms())
	return tok, err
}

// decode checks the limits, decodes header and payload, and parses the JWS with go-jose
// under the given algorithm allow-list, which it checks first to name the failure.
func decode(token string, algs []jose.SignatureAlgorithm) (*Token, *jose.JSONWebSignature, error) {
	rawHeader, rawPayload, err := split(token)
	if err != nil {
		return nil, nil, err
	}

	tok := &Token{}
	if tok.Header, err = decodeHeader(rawHeader); err != nil {
		return nil, nil, err
	}
	if !slices.Contains(algs, jose.SignatureAlgorithm(tok.Header.Algorithm)) {
		return nil, nil, fmt.Errorf("checking alg %q: %w", tok.Header.Algorithm, ErrAlgorithm)
	}

	if err := decodePayload(rawPayload, tok); err != nil {
		return nil, nil, err
	}

	jws, err := jose.ParseSignedCompact(token, algs)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing jws: %w: %w", ErrMalformed, err)
	}
	return tok, jws, nil
}

// split enforces the size and segment limits and returns the decoded, depth-checked
// header and payload.
func split(token string) (header, payload []byte, err error) {
	if len(token) > MaxTokenSize {
		return nil, nil, fmt.Errorf("checking size: %d bytes over %d: %w",
			len(token), MaxTokenSize, ErrMalformed)
	}

	segments := strings.Split(token, ".")
	if len(segments) != 3 {
		return nil, nil, fmt.Errorf("checking segments: %d not 3: %w", len(segments), ErrMalformed)
	}

	if header, err = decodeSegment("header", segments[0]); err != nil {
		return nil, nil, err
	}
	if payload, err = decodeSegment("payload", segments[1]); err != nil {
		return nil, nil, err
	}
	return header, payload, nil
}

// decodeSegment base64url-decodes one segment (RFC 7515 §7.1) and checks its JSON.
func decodeSegment(name, segment string) ([]byte, error) {
	data, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w: %w", name, ErrMalformed, err)
	}

	if err := checkJSON(data, MaxDepth); err != nil {
		return nil, fmt.Errorf("checking %s json: %w: %w", name, ErrMalformed, err)
	}
	return data, nil
}

// decodeHeader reads the header parameters. Names are matched exactly: a map is used
// because encoding/json matches struct tags without regard to case.
func decodeHeader(data []byte) (Header, error) {
	var params map[string]json.RawMessage
	if err := json.Unmarshal(data, &params); err != nil {
		return Header{}, fmt.Errorf("reading header: %w: %w", ErrMalformed, err)
	}

	// JWS extensions change what is signed (RFC 7797) and none is needed for OB 3.0.
	for _, name := range []string{"crit", "b64"} {
		if _, ok := params[name]; ok {
			return Header{}, fmt.Errorf("reading header: unsupported %s: %w", name, ErrMalformed)
		}
	}

	h := Header{Params: slices.Sorted(maps.Keys(params))}
	_, h.HasJWK = params["jwk"]
	var err error
	if h.Algorithm, err = headerString(params, "alg"); err != nil {
		return Header{}, err
	}
	if h.KeyID, err = headerString(params, "kid"); err != nil {
		return Header{}, err
	}
	if h.Type, err = headerString(params, "typ"); err != nil {
		return Header{}, err
	}
	return h, nil
}

// headerString reads an optional string parameter.
func headerString(params map[string]json.RawMessage, name string) (string, error) {
	raw, ok := params[name]
	if !ok {
		return "", nil
	}

	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("reading header %s: %w: %w", name, ErrMalformed, err)
	}
	return s, nil
}

// decodePayload fills the token's payload, claims, shape and credential.
func decodePayload(data []byte, tok *Token) error {
	if err := json.Unmarshal(data, &tok.Payload); err != nil {
		return fmt.Errorf("reading payload: %w: %w", ErrMalformed, err)
	}
	if tok.Payload == nil {
		return fmt.Errorf("reading payload: null: %w", ErrMalformed)
	}

	var err error
	if tok.Claims, err = readClaims(tok.Payload); err != nil {
		return err
	}

	tok.Shape, tok.Credential, err = extractCredential(tok.Payload)
	return err
}

// extractCredential finds the credential: the vc claim when there is one (VC 1.1),
// otherwise the payload less the registered claim names (VC 2.0).
func extractCredential(payload map[string]any) (Shape, map[string]any, error) {
	if vc, ok := payload["vc"]; ok {
		credential, isObject := vc.(map[string]any)
		if !isObject {
			return "", nil, fmt.Errorf("reading vc claim: not an object: %w", ErrMalformed)
		}
		return ShapeVC11, credential, nil
	}

	credential := maps.Clone(payload)
	for _, name := range registeredClaims() {
		delete(credential, name)
	}
	return ShapeVC20, credential, nil
}

// registeredClaims lists the claim names of RFC 7519 §4.1.
func registeredClaims() []string {
	return []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}
}

// readClaims reads the registered claims, refusing ones of the wrong JSON type.
func readClaims(payload map[string]any) (Claims, error) {
	var c Claims
	strs := map[string]*string{"iss": &c.Issuer, "sub": &c.Subject, "jti": &c.ID}
	for name, dst := range strs {
		if err := stringClaim(payload, name, dst); err != nil {
			return Claims{}, err
		}
	}

	dates := map[string]*time.Time{"nbf": &c.NotBefore, "exp": &c.Expiry, "iat": &c.IssuedAt}
	for name, dst := range dates {
		if err := dateClaim(payload, name, dst); err != nil {
			return Claims{}, err
		}
	}

	var err error
	c.Audience, err = audienceClaim(payload)
	return c, err
}

// stringClaim stores an optional string claim in dst.
func stringClaim(payload map[string]any, name string, dst *string) error {
	v, ok := payload[name]
	if !ok {
		return nil
	}

	s, isString := v.(string)
	if !isString {
		return fmt.Errorf("reading claim %s: not a string: %w", name, ErrMalformed)
	}
	*dst = s
	return nil
}

// dateClaim stores an optional NumericDate claim in dst.
func dateClaim(payload map[string]any, name string, dst *time.Time) error {
	v, ok := payload[name]
	if !ok {
		return nil
	}

	t, err := numericDate(v)
	if err != nil {
		return fmt.Errorf("reading claim %s: %w: %w", name, ErrMalformed, err)
	}
	*dst = t
	return nil
}

// audienceClaim reads aud, a string or an array of strings (RFC 7519 §4.1.3).
func audienceClaim(payload map[string]any) ([]string, error) {
	switch aud := payload["aud"].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{aud}, nil
	case []any:
		out := make([]string, 0, len(aud))
		for _, a := range aud {
			s, ok := a.(string)
			if !ok {
				return nil, fmt.Errorf("reading claim aud: not a string: %w", ErrMalformed)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("reading claim aud: not a string or array: %w", ErrMalformed)
}

// parseAlgorithms lists every JWS algorithm Parse reads. HMAC is there so that a report
// can show such a token; it is never on the list Verify uses.
func parseAlgorithms() []jose.SignatureAlgorithm {
	return append(signatureAlgorithms(), jose.HS256, jose.HS384, jose.HS512)
}

// signatureAlgorithms lists the asymmetric algorithms a Verifier can be configured with.
func signatureAlgorithms() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512,
		jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512,
		jose.EdDSA,
	}
}
