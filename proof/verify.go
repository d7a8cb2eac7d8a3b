package proof

import (
	"context"
	"crypto"
	"fmt"
	"slices"
	"strings"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/xsdtime"
	"github.com/laurel-badges/laurel/keys"
)

// Resolver finds the public key a verification method URL names. The
// verifier decides which methods it trusts (did:key, did:web, published
// issuer keys); this package only uses what it is given.
type Resolver interface {
	Resolve(ctx context.Context, id string) (*keys.VerificationMethod, error)
}

// Expect states what a verifier requires of every proof.
type Expect struct {
	// Purpose is the required proofPurpose. Empty means assertionMethod,
	// the purpose of a credential issuer's proof. The resolved method must
	// also be listed under the verification relationship of that name,
	// whenever the resolver knows its relationships (keys.Relationships).
	Purpose string
	// Challenge and Domain, when set, must equal the proof's.
	Challenge string
	Domain    string
	// Suites lists the accepted cryptosuites (and the legacy proof type
	// Ed25519Signature2020). Nil means every suite this package knows.
	Suites []string
}

// Verify checks every proof of doc's proof set and returns one Result per
// proof, in document order. The error is non-nil only when no proof could be
// checked at all: no proof, a malformed proof property, or too many proofs.
func (e *Engine) Verify(ctx context.Context, doc map[string]any, r Resolver, want Expect) ([]Result, error) {
	proofs, err := listProofs(doc["proof"])
	if err != nil {
		return nil, err
	}

	v := &verification{engine: e, ctx: ctx, doc: doc, proofs: proofs, resolver: r, want: want}
	results := make([]Result, len(proofs))
	for i, p := range proofs {
		results[i] = v.one(p)
	}
	return results, nil
}

// listProofs accepts a single proof object or an array of them.
func listProofs(v any) ([]map[string]any, error) {
	if v == nil {
		return nil, ErrNoProof
	}

	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, ErrNoProof
	}
	if len(items) > maxProofs {
		return nil, fmt.Errorf("%w: more than %d proofs", ErrMalformed, maxProofs)
	}

	out := make([]map[string]any, len(items))
	for i, item := range items {
		p, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: proof is not an object", ErrMalformed)
		}
		out[i] = p
	}
	return out, nil
}

// verification holds what the proofs of one document share, so the
// document is canonicalized once however many proofs it carries.
type verification struct {
	engine   *Engine
	ctx      context.Context
	doc      map[string]any
	proofs   []map[string]any
	resolver Resolver
	want     Expect

	// docHashes holds the unsecured document's digest under each hash a
	// proof has asked for; docErr its canonicalization error.
	docHashes map[crypto.Hash][]byte
	docErr    error
}

func (v *verification) one(p map[string]any) Result {
	res := Result{Proof: p}

	suite, err := v.checkShape(p)
	if err != nil {
		res.Err = err
		return res
	}

	check, err := v.prepare(suite, p)
	if err != nil {
		res.Err = err
		return res
	}

	method, err := v.resolve(p["verificationMethod"].(string), suite, p["proofPurpose"].(string))
	res.Method = method
	if err != nil {
		res.Err = err
		return res
	}

	res.Err = check(method.PublicKey)
	return res
}

// keyCheck finishes verifying one proof once its key is resolved.
type keyCheck func(pub crypto.PublicKey) error

// prepare decodes the proofValue as the suite encodes it, before any key
// is resolved, so a malformed proof costs no fetch; it returns the check to
// run once the key is known.
func (v *verification) prepare(suite string, p map[string]any) (keyCheck, error) {
	value := p["proofValue"].(string)
	if suite == SuiteECDSASD2023 {
		d, err := decodeDerived(value)
		if err != nil {
			return nil, err
		}
		return func(pub crypto.PublicKey) error { return v.verifyDerived(p, d, pub) }, nil
	}

	sig, err := decodeProofValue(value)
	if err != nil {
		return nil, err
	}
	if isJCS(suite) {
		return v.prepareJCS(p, sig)
	}
	return func(pub crypto.PublicKey) error { return v.verifyRDFC(p, pub, sig) }, nil
}

// verifyRDFC checks one signature over the hashed canonical proof options
// and document, as every RDFC suite makes it.
func (v *verification) verifyRDFC(p map[string]any, pub crypto.PublicKey, sig []byte) error {
	data, err := v.hashData(p, curveHash(pub))
	if err != nil {
		return err
	}
	return verifySignature(pub, data, sig)
}

// verifySignature checks sig over the hash data. keys.VerifyMessage checks
// the signature's length for the key: 64 bytes for Ed25519, r||s of 64
// bytes for P-256 and 96 for P-384.
func verifySignature(pub crypto.PublicKey, data, sig []byte) error {
	if err := keys.VerifyMessage(pub, data, sig); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return nil
}

