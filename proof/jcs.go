package proof

import (
	"crypto"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/gowebpki/jcs"

	"github.com/laurel-badges/laurel/internal/vcdm"
)

// isJCS reports a suite that transforms with the JSON Canonicalization
// Scheme (RFC 8785) rather than RDF Dataset Canonicalization.
func isJCS(suite string) bool {
	return suite == SuiteEdDSAJCS2022 || suite == SuiteECDSAJCS2019
}

// prepareJCS takes the steps of "Verify Proof (eddsa-jcs-2022)" (Data
// Integrity EdDSA Cryptosuites 1.0 §3.3.2) and "Verify Proof
// (ecdsa-jcs-2019)" (Data Integrity ECDSA Cryptosuites 1.0 §3.3.2) that
// need no key, and returns the check that hashes and verifies once the key
// is known. suiteOf has made sure type is DataIntegrityProof and
// cryptosuite a JCS suite, and checkDates that created, when present, is a
// date-time, as the suite's transformation and proof configuration
// require.
//
// When the proof carries an @context, the document's @context must begin
// with the same values in the same order, and the document is hashed under
// the proof's @context: contexts appended after signing, as a later proof
// of a set may do, are not covered. Unlike the RDFC suites, the proof
// options are hashed as they are, without the document's @context.
func (v *verification) prepareJCS(p map[string]any, sig []byte) (keyCheck, error) {
	unsecured, _, err := v.unsecured(p)
	if err != nil {
		return nil, err
	}
	if ctx, has := p["@context"]; has {
		if !contextPrefix(v.doc["@context"], ctx) {
			return nil, fmt.Errorf("%w: the document's @context does not begin with the proof's",
				ErrSignature)
		}
		unsecured["@context"] = ctx
	}

	options := make(map[string]any, len(p))
	for k, val := range p {
		if k != "proofValue" {
			options[k] = val
		}
	}
	return func(pub crypto.PublicKey) error {
		data, err := jcsHashData(options, unsecured, curveHash(pub))
		if err != nil {
			return err
		}
		return verifySignature(pub, data, sig)
	}, nil
}

// contextPrefix reports whether the @context value doc starts with every
// value of the @context value prefix, in order. A single value counts as a
// list of one, and null as none.
func contextPrefix(doc, prefix any) bool {
	d, p := vcdm.AsList(doc), vcdm.AsList(prefix)
	if len(p) > len(d) {
		return false
	}
	for i := range p {
		if !reflect.DeepEqual(d[i], p[i]) {
			return false
		}
	}
	return true
}

// jcsHashData joins the hash h of the canonical proof options and that of
// the canonical document, options first ("Hashing (eddsa-jcs-2022)",
// "Hashing (ecdsa-jcs-2019)"). The document hash is not kept for the other
// proofs of a set, as the RDFC one is: each JCS proof may hash the document
// under an @context of its own, and JCS costs little.
func jcsHashData(options, unsecured map[string]any, h crypto.Hash) ([]byte, error) {
	optionsHash, err := jcsDigest(options, h)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing proof options: %w", err)
	}
	docHash, err := jcsDigest(unsecured, h)
	if err != nil {
		return nil, fmt.Errorf("canonicalizing document: %w", err)
	}
	return append(optionsHash, docHash...), nil
}

// jcsDigest hashes the RFC 8785 form of a JSON serialization of doc. JCS
// reads every number as an IEEE 754 double and writes it as ECMAScript
// does, so a number encoding/json decoded as a float64 (or kept as a
// json.Number) canonicalizes exactly as it did in the signer's text, and
// escapes encoding/json adds (<, >, &) are read back as the characters.
func jcsDigest(doc map[string]any, h crypto.Hash) ([]byte, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: not JSON: %w", ErrMalformed, err)
	}
	canonical, err := jcs.Transform(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: JCS: %w", ErrMalformed, err)
	}

	w := newHash(h)
	w.Write(canonical)
	return w.Sum(nil), nil
}
