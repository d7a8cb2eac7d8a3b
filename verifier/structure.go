package verifier

import (
	"fmt"
	"strings"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/schemas"
)

// checkStructure applies the data model rules that hold before any
// cryptography (VC Data Model 2.0 §4, OB 3.0 §8), and records the
// structure and contexts checks. It returns false when the document is too
// broken for the later checks to mean anything.
func (v *Verifier) checkStructure(r *Report, doc map[string]any) bool {
	if err := checkShape(doc); err != nil {
		r.add(CheckStructure, Failed, "structure.invalid", "The credential is not well formed: "+err.Error()+".")
		return false
	}
	r.add(CheckStructure, Passed, "", "The credential has the properties a Verifiable Credential requires.")

	if bad := unpinnedContexts(doc["@context"]); len(bad) > 0 {
		r.add(CheckContexts, Failed, "contexts.unknown",
			fmt.Sprintf("The context %s is not one Laurel holds a trusted copy of.", bad[0]))
		return false
	}
	r.add(CheckContexts, Passed, "", "Every JSON-LD context is a pinned, published copy.")
	return true
}

// checkShape applies the data model rules of package vcdm, in the order
// of VC Data Model 2.0 §4.
func checkShape(doc map[string]any) error {
	steps := []func(map[string]any) error{
		checkContextShape, checkCredentialTypes, vcdm.CheckID, vcdm.CheckIssuer,
		vcdm.CheckSubject, vcdm.CheckTexts,
	}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return err
		}
	}
	return nil
}

// checkContextShape lets every context URL through: an unpinned one is
// reported by a check of its own (contexts.unknown), which names it.
func checkContextShape(doc map[string]any) error {
	return vcdm.CheckContext(doc, nil)
}

// checkCredentialTypes accepts type as a single name as well as an array,
// as VC Data Model 2.0 §4.5 does; only the issue endpoint insists on the
// array form.
func checkCredentialTypes(doc map[string]any) error {
	return vcdm.CheckTypes(doc, "VerifiableCredential")
}

// unpinnedContexts lists the context URLs Laurel has no pinned copy of.
func unpinnedContexts(v any) []string {
	var bad []string
	for _, c := range vcdm.AsList(v) {
		if s, ok := c.(string); ok && !schemas.IsContext(s) {
			bad = append(bad, s)
		}
	}
	return bad
}

// oneLine shortens an error for a report: the first line, at most 300
// characters.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