// checkShape validates the proof's properties (Data Integrity §2.1) and
// returns its suite.
func (v *verification) checkShape(p map[string]any) (string, error) {
	suite, err := suiteOf(p)
	if err != nil {
		return "", err
	}
	if v.want.Suites != nil && !slices.Contains(v.want.Suites, suite) {
		return "", fmt.Errorf("%w: %s is not accepted here", ErrUnsupported, suite)
	}

	for _, name := range []string{"verificationMethod", "proofPurpose", "proofValue"} {
		if s, ok := p[name].(string); !ok || s == "" {
			return "", fmt.Errorf("%w: %s missing or not a string", ErrMalformed, name)
		}
	}
	if err := v.checkPurpose(p); err != nil {
		return "", err
	}
	return suite, v.checkDates(p, suite)
}

func suiteOf(p map[string]any) (string, error) {
	typ, ok := p["type"].(string)
	if !ok {
		return "", fmt.Errorf("%w: type missing or not a string", ErrMalformed)
	}

	switch typ {
	case TypeEd25519Signature2020:
		return TypeEd25519Signature2020, nil
	case TypeDataIntegrity:
		suite, ok := p["cryptosuite"].(string)
		if !ok {
			return "", fmt.Errorf("%w: cryptosuite missing", ErrMalformed)
		}
		if _, known := suiteKeyType[suite]; !known {
			return "", fmt.Errorf("%w: cryptosuite %q", ErrUnsupported, suite)
		}
		return suite, nil
	}
	return "", fmt.Errorf("%w: proof type %q", ErrUnsupported, typ)
}

func (v *verification) checkPurpose(p map[string]any) error {
	want := v.want.Purpose
	if want == "" {
		want = PurposeAssertionMethod
	}
	if p["proofPurpose"] != want {
		return fmt.Errorf("%w: %v, want %s", ErrPurpose, p["proofPurpose"], want)
	}

	if v.want.Challenge != "" && p["challenge"] != v.want.Challenge {
		return fmt.Errorf("%w: challenge does not match", ErrPurpose)
	}
	if v.want.Domain != "" && !domainMatches(p["domain"], v.want.Domain) {
		return fmt.Errorf("%w: domain does not match", ErrPurpose)
	}
	return nil
}

// domainMatches accepts a domain given as a string or an array of strings
// (Data Integrity §2.1).
func domainMatches(got any, want string) bool {
	if s, ok := got.(string); ok {
		return s == want
	}
	list, _ := got.([]any)
	return slices.Contains(list, any(want))
}

// checkDates requires created to be a dateTimeStamp when present (and
// present at all for Ed25519Signature2020), and refuses an expired proof.
func (v *verification) checkDates(p map[string]any, suite string) error {
	created, has := p["created"]
	if !has && suite == TypeEd25519Signature2020 {
		return fmt.Errorf("%w: created missing", ErrMalformed)
	}
	if has {
		s, _ := created.(string)
		if _, err := xsdtime.ParseStamp(s); err != nil {
			return fmt.Errorf("%w: created: %w", ErrMalformed, err)
		}
	}

	expires, has := p["expires"]
	if !has {
		return nil
	}
	s, _ := expires.(string)
	t, err := xsdtime.ParseStamp(s)
	if err != nil {
		return fmt.Errorf("%w: expires: %w", ErrMalformed, err)
	}
	if v.engine.now().After(t) {
		return ErrExpired
	}
	return nil
}

// decodeProofValue checks the length before decoding, then requires a
// base58btc multibase value (Data Integrity EdDSA Cryptosuites §3.3.2).
func decodeProofValue(s string) ([]byte, error) {
	if len(s) > maxProofValue {
		return nil, fmt.Errorf("%w: proofValue is %d characters long", ErrMalformed, len(s))
	}
	if len(s) < 2 || s[0] != 'z' {
		return nil, fmt.Errorf("%w: proofValue is not base58btc multibase", ErrMalformed)
	}

	sig, err := multibase.DecodeBase58BTC(s)
	if err != nil {
		return nil, fmt.Errorf("%w: proofValue: %w", ErrMalformed, err)
	}
	return sig, nil
}

// resolve finds the key and checks it suits the proof's suite and
// purpose.
func (v *verification) resolve(id, suite, purpose string) (*keys.VerificationMethod, error) {
	method, err := v.resolver.Resolve(v.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrKey, id, err)
	}

	accepted := acceptedKeyTypes(suite)
	if !slices.Contains(accepted, keyTypeOf(method.PublicKey)) {
		return method, fmt.Errorf("%w: %s needs a %s key, %s holds another",
			ErrUnsupported, suite, typeNames(accepted), id)
	}
	return method, authorized(method, purpose)
}

