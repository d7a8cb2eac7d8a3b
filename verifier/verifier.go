// Package verifier answers whether an Open Badges 3.0 credential (or any W3C
// Verifiable Credential) is genuine and current, with a report a person can
// read: structure, contexts, JSON Schema, every proof, issuer binding,
// validity dates and status, in the order OB 3.0 §9 gives them.
//
// The same Verifier serves the command line, the API and the public page,
// so all three give the same answer for the same input.
package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/laurel-badges/laurel/bake"
	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/vcjwt"
)

// ErrInput reports input that is not a credential at all: not JSON, not a
// compact JWS, or too large. Such input gets no report.
var ErrInput = errors.New("input is not a credential")

// Config configures a Verifier. The zero value verifies with every pinned
// context, every supported suite, did:key keys, and the wall clock.
type Config struct {
	// Canonicalizer is shared with other users of the same contexts. Nil
	// means a new one over every pinned context.
	Canonicalizer *canon.Canonicalizer
	// Resolver finds verification methods. Nil means NewResolver(Fetch):
	// did:key, did:web through Fetch, and keys named by a Multikey
	// fragment, which are reported as unconfirmed.
	Resolver proof.Resolver
	// Suites lists the accepted cryptosuites (the proof.Suite* names, and
	// proof.TypeEd25519Signature2020 for that legacy proof type), on
	// credentials, presentations, endorsements and status lists alike.
	// Nil means all known: eddsa-rdfc-2022, ecdsa-rdfc-2019,
	// eddsa-jcs-2022, ecdsa-jcs-2019, ecdsa-sd-2023, eddsa-2022 and
	// Ed25519Signature2020. A proof of a suite left out fails as
	// proof.unsupported.
	Suites []string
	// JWTAlgorithms lists the accepted VC-JWT algorithms; nil means
	// RS256, ES256, ES384 and EdDSA.
	JWTAlgorithms []jose.SignatureAlgorithm
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MaxInput bounds the input size in bytes; zero means 1 MiB.
	MaxInput int
	// TrustedIssuers maps the issuers a district recognises (a DID or URL)
	// to their display names, e.g. a neighbouring district. The report
	// says whether a credential's issuer is one of them; an issuer that is
	// not is unknown, not invalid.
	TrustedIssuers map[string]string
	// Fetch retrieves documents from the network: did:web DID documents,
	// the profiles of issuers whose id is an https URL and the keys they
	// publish, and, unless StatusFetch is set, status lists. It should be
	// Laurel's safe HTTP client. Nil means nothing is fetched, and the
	// keys of https issuers are never confirmed.
	Fetch Fetch
	// StatusFetch returns the status list document published at a URL
	// (own lists from the store, others through Fetch). Nil means Fetch.
	// With neither, no list can be retrieved: a credential with a status
	// entry then has an unknown status, which is never reported as valid.
	StatusFetch func(ctx context.Context, url string) ([]byte, error)
	// MaxFetches bounds the distinct documents one credential's
	// verification, its endorsements included, reads through Fetch,
	// StatusFetch and NewResolver (a Resolver of your own counts only if
	// it fetches through NewResolver). Beyond it a fetch fails with
	// ErrTooManyFetches, and the check that needed it says so. Zero means
	// DefaultMaxFetches; negative is an error.
	MaxFetches int
}

// Verifier checks credentials. It is safe for concurrent use.
type Verifier struct {
	engine   *proof.Engine
	resolver proof.Resolver
	jwt      *vcjwt.Verifier
	schemas  *schemaSet
	status   *status.Checker
	trusted  map[string]string
	suites   []string
	now      func() time.Time
	maxInput int
	// fetch reads issuer profiles for the binding check; nil reads none.
	fetch      Fetch
	maxFetches int
}

