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
		{proof.ErrPurposeNotAuthorized, codePurposeNotAuthorized},
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
	if text, ok := purposeText(err, "this credential"); ok {
		return text
	}
	switch {
	case errors.Is(err, proof.ErrNoProof):
		return "The credential carries no proof, so nothing shows who issued it."
	case errors.Is(err, proof.ErrSignature):
		return "The signature does not match: the credential was changed after it was signed, or signed with another key."
	}
	return "A proof could not be verified: " + oneLine(err) + "."
}

// codePurposeNotAuthorized: the signing key's controller does not list it
// under the verification relationship the proof's purpose names.
const codePurposeNotAuthorized = "proof.purpose_not_authorized"

// relationshipMeaning says, for the reader, what the keys of each
// verification relationship may do (Controlled Identifiers 1.0 §2.3).
var relationshipMeaning = map[string]string{
	proof.PurposeAssertionMethod: "the keys it issues credentials with",
	proof.PurposeAuthentication:  "the keys that prove who it is",
}

// purposeText explains a proof refused because its controller does not
// authorize the key for the proof's purpose; what names the signed
// document. ok is false for any other error.
func purposeText(err error, what string) (string, bool) {
	var pe *proof.PurposeError
	if !errors.As(err, &pe) {
		return "", false
	}

	text := fmt.Sprintf("The key %s signed %s, but its controller's document does not list it "+
		"under %s", pe.Method, what, pe.Purpose)
	if meaning, ok := relationshipMeaning[pe.Purpose]; ok {
		text += ", " + meaning
	}
	return text + ": the controller has not authorized that key for this proof.", true
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
