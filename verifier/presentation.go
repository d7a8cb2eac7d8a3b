package verifier

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/schemas"
)

// Names of the checks only presentations have.
const (
	// CheckHolder says whether the key that signed the presentation belongs
	// to its holder.
	CheckHolder = "holder"
	// CheckCredentials sums up the credentials the presentation carries.
	CheckCredentials = "credentials"
)

// ErrEnvelope reports an EnvelopedVerifiableCredential that Laurel cannot
// open: a data: URL of a media type other than application/vc+jwt, or an
// envelope without one.
var ErrEnvelope = errors.New("unsupported credential envelope")

// maxPresented bounds the credentials one presentation may carry: each costs
// a canonicalization, so an unbounded list would let one request buy an
// unbounded amount of work.
const maxPresented = 16

// jwtDataURL is the data: URL prefix of an enveloped VC-JWT (VC-JOSE-COSE
// §3.1.1 names the media type; VC Data Model 2.0 §4.13.1 the envelope).
const jwtDataURL = "data:application/vc+jwt,"

// PresentationOptions state what the verifier expects of a presentation's
// proof. A relying party sets both: without a challenge of its own a
// presentation can be replayed, without a domain it can be relayed to
// another site (VC Data Integrity 1.0 §2.1, challenge and domain).
type PresentationOptions struct {
	// Challenge, when set, must equal the proof's challenge.
	Challenge string
	// Domain, when set, must be the proof's domain or one of its domains.
	Domain string
}

// PresentationReport answers "did this holder present these credentials,
// and are they genuine?".
type PresentationReport struct {
	// Valid is true only when no check failed, which includes every
	// embedded credential being valid.
	Valid bool `json:"valid"`
	// ID and Holder identify the presentation for the reader.
	ID     string `json:"id,omitempty"`
	Holder string `json:"holder,omitempty"`
	// Checks lists the presentation's own checks in order: structure,
	// contexts, proof, holder, credentials.
	Checks []Check `json:"checks"`
	// Credentials holds one report per embedded credential, in order. It
	// is empty when the presentation's proof did not verify, since a
	// forged presentation's credentials are not worth the work.
	Credentials []*Report `json:"credentials,omitempty"`
}

// Check returns the named check, or nil when the report has none.
func (p *PresentationReport) Check(name string) *Check {
	for i := range p.Checks {
		if p.Checks[i].Name == name {
			return &p.Checks[i]
		}
	}
	return nil
}

// VerifyPresentation checks a Verifiable Presentation secured with an
// embedded Data Integrity proof (VC Data Model 2.0 §4.13): its
// structure, a proof with proofPurpose authentication and the expected
// challenge and domain, that the signing key belongs to the holder when one
// is named, and every credential it carries.
//
// An unsigned presentation fails the proof check: a presentation is only
// worth verifying as proof of who presents, and an unsigned one proves
// nothing about that. Its credentials can be verified one by one instead.
//
// The presentation's own proof and each credential it carries have a
// fetch limit (Config.MaxFetches) of their own, as they would alone.
func (v *Verifier) VerifyPresentation(ctx context.Context, vp map[string]any,
	want PresentationOptions) *PresentationReport {
	ctx = v.withLedger(withoutLedger(ctx))
	// A Report collects the presentation's own checks so that the helpers
	// credentials use (add, replaceContexts, finish) serve both.
	r := &Report{Format: "json-ld"}
	out := &PresentationReport{Holder: vcdm.IDOf(vp["holder"])}
	out.ID, _ = vp["id"].(string)

	if v.checkPresentationStructure(r, vp) {
		methods := v.checkPresentationProof(ctx, r, vp, want)
		checkHolder(r, out.Holder, methods)
		if len(methods) > 0 {
			out.Credentials = v.checkPresented(ctx, r, vp)
		} else {
			r.add(CheckCredentials, NotChecked, "credentials.no_proof",
				"The credentials were not checked: the presentation's proof did not verify.")
		}
	}

	r.finish()
	out.Valid, out.Checks = r.Valid, r.Checks
	return out
}

// VerifyObject checks a credential given as a decoded JSON object in either
// form VC Data Model 2.0 allows: with embedded proofs, or as an
// EnvelopedVerifiableCredential holding a VC-JWT (§4.13.1). Presentations and
// the VC API carry credentials in both forms.
func (v *Verifier) VerifyObject(ctx context.Context, doc map[string]any) *Report {
	token, enveloped, err := EnvelopedJWT(doc)
	switch {
	case err != nil:
		r := &Report{Format: "vc-jwt"}
		r.add(CheckStructure, Failed, "structure.envelope",
			"The enveloped credential cannot be opened: "+oneLine(err)+".")
		r.finish()
		return r
	case enveloped:
		return v.VerifyJWT(ctx, token)
	}
	return v.VerifyCredential(ctx, doc)
}