// New returns a Verifier for cfg, or an error when MaxFetches is negative
// or the pinned contexts and schemas cannot be loaded.
func New(cfg Config) (*Verifier, error) {
	if cfg.MaxFetches < 0 {
		return nil, fmt.Errorf("verifier: negative MaxFetches %d", cfg.MaxFetches)
	}
	c := cfg.Canonicalizer
	if c == nil {
		var err error
		if c, err = canon.New(canon.Config{}); err != nil {
			return nil, fmt.Errorf("building canonicalizer: %w", err)
		}
	}

	set, err := compileSchemas()
	if err != nil {
		return nil, fmt.Errorf("compiling schemas: %w", err)
	}

	v := &Verifier{
		engine:     proof.NewEngine(c),
		resolver:   cfg.Resolver,
		schemas:    set,
		suites:     cfg.Suites,
		now:        cfg.Now,
		maxInput:   cfg.MaxInput,
		trusted:    cfg.TrustedIssuers,
		fetch:      counted(cfg.Fetch),
		maxFetches: cfg.MaxFetches,
	}
	v.fillDefaults(cfg)
	if v.status, err = v.statusChecker(cfg); err != nil {
		return nil, err
	}
	v.jwt = &vcjwt.Verifier{Algorithms: cfg.JWTAlgorithms, Resolve: v.resolver.Resolve}
	return v, nil
}

// fillDefaults gives the zero values of cfg their documented meaning.
func (v *Verifier) fillDefaults(cfg Config) {
	if v.resolver == nil {
		v.resolver = NewResolver(cfg.Fetch)
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxInput == 0 {
		v.maxInput = 1 << 20
	}
	if v.maxFetches == 0 {
		v.maxFetches = DefaultMaxFetches
	}
}

// statusChecker builds the status checker, whose list fetches count
// against the same limit as every other fetch of a verification.
func (v *Verifier) statusChecker(cfg Config) (*status.Checker, error) {
	fetch := cfg.StatusFetch
	if fetch == nil && cfg.Fetch != nil {
		fetch = cfg.Fetch
	}
	c, err := status.New(status.Config{
		Fetch: counted(fetch), Engine: v.engine, Resolver: v.resolver, Suites: v.suites, Now: v.now,
	})
	if err != nil {
		return nil, fmt.Errorf("building status checker: %w", err)
	}
	return c, nil
}

// Verify checks a credential given as JSON or as a compact JWS (VC-JWT).
// It returns ErrInput, and no report, for input that is neither.
func (v *Verifier) Verify(ctx context.Context, input []byte) (*Report, error) {
	if len(input) > v.maxInput {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrInput, v.maxInput)
	}

	trimmed := bytes.TrimSpace(input)
	if kind := imageKind(trimmed); kind != "" {
		return v.verifyBaked(ctx, trimmed, kind)
	}
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var doc map[string]any
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInput, err)
		}
		return v.VerifyCredential(ctx, doc), nil
	}
	if bytes.Count(trimmed, []byte(".")) == 2 && !bytes.ContainsAny(trimmed, " \n\t{") {
		return v.VerifyJWT(ctx, string(trimmed)), nil
	}
	return nil, fmt.Errorf("%w: neither a JSON object nor a compact JWS", ErrInput)
}

// imageKind tells a baked badge image (OB 3.0 §5.3) from a credential.
func imageKind(input []byte) string {
	switch {
	case bytes.HasPrefix(input, []byte("\x89PNG")):
		return "png"
	case len(input) > 0 && input[0] == '<':
		return "svg"
	}
	return ""
}

// verifyBaked takes the credential out of a baked image and verifies it.
func (v *Verifier) verifyBaked(ctx context.Context, image []byte, kind string) (*Report, error) {
	cred, err := bake.Unbake(image)
	if err != nil {
		return nil, fmt.Errorf("%w: unbaking the %s image: %w", ErrInput, kind, err)
	}
	trimmed := bytes.TrimSpace(cred)
	if imageKind(trimmed) != "" {
		return nil, fmt.Errorf("%w: the %s image holds another image", ErrInput, kind)
	}

	r, err := v.Verify(ctx, trimmed)
	if r != nil {
		r.Baked = kind
	}
	return r, err
}

