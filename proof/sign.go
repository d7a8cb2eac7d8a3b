package proof

import (
	"crypto"
	"fmt"
	"slices"
	"time"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/schemas"
)

// Engine signs and verifies proofs using one Canonicalizer, so the pinned
// contexts are processed once for all of them. It is safe for concurrent
// use.
type Engine struct {
	canon *canon.Canonicalizer
	now   func() time.Time
}

// NewEngine returns an Engine canonicalizing with c.
func NewEngine(c *canon.Canonicalizer) *Engine {
	return &Engine{canon: c, now: time.Now}
}

// Sign returns a copy of doc with a new Data Integrity proof added. A proof
// already present stays, and the result carries a proof set (Data Integrity
// §2.1.1); the new proof covers the document without its existing proofs.
func (e *Engine) Sign(doc map[string]any, key Signer, opts Options) (map[string]any, error) {
	suite, err := chooseSuite(key.Type(), opts.Suite)
	if err != nil {
		return nil, err
	}
	if opts.VerificationMethod == "" {
		return nil, fmt.Errorf("%w: no verification method", ErrMalformed)
	}

	out := withDataIntegrityContext(doc)
	unsecured := withoutProof(out)
	config := e.proofConfig(suite, opts)

	data, err := e.hashData(unsecured, config, unsecured["@context"])
	if err != nil {
		return nil, err
	}

	sig, err := key.SignMessage(data)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	config["proofValue"] = multibase.EncodeBase58BTC(sig)

	out["proof"] = appendProof(doc["proof"], config)
	return out, nil
}

func chooseSuite(t keys.Type, suite string) (string, error) {
	if suite == "" {
		switch t {
		case keys.Ed25519:
			return SuiteEdDSARDFC2022, nil
		case keys.P256:
			return SuiteECDSARDFC2019, nil
		}
		return "", fmt.Errorf("%w: no Data Integrity suite for %s keys", ErrUnsupported, t)
	}

	want, ok := suiteKeyType[suite]
	if !ok || slices.Contains(verifyOnly, suite) {
		return "", fmt.Errorf("%w: cannot sign with %q", ErrUnsupported, suite)
	}
	if want != t {
		return "", fmt.Errorf("%w: %s needs a %s key, not %s", ErrUnsupported, suite, want, t)
	}
	return suite, nil
}

func (e *Engine) proofConfig(suite string, opts Options) map[string]any {
	created := opts.Created
	if created.IsZero() {
		created = e.now()
	}
	purpose := opts.Purpose
	if purpose == "" {
		purpose = PurposeAssertionMethod
	}

	config := map[string]any{
		"type":               TypeDataIntegrity,
		"cryptosuite":        suite,
		"created":            created.UTC().Format(time.RFC3339),
		"verificationMethod": opts.VerificationMethod,
		"proofPurpose":       purpose,
	}
	if opts.Challenge != "" {
		config["challenge"] = opts.Challenge
	}
	if opts.Domain != "" {
		config["domain"] = opts.Domain
	}
	return config
}

// hashData canonicalizes the proof options (with the document's @context,
// Data Integrity EdDSA Cryptosuites §3.3.5) and the document, and joins
// their SHA-256 digests, proof options first (§3.3.6).
func (e *Engine) hashData(unsecured, config map[string]any, context any) ([]byte, error) {
	options := make(map[string]any, len(config)+1)
	for k, v := range config {
		if k != "proofValue" {
			options[k] = v
		}
	}
	options["@context"] = context

	optionsHash, err := e.digest(options, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing proof options: %w", err)
	}
	docHash, err := e.digest(unsecured, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing document: %w", err)
	}
	return append(optionsHash, docHash...), nil
}

// withDataIntegrityContext returns a shallow copy of doc whose @context
// defines DataIntegrityProof. The VC 2.0 context does; a VC 1.1 document
// needs the Data Integrity context appended (VC API issuance, and Data
// Integrity §2.4).
func withDataIntegrityContext(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		out[k] = v
	}

	ctx, ok := doc["@context"].([]any)
	if !ok || slices.Contains(ctx, any(schemas.ContextVC2)) ||
		slices.Contains(ctx, any(schemas.ContextDataIntegrityV2)) {
		return out
	}
	out["@context"] = append(slices.Clone(ctx), schemas.ContextDataIntegrityV2)
	return out
}

// withoutProof returns a shallow copy of doc without its proof property.
func withoutProof(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}

func appendProof(existing any, p map[string]any) any {
	switch v := existing.(type) {
	case nil:
		return p
	case []any:
		return append(slices.Clone(v), p)
	default:
		return []any{v, p}
	}
}