// EnvelopedJWT returns the compact JWS inside an EnvelopedVerifiableCredential
// (VC Data Model 2.0 §4.13.1), whose id is a data: URL of media type
// application/vc+jwt (VC-JOSE-COSE §3.1.1). ok is false when doc is not an
// envelope at all; err wraps ErrEnvelope when it is one Laurel cannot open.
func EnvelopedJWT(doc map[string]any) (token string, ok bool, err error) {
	if !slices.Contains(vcdm.Strings(doc["type"]), "EnvelopedVerifiableCredential") {
		return "", false, nil
	}

	// EnvelopedVerifiableCredential is a VC 2.0 term, and the VC 2.0 context
	// resets the context inside a presentation's verifiableCredential, so
	// every envelope names the context itself, as a URL or a list.
	if ctx := vcdm.AsList(doc["@context"]); len(ctx) == 0 || ctx[0] != schemas.ContextVC2 {
		return "", true, fmt.Errorf("%w: @context must start with %s",
			ErrEnvelope, schemas.ContextVC2)
	}

	id, _ := doc["id"].(string)
	if len(id) < len(jwtDataURL) || !strings.EqualFold(id[:len(jwtDataURL)], jwtDataURL) {
		return "", true, fmt.Errorf("%w: id is not a data: URL of application/vc+jwt", ErrEnvelope)
	}

	token = id[len(jwtDataURL):]
	if token == "" {
		return "", true, fmt.Errorf("%w: the data: URL is empty", ErrEnvelope)
	}
	return token, true, nil
}

// checkPresentationStructure applies the data model rules for presentations
// (VC Data Model 2.0 §4.13) and records the structure and contexts checks.
func (v *Verifier) checkPresentationStructure(r *Report, vp map[string]any) bool {
	if err := checkPresentationShape(vp); err != nil {
		r.add(CheckStructure, Failed, "structure.invalid",
			"The presentation is not well formed: "+err.Error()+".")
		return false
	}
	r.add(CheckStructure, Passed, "",
		"The presentation has the properties a Verifiable Presentation requires.")

	if bad := unpinnedContexts(vp["@context"]); len(bad) > 0 {
		r.add(CheckContexts, Failed, "contexts.unknown",
			fmt.Sprintf("The context %s is not one Laurel holds a trusted copy of.", bad[0]))
		return false
	}
	r.add(CheckContexts, Passed, "",
		"Every JSON-LD context of the presentation is a pinned, published copy.")
	return true
}

func checkPresentationShape(vp map[string]any) error {
	steps := []func(map[string]any) error{
		checkContextShape, checkPresentationTypes, vcdm.CheckID, checkHolderShape,
		checkPresentedShape,
	}
	for _, step := range steps {
		if err := step(vp); err != nil {
			return err
		}
	}
	return nil
}

func checkPresentationTypes(vp map[string]any) error {
	return vcdm.CheckTypes(vp, "VerifiablePresentation")
}

// checkHolderShape accepts a holder given as a URL or as an object whose id
// is a URL (VC Data Model 2.0 §4.13, holder).
func checkHolderShape(vp map[string]any) error {
	if _, has := vp["holder"]; has && !vcdm.IsURL(vcdm.IDOf(vp["holder"])) {
		return errors.New("holder must be a URL or an object whose id is a URL")
	}
	return nil
}

// checkPresentedShape requires verifiableCredential to hold credential
// objects, at most maxPresented of them. A string is refused: it would be
// a URL to fetch or a token of unknown type, and VC 2.0 carries a VC-JWT in
// an EnvelopedVerifiableCredential instead.
func checkPresentedShape(vp map[string]any) error {
	items := vcdm.AsList(vp["verifiableCredential"])
	if len(items) > maxPresented {
		return fmt.Errorf("verifiableCredential holds more than %d credentials", maxPresented)
	}

	for _, item := range items {
		if _, ok := item.(map[string]any); !ok {
			return errors.New("verifiableCredential must hold credential objects")
		}
	}
	return nil
}