// VerifyCredential checks a decoded credential secured with embedded
// Data Integrity proofs. Everything it fetches, for the credential and its
// endorsements, counts against one fetch limit (Config.MaxFetches).
func (v *Verifier) VerifyCredential(ctx context.Context, doc map[string]any) *Report {
	ctx = v.withLedger(ctx)
	r := &Report{Format: "json-ld", Credential: doc}
	v.describe(r, doc)

	if !v.checkStructure(r, doc) {
		r.finish()
		return r
	}
	v.checkSchema(r, doc)

	methods := v.checkProofs(ctx, r, doc)
	v.checkBinding(ctx, r, doc, methods)
	v.checkDates(r, doc)
	v.checkStatus(ctx, r, doc)
	v.checkEndorsements(ctx, r, doc)
	r.finish()
	return r
}

// VerifyJWT checks a credential secured as a VC-JWT (OB 3.0 §8.2), under
// the same fetch limit as VerifyCredential; an endorsement given as a
// VC-JWT shares the limit of the credential that embeds it.
func (v *Verifier) VerifyJWT(ctx context.Context, token string) *Report {
	ctx = v.withLedger(ctx)
	r := &Report{Format: "vc-jwt"}

	res, err := v.jwt.Verify(ctx, token)
	if err != nil {
		if tok, perr := vcjwt.Parse(token); perr == nil {
			r.Credential = tok.Credential
			v.describe(r, tok.Credential)
		}
		r.add(CheckProof, Failed, jwtCode(err), "The JWT signature could not be verified: "+err.Error()+".")
		r.finish()
		return r
	}

	doc := res.Credential
	r.Credential = doc
	v.describe(r, doc)
	if !v.checkStructure(r, doc) {
		r.finish()
		return r
	}
	v.checkSchema(r, doc)
	r.add(CheckProof, Passed, "", fmt.Sprintf("The %s JWT signature is valid.", res.Algorithm))
	v.checkBinding(ctx, r, doc, []methodResult{methodOf(res.Method)})
	v.checkDates(r, doc)
	v.checkStatus(ctx, r, doc)
	v.checkEndorsements(ctx, r, doc)
	r.finish()
	return r
}

// describe fills the identifying fields of a report, and whether the
// issuer is one the district trusts.
func (v *Verifier) describe(r *Report, doc map[string]any) {
	describeDoc(r, doc)
	r.TrustedAs, r.Trusted = v.trusted[r.Issuer]
}

func describeDoc(r *Report, doc map[string]any) {
	r.ID, _ = doc["id"].(string)
	r.Issuer = vcdm.IssuerID(doc)
	if m, ok := doc["issuer"].(map[string]any); ok {
		r.IssuerName, _ = m["name"].(string)
	}
}

func (v *Verifier) checkSchema(r *Report, doc map[string]any) {
	checked, skipped, err := v.schemas.validate(doc)
	switch {
	case errors.Is(err, errNoSchema) && len(skipped) > 0:
		r.add(CheckSchema, Warning, "schema.unknown",
			fmt.Sprintf("The credential names schema %s, which Laurel does not hold, so it was not checked.", skipped[0]))
	case errors.Is(err, errNoSchema):
		r.add(CheckSchema, NotChecked, "schema.none",
			"No JSON Schema Laurel holds applies (not a VC 2.0 Open Badge, and no schema named).")
	case err != nil:
		r.add(CheckSchema, Failed, "schema.invalid", "The credential does not match its JSON Schema: "+oneLine(err)+".")
	default:
		r.add(CheckSchema, Passed, "", fmt.Sprintf("The credential matches %d Open Badges JSON Schema(s).", len(checked)))
	}
}

func jwtCode(err error) string {
	switch {
	case errors.Is(err, ErrTooManyFetches):
		return codeTooManyFetches
	case errors.Is(err, vcjwt.ErrUntrustedKey):
		return "proof.untrusted_key"
	case errors.Is(err, vcjwt.ErrKeyNotFound):
		return "proof.key_not_found"
	case errors.Is(err, vcjwt.ErrKeyNotAuthorized):
		return codePurposeNotAuthorized
	case errors.Is(err, vcjwt.ErrAlgorithm):
		return "proof.algorithm"
	case errors.Is(err, vcjwt.ErrClaims):
		return "proof.claims"
	case errors.Is(err, vcjwt.ErrMalformed):
		return "proof.malformed"
	}
	return "proof.signature"
}
