package verifier

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

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

func checkShape(doc map[string]any) error {
	steps := []func(map[string]any) error{
		checkContextShape, checkTypes, checkID, checkIssuer, checkSubject, checkTexts,
	}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return err
		}
	}
	return nil
}

func checkContextShape(doc map[string]any) error {
	ctx, ok := doc["@context"].([]any)
	if !ok || len(ctx) == 0 {
		return errors.New("@context must be a list of contexts")
	}
	if ctx[0] != schemas.ContextVC2 && ctx[0] != schemas.ContextVC1 {
		return errors.New("@context must start with the Verifiable Credentials context")
	}
	for _, c := range ctx {
		switch c.(type) {
		case string, map[string]any:
		default:
			return errors.New("@context entries must be URLs or objects")
		}
	}
	return nil
}

func checkTypes(doc map[string]any) error {
	types := stringList(doc["type"])
	if len(types) == 0 || len(types) != len(asList(doc["type"])) {
		return errors.New("type must be a list of names")
	}
	if !slices.Contains(types, "VerifiableCredential") {
		return errors.New("type must include VerifiableCredential")
	}
	return nil
}

func checkID(doc map[string]any) error {
	id, has := doc["id"]
	if !has {
		return nil
	}
	if s, ok := id.(string); !ok || !isURL(s) {
		return errors.New("id must be a URL")
	}
	return nil
}

func checkIssuer(doc map[string]any) error {
	if !isURL(issuerID(doc)) {
		return errors.New("issuer must be a URL or an object whose id is a URL")
	}
	return nil
}

func checkSubject(doc map[string]any) error {
	subjects := asList(doc["credentialSubject"])
	if len(subjects) == 0 {
		return errors.New("credentialSubject is missing")
	}
	for _, s := range subjects {
		m, ok := s.(map[string]any)
		if !ok || len(m) == 0 {
			return errors.New("credentialSubject must be a non-empty object")
		}
		if id, has := m["id"]; has {
			if s, ok := id.(string); !ok || !isURL(s) {
				return errors.New("credentialSubject id must be a URL")
			}
		}
	}
	return nil
}

// checkTexts applies VC Data Model 2.0 §4.6: name and description are
// strings or language value objects.
func checkTexts(doc map[string]any) error {
	holders := []map[string]any{doc}
	if m, ok := doc["issuer"].(map[string]any); ok {
		holders = append(holders, m)
	}
	for _, h := range holders {
		for _, prop := range []string{"name", "description"} {
			if v, has := h[prop]; has && !isText(v) {
				return fmt.Errorf("%s must be a string or a language value", prop)
			}
		}
	}
	return nil
}

func isText(v any) bool {
	switch t := v.(type) {
	case string:
		return true
	case map[string]any:
		if _, ok := t["@value"].(string); !ok {
			return false
		}
		for k, val := range t {
			if _, isString := val.(string); !isString ||
				(k != "@value" && k != "@language" && k != "@direction") {
				return false
			}
		}
		return true
	case []any:
		for _, item := range t {
			if _, isList := item.([]any); isList || !isText(item) {
				return false
			}
		}
		return len(t) > 0
	}
	return false
}

// unpinnedContexts lists the context URLs Laurel has no pinned copy of.
func unpinnedContexts(v any) []string {
	var bad []string
	for _, c := range asList(v) {
		if s, ok := c.(string); ok {
			if _, err := schemas.Context(s); err != nil {
				bad = append(bad, s)
			}
		}
	}
	return bad
}

// scheme matches an absolute URI's scheme (RFC 3986 §3.1).
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// isURL accepts absolute URIs of any scheme (https, did, urn, ...), as
// VC Data Model 2.0 §4.4 does for identifiers.
func isURL(s string) bool {
	if s == "" || len(s) > 4096 || strings.ContainsAny(s, " \t\n<>\"{}|\\^`") || !scheme.MatchString(s) {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}

// issuerID returns the issuer's id whether issuer is a string or a Profile.
func issuerID(doc map[string]any) string {
	switch v := doc["issuer"].(type) {
	case string:
		return v
	case map[string]any:
		id, _ := v["id"].(string)
		return id
	}
	return ""
}

func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	}
	return []any{v}
}

func stringList(v any) []string {
	var out []string
	for _, item := range asList(v) {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
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