// checkPresentationProof verifies the presentation's proofs against want
// and returns the verification methods of the proofs that verified, or nil
// when any proof failed.
func (v *Verifier) checkPresentationProof(ctx context.Context, r *Report, vp map[string]any,
	want PresentationOptions) []methodResult {
	expect := proof.Expect{
		Purpose:   proof.PurposeAuthentication,
		Challenge: want.Challenge,
		Domain:    want.Domain,
		Suites:    v.suites,
	}
	results, err := v.engine.Verify(ctx, vp, v.resolver, expect)
	if err != nil {
		r.add(CheckProof, Failed, proofCode(err), presentationProofMessage(err))
		return nil
	}

	var verified []methodResult
	for _, res := range results {
		if res.Err != nil {
			if isJSONLDError(res.Err) {
				replaceContexts(r, res.Err)
			}
			r.add(CheckProof, Failed, proofCode(res.Err), presentationProofMessage(res.Err))
			return nil
		}
		verified = append(verified, methodOf(res.Method))
	}

	r.add(CheckProof, Passed, "",
		fmt.Sprintf("%s of the presentation verified.", plural(len(verified), "proof")))
	return verified
}

// isJSONLDError reports a failure of JSON-LD processing, whose fault lies
// in the contexts rather than the signature.
func isJSONLDError(err error) bool {
	return errors.Is(err, canon.ErrUnsafe) || errors.Is(err, canon.ErrContext) ||
		errors.Is(err, canon.ErrLimit)
}

func presentationProofMessage(err error) string {
	if text, ok := fetchLimitText(err); ok {
		return "The presentation's signing key was not resolved. " + text
	}
	if text, ok := purposeText(err, "this presentation"); ok {
		return text
	}
	switch {
	case errors.Is(err, proof.ErrNoProof):
		return "The presentation carries no proof, so nothing shows who presents it."
	case errors.Is(err, proof.ErrSignature):
		return "The signature does not match: the presentation was changed after it was signed, " +
			"or signed with another key."
	case errors.Is(err, proof.ErrPurpose):
		return "The proof was not made for this exchange: " + oneLine(err) + "."
	}
	return "The presentation's proof could not be verified: " + oneLine(err) + "."
}

// checkHolder requires a key controlled by the holder, when the
// presentation names one (VC Data Model 2.0 §4.13; the proof's
// authentication purpose binds the key, not the holder).
func checkHolder(r *Report, holder string, methods []methodResult) {
	if len(methods) == 0 {
		r.add(CheckHolder, NotChecked, "holder.no_proof",
			"Without a valid proof the holder cannot be confirmed.")
		return
	}
	if holder == "" {
		r.add(CheckHolder, NotChecked, "holder.none",
			"The presentation names no holder; its proof shows only which key signed it.")
		return
	}

	// A key document's word on its controller is a claim only the
	// controller's own document could confirm (ownDocument).
	unconfirmed := ""
	for _, m := range methods {
		switch {
		case m.controller == holder && ownDocument(m):
			r.add(CheckHolder, Passed, "",
				fmt.Sprintf("Signed with a key controlled by the holder %s.", holder))
			return
		case m.controller == "" || m.controller == holder:
			unconfirmed = m.id
		}
	}

	if unconfirmed != "" {
		r.add(CheckHolder, Warning, "holder.unconfirmed", fmt.Sprintf(
			"Laurel could not confirm that the holder %s controls the signing key %s.",
			holder, unconfirmed))
		return
	}
	r.add(CheckHolder, Failed, "holder.mismatch", fmt.Sprintf(
		"The presentation was signed by %s, not by its holder %s.", methods[0].controller, holder))
}

// checkPresented verifies every credential the presentation carries and
// records one check summing them up.
func (v *Verifier) checkPresented(ctx context.Context, r *Report, vp map[string]any) []*Report {
	items := vcdm.AsList(vp["verifiableCredential"])
	if len(items) == 0 {
		r.add(CheckCredentials, NotChecked, "credentials.none",
			"The presentation carries no credentials.")
		return nil
	}

	reports := make([]*Report, len(items))
	for i, item := range items {
		reports[i] = v.VerifyObject(withoutLedger(ctx), item.(map[string]any))
	}

	for i, rep := range reports {
		if !rep.Valid {
			r.add(CheckCredentials, Failed, "credentials.invalid", fmt.Sprintf(
				"Credential %d of %d is not valid: %s", i+1, len(reports), firstFailure(rep)))
			return reports
		}
	}
	r.add(CheckCredentials, Passed, "",
		fmt.Sprintf("%s verified.", plural(len(reports), "credential")))
	return reports
}

// firstFailure is the message of a report's first failed check.
func firstFailure(r *Report) string {
	for _, c := range r.Checks {
		if c.Outcome == Failed {
			return c.Message
		}
	}
	return "no check passed."
}
