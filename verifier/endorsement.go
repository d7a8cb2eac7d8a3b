package verifier

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/laurel-badges/laurel/internal/vcdm"
)

// maxEndorsements bounds the embedded endorsements verified with one
// credential: each costs a full verification.
const maxEndorsements = 8

// CheckEndorsements is the check of embedded endorsements.
const CheckEndorsements = "endorsements"

// checkEndorsements verifies the EndorsementCredentials embedded in the
// credential, its issuer, its achievement and the achievement's creator
// (OB 3.0 §B.1: endorsement, endorsementJwt). An endorsement says what a
// third party thinks of the badge; it does not make the badge itself
// valid or invalid, so a failed endorsement is a warning.
func (v *Verifier) checkEndorsements(ctx context.Context, r *Report, doc map[string]any) {
	found := endorsements(doc)
	if len(found) == 0 {
		return
	}
	if len(found) > maxEndorsements {
		r.add(CheckEndorsements, Warning, "endorsements.too_many",
			fmt.Sprintf("The credential embeds %d endorsements; Laurel checks at most %d, so none was checked.",
				len(found), maxEndorsements))
		return
	}

	var bad []string
	code := "endorsements.invalid"
	for _, e := range found {
		valid, limited := v.endorsementValid(ctx, e)
		if !valid {
			bad = append(bad, endorsementLabel(e))
		}
		if limited {
			code = codeTooManyFetches
		}
	}
	if len(bad) > 0 {
		msg := fmt.Sprintf("%s of %d embedded endorsements could not be verified: %s.",
			plural(len(bad), "endorsement"), len(found), strings.Join(bad, ", "))
		if code == codeTooManyFetches {
			msg += " " + (&fetchLimitError{max: v.maxFetches}).sentence()
		}
		r.add(CheckEndorsements, Warning, code, msg)
		return
	}
	r.add(CheckEndorsements, Passed, "", fmt.Sprintf("%s verified.", plural(len(found), "embedded endorsement")))
}

// endorsementValid verifies one endorsement, which must itself be an
// EndorsementCredential and not carry further endorsements to check. It
// also tells whether the fetch limit stopped any of its checks.
func (v *Verifier) endorsementValid(ctx context.Context, e any) (valid, limited bool) {
	r := v.endorsementReport(ctx, e)
	if r == nil {
		return false, false
	}
	for _, c := range r.Checks {
		limited = limited || c.Code == codeTooManyFetches
	}
	return r.Valid && hasType(r.Credential, "EndorsementCredential"), limited
}

// endorsementReport checks an endorsement given as a VC-JWT or as an
// EndorsementCredential object, on the ledger of the credential that
// embeds it; it returns nil for anything else.
func (v *Verifier) endorsementReport(ctx context.Context, e any) *Report {
	switch t := e.(type) {
	case string:
		return v.VerifyJWT(ctx, t)
	case map[string]any:
		if !hasType(t, "EndorsementCredential") {
			return nil
		}
		r := &Report{Format: "json-ld", Credential: t}
		v.describe(r, t)
		if v.checkStructure(r, t) {
			methods := v.checkProofs(ctx, r, t)
			v.checkBinding(ctx, r, t, methods)
			v.checkDates(r, t)
		}
		r.finish()
		return r
	}
	return nil
}

// endorsements collects the endorsement and endorsementJwt values where
// OB 3.0 places them.
func endorsements(doc map[string]any) []any {
	holders := []any{doc, doc["issuer"]}
	for _, s := range vcdm.AsList(doc["credentialSubject"]) {
		if subject, ok := s.(map[string]any); ok {
			achievement, _ := subject["achievement"].(map[string]any)
			holders = append(holders, achievement)
			if achievement != nil {
				holders = append(holders, achievement["creator"])
			}
		}
	}

	var out []any
	for _, h := range holders {
		m, ok := h.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, vcdm.AsList(m["endorsement"])...)
		out = append(out, vcdm.AsList(m["endorsementJwt"])...)
	}
	return out
}

func hasType(doc map[string]any, typ string) bool {
	return slices.Contains(vcdm.Strings(doc["type"]), typ)
}

func endorsementLabel(e any) string {
	if m, ok := e.(map[string]any); ok {
		if id, ok := m["id"].(string); ok {
			return id
		}
	}
	return "an endorsement without an id"
}
