package verifier

import (
	"context"
	"crypto"
	"errors"
	"fmt"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// methodResult is what the binding check needs from a verified proof.
type methodResult struct {
	id         string
	controller string
	key        crypto.PublicKey
}

// methodOf is the methodResult of a resolved method.
func methodOf(m *keys.VerificationMethod) methodResult {
	return methodResult{id: m.ID, controller: m.Controller, key: m.PublicKey}
}

// checkProofs verifies every proof and records the proof check (and, when
// canonicalization refused the document, a failed contexts check). It
// returns the verification methods of the proofs that verified.
func (v *Verifier) checkProofs(ctx context.Context, r *Report, doc map[string]any) []methodResult {
	results, err := v.engine.Verify(ctx, doc, v.resolver, proof.Expect{Suites: v.suites})
	if err != nil {
		r.add(CheckProof, Failed, proofCode(err), proofMessage(err))
		return nil
	}

	var verified []methodResult
	var failures []error
	for _, res := range results {
		if res.Err != nil {
			failures = append(failures, res.Err)
			continue
		}
		verified = append(verified, methodOf(res.Method))
	}

	if len(failures) > 0 {
		first := failures[0]
		if errors.Is(first, canon.ErrUnsafe) || errors.Is(first, canon.ErrContext) || errors.Is(first, canon.ErrLimit) {
			replaceContexts(r, first)
		}
		r.add(CheckProof, Failed, proofCode(first), proofMessage(first))
		return nil
	}

	msg := fmt.Sprintf("%s verified.", plural(len(verified), "proof"))
	if selective(results) {
		msg += " It is a selective disclosure: the holder chose which claims to show."
	}
	r.add(CheckProof, Passed, "", msg)
	return verified
}

// selective reports an ecdsa-sd-2023 derived proof among results: the
// reader should know the credential may show less than the issuer signed.
func selective(results []proof.Result) bool {
	for _, res := range results {
		if res.Proof["cryptosuite"] == proof.SuiteECDSASD2023 {
			return true
		}
	}
	return false
}

// replaceContexts turns the contexts check into a failure when JSON-LD
// processing refused the document: that is where the fault lies, and the
// person reading the report should see it there.
func replaceContexts(r *Report, err error) {
	c := r.Check(CheckContexts)
	if c == nil {
		return
	}
	c.Outcome = Failed
	c.Code = proofCode(err)
	c.Message = "JSON-LD processing refused the credential: " + oneLine(err) + "."
}

func proofCode(err error) string {
	codes := []struct {
		err  error
		code string
	}{
		{ErrTooManyFetches, codeTooManyFetches},
		{proof.ErrNoProof, "proof.missing"},
		{proof.ErrMalformed, "proof.malformed"},
		{proof.ErrUnsupported, "proof.unsupported"},
		{proof.ErrPurpose, "proof.purpose"},
		{proof.ErrKey, "proof.key_not_found"},
		{proof.ErrSignature, "proof.signature"},
		{proof.ErrExpired, "proof.expired"},
		{canon.ErrUnsafe, "contexts.unsafe"},
		{canon.ErrContext, "contexts.unknown"},
		{canon.ErrLimit, "input.too_complex"},
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "proof.invalid"
}

func proofMessage(err error) string {
	if text, ok := fetchLimitText(err); ok {
		return "The signing key was not resolved. " + text
	}
	switch {
	case errors.Is(err, proof.ErrNoProof):
		return "The credential carries no proof, so nothing shows who issued it."
	case errors.Is(err, proof.ErrSignature):
		return "The signature does not match: the credential was changed after it was signed, or signed with another key."
	}
	return "A proof could not be verified: " + oneLine(err) + "."
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