// acceptedKeyTypes lists the key types a proof of suite may be made with:
// verifyKeyTypes where it names the suite, else the type Laurel signs it
// with, and Ed25519 for Ed25519Signature2020.
func acceptedKeyTypes(suite string) []keys.Type {
	if ts, ok := verifyKeyTypes[suite]; ok {
		return ts
	}
	if t, ok := suiteKeyType[suite]; ok {
		return []keys.Type{t}
	}
	return []keys.Type{keys.Ed25519}
}

// typeNames joins key type names with "or", for errors.
func typeNames(ts []keys.Type) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = string(t)
	}
	return strings.Join(names, " or ")
}

// authorized requires the controller's document to list the method under
// the relationship the proof's purpose names (Controlled Identifiers 1.0
// §3.3, "Retrieve Verification Method"). Where the resolver could not tell
// (a key taken from a URL fragment, a key document of its own), the
// proof is not refused here: the caller's binding check decides whether
// the key is the issuer's.
func authorized(method *keys.VerificationMethod, purpose string) error {
	if listed, known := method.Relationships.Lists(purpose); known && !listed {
		return &PurposeError{Method: method.ID, Purpose: purpose}
	}
	return nil
}

// hashData rebuilds what the proof signed: its options with the document's
// @context, and the document without proofs, or with the proofs that
// previousProof names (Data Integrity §4.3, proof chains), each hashed
// with h and the two digests joined, options first.
func (v *verification) hashData(p map[string]any, h crypto.Hash) ([]byte, error) {
	unsecured, chained, err := v.unsecured(p)
	if err != nil {
		return nil, err
	}

	optionsHash, err := v.optionsHash(p, h)
	if err != nil {
		return nil, err
	}

	docHash, err := v.documentHash(unsecured, chained, h)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing document: %w", err)
	}
	return append(optionsHash, docHash...), nil
}

// optionsHash is the hash h of the canonical proof options: the proof
// without its proofValue, under the document's @context (the "Proof
// Configuration" algorithm of each suite here, ecdsa-sd-2023's included).
func (v *verification) optionsHash(p map[string]any, h crypto.Hash) ([]byte, error) {
	options := make(map[string]any, len(p))
	for k, val := range p {
		if k != "proofValue" {
			options[k] = val
		}
	}
	options["@context"] = v.doc["@context"]

	sum, err := v.engine.digest(options, h)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing proof options: %w", err)
	}
	return sum, nil
}

// documentHash hashes the unsecured document with h. Without a proof
// chain every proof of the set sees the same document, so its digest is
// kept for each hash, and a canonicalization error for all of them.
func (v *verification) documentHash(
	unsecured map[string]any, chained bool, h crypto.Hash,
) ([]byte, error) {
	if chained {
		return v.engine.digest(unsecured, h)
	}
	if v.docErr != nil {
		return nil, v.docErr
	}
	if sum, ok := v.docHashes[h]; ok {
		return sum, nil
	}

	sum, err := v.engine.digest(unsecured, h)
	if err != nil {
		v.docErr = err
		return nil, err
	}
	if v.docHashes == nil {
		v.docHashes = make(map[crypto.Hash][]byte, 1)
	}
	v.docHashes[h] = sum
	return sum, nil
}

// unsecured returns the document as the proof saw it when it was made.
func (v *verification) unsecured(p map[string]any) (map[string]any, bool, error) {
	doc := withoutProof(v.doc)
	prev, has := p["previousProof"]
	if !has {
		return doc, false, nil
	}

	ids, ok := prev.([]any)
	if !ok {
		ids = []any{prev}
	}
	var chain []any
	for _, id := range ids {
		found := v.proofByID(id)
		if found == nil {
			return nil, false, fmt.Errorf("%w: previousProof %v names no proof in the set", ErrMalformed, id)
		}
		chain = append(chain, found)
	}

	if len(chain) == 1 {
		doc["proof"] = chain[0]
	} else {
		doc["proof"] = chain
	}
	return doc, true, nil
}

func (v *verification) proofByID(id any) map[string]any {
	s, ok := id.(string)
	if !ok {
		return nil
	}
	for _, p := range v.proofs {
		if p["id"] == s {
			return p
		}
	}
	return nil
}

// ResolverFunc adapts a function to the Resolver interface.
type ResolverFunc func(ctx context.Context, id string) (*keys.VerificationMethod, error)

// Resolve calls f.
func (f ResolverFunc) Resolve(ctx context.Context, id string) (*keys.VerificationMethod, error) {
	return f(ctx, id)
}
