package httpapi

import (
	"strings"
	"time"

	"github.com/laurel-badges/laurel/verifier"
)

// checkTexts names each check and says what it checks, for people who do
// not read the specifications.
var checkTexts = map[string][2]string{
	verifier.CheckStructure: {"Structure",
		"whether the document has the parts every Verifiable Credential must have."},
	verifier.CheckContexts: {"Vocabulary",
		"whether every JSON-LD context the credential uses is a published copy Laurel holds."},
	verifier.CheckSchema: {"Open Badges format",
		"whether the credential matches the Open Badges 3.0 JSON Schema."},
	verifier.CheckProof: {"Signature",
		"whether the digital signature matches the content, so nothing was changed after signing."},
	verifier.CheckIssuer: {"Issuer",
		"whether the key that signed the badge belongs to the issuer the badge names."},
	verifier.CheckDates: {"Dates",
		"whether the badge has started to be valid and has not expired."},
	verifier.CheckStatus: {"Revocation",
		"whether the issuer's published status list marks the badge revoked or suspended."},
	verifier.CheckEndorsements: {"Endorsements",
		"whether the endorsements by others embedded in the badge are genuine."},
}

// outcomeTexts gives each outcome its words, its list class and its pill.
var outcomeTexts = map[verifier.Outcome][3]string{
	verifier.Passed:     {"Passed", "passed", "good"},
	verifier.Failed:     {"Failed", "failed", "bad"},
	verifier.Warning:    {"Warning", "warning", "warn"},
	verifier.NotChecked: {"Not checked", "not-checked", "plain"},
}

// viewReport turns a verifier report into the page's words.
func (s *Server) viewReport(rep *verifier.Report, source string) *reportView {
	view := &reportView{Source: source, Format: formatName(rep.Format),
		Baked: strings.ToUpper(rep.Baked), ID: rep.ID, IssuerName: rep.IssuerName,
		IssuerID: rep.Issuer, Trusted: rep.Trusted, TrustedAs: rep.TrustedAs}
	view.Verdict, view.Class, view.Summary = verdict(rep)

	achievement, earner, hashed := describeSubject(rep.Credential)
	own, known := s.ownBadge(rep)
	if hashed && known != "" {
		earner = known
	}
	view.Achievement, view.Earner, view.OwnBadge = achievement, earner, own

	view.Issued = reportTime(rep.Credential, "validFrom")
	view.Expires = reportTime(rep.Credential, "validUntil")
	view.Checks = checkLines(rep.Checks)
	return view
}

// checkLines puts each check in words: its name, what it looks at, its
// outcome and the verifier's message.
func checkLines(checks []verifier.Check) []checkLine {
	lines := make([]checkLine, 0, len(checks))
	for _, c := range checks {
		text, ok := checkTexts[c.Name]
		if !ok {
			text = [2]string{c.Name, ""}
		}
		o, ok := outcomeTexts[c.Outcome]
		if !ok {
			o = [3]string{string(c.Outcome), "", "plain"}
		}
		lines = append(lines, checkLine{Title: text[0], What: text[1],
			Label: o[0], Class: o[1], Pill: o[2], Message: c.Message})
	}
	return lines
}

// verdict sums a report up: only a failed check makes a badge invalid,
// and a warning is worth reading before relying on it.
func verdict(rep *verifier.Report) (string, string, string) {
	if !rep.Valid {
		return "Not valid", "bad", "At least one check failed: do not rely on this badge. " +
			"The failed checks below say why."
	}
	for _, c := range rep.Checks {
		if c.Outcome == verifier.Warning {
			return "Valid with warnings", "warn", "The badge is genuine and current, but " +
				"some checks raised warnings: read them below before relying on it."
		}
	}
	return "Valid", "good", "Every check passed: the badge is genuine, signed by the issuer " +
		"it names, and current."
}

func formatName(format string) string {
	if format == "vc-jwt" {
		return "a VC-JWT (a signed JSON Web Token)"
	}
	return "a JSON-LD credential with an embedded proof"
}

// ownBadge finds the credential in this office when the office issued it
// under the same issuer: the path of the badge's page, so an
// administrator can open it, and the earner's name as the office knows
// it, which the badge's page shows anyone too. Only a proven signature
// counts: a forgery naming one of the office's ids gets neither.
func (s *Server) ownBadge(rep *verifier.Report) (string, string) {
	proof := rep.Check(verifier.CheckProof)
	if proof == nil || proof.Outcome != verifier.Passed || !strings.HasPrefix(rep.ID, "urn:uuid:") {
		return "", ""
	}
	c, err := s.office.Credential(rep.ID)
	if err != nil {
		return "", ""
	}
	iss, err := s.office.Issuer(c.IssuerID)
	if err != nil || iss.DID != rep.Issuer {
		return "", ""
	}
	path := "/credentials/" + strings.TrimPrefix(c.ID, "urn:uuid:")
	if sum, err := s.office.Summary(c.ID); err == nil {
		return path, sum.EarnerName
	}
	return path, ""
}

// describeSubject names the achievement and the earner a credential is
// about, and says whether the earner is known only by a hashed email,
// which names no one to a reader without the address.
func describeSubject(doc map[string]any) (string, string, bool) {
	subj := firstSubject(doc)
	ach, _ := subj["achievement"].(map[string]any)
	achievement, _ := ach["name"].(string)
	if achievement == "" {
		achievement, _ = doc["name"].(string)
	}

	name, _ := subj["name"].(string)
	id, _ := subj["id"].(string)
	switch {
	case name != "":
		return achievement, name, false
	case id != "":
		return achievement, id, false
	case subj["identifier"] != nil:
		return achievement, "A person identified by a hashed email address", true
	}
	return achievement, "", false
}

// firstSubject is the credential's subject, or the first of several
// (VC Data Model 2.0 §4.8 allows a list).
func firstSubject(doc map[string]any) map[string]any {
	if list, ok := doc["credentialSubject"].([]any); ok && len(list) > 0 {
		subj, _ := list[0].(map[string]any)
		return subj
	}
	subj, _ := doc["credentialSubject"].(map[string]any)
	return subj
}

// reportTime reads a date of the credential, or nil.
func reportTime(doc map[string]any, key string) *time.Time {
	v, _ := doc[key].(string)
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil
	}
	return &t
}
