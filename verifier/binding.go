package verifier

import (
	"context"
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/internal/vcdm"
)

// checkBinding requires the key that signed to belong to the issuer (OB 3.0
// §8.3.4; VC Data Model 2.0 §4.7): otherwise anyone could sign a badge in a
// district's name with their own key.
func (v *Verifier) checkBinding(_ context.Context, r *Report, doc map[string]any,
	methods []methodResult) {
	if len(methods) == 0 {
		r.add(CheckIssuer, NotChecked, "issuer.no_proof",
			"Without a valid proof the issuer cannot be confirmed.")
		return
	}

	issuer := vcdm.IssuerID(doc)
	worst := Check{Outcome: Failed}
	for _, m := range methods {
		c := bindOne(issuer, m)
		if c.Outcome == Passed {
			r.add(CheckIssuer, Passed, "", c.Message)
			return
		}
		if c.Outcome == Warning {
			worst = c
		} else if worst.Message == "" {
			worst = c
		}
	}
	r.add(CheckIssuer, worst.Outcome, worst.Code, worst.Message)
}

func bindOne(issuer string, m methodResult) Check {
	switch {
	case m.controller == issuer:
		return Check{Outcome: Passed, Message: fmt.Sprintf("Signed with a key controlled by the issuer %s.", issuer)}
	case m.controller == "":
		return Check{Outcome: Warning, Code: "issuer.unconfirmed", Message: fmt.Sprintf(
			"The signing key is written into %s itself; Laurel could not confirm that %s publishes it.", m.id, issuer)}
	case strings.HasPrefix(issuer, "did:"):
		return Check{Outcome: Failed, Code: "issuer.mismatch", Message: fmt.Sprintf(
			"The signing key belongs to %s, not to the issuer %s.", m.controller, issuer)}
	}
	return Check{Outcome: Warning, Code: "issuer.unconfirmed", Message: fmt.Sprintf(
		"The issuer %s is not a DID; Laurel could not confirm that the key of %s belongs to it.", issuer, m.controller)}
}
