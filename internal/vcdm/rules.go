package vcdm

import (
	"errors"
	"fmt"
	"slices"
)

// The Check functions each apply one rule to a credential or presentation
// and return an error whose text names the property and what it must be,
// fit to show to whoever sent the document.

// CheckContext applies VC Data Model 2.0 §4.3 (1.1 §4.1): @context is a
// non-empty array that starts with a base context, and whose entries are
// URLs or objects.
//
// allow, when not nil, must accept every URL entry: the issue endpoint
// passes its pinned contexts and refuses the rest here, since it could not
// sign without loading them. The verifier passes nil and reports unpinned
// contexts as a check of their own, so its report names the context.
func CheckContext(doc map[string]any, allow func(url string) bool) error {
	ctx, ok := doc["@context"].([]any)
	if !ok || len(ctx) == 0 {
		return errors.New("@context must be a non-empty array")
	}
	if ctx[0] != ContextV2 && ctx[0] != ContextV1 {
		return fmt.Errorf("@context must start with %s or %s", ContextV2, ContextV1)
	}

	for i, c := range ctx {
		if err := checkContextEntry(i, c, allow); err != nil {
			return err
		}
	}
	return nil
}

func checkContextEntry(i int, c any, allow func(string) bool) error {
	switch v := c.(type) {
	case map[string]any:
		return nil
	case string:
		if allow != nil && !allow(v) {
			return fmt.Errorf("@context %q cannot be loaded: only pinned contexts are", v)
		}
		return nil
	}
	return fmt.Errorf("@context[%d] must be a URL or an object", i)
}

// CheckTypes applies VC Data Model 2.0 §4.5 (and §4.13 for presentations):
// type is a name or an array of names, one of them required
// (VerifiableCredential or VerifiablePresentation). This is what the
// verifier accepts; CheckTypeArray is the issue endpoint's stricter form.
func CheckTypes(doc map[string]any, required string) error {
	names := Strings(doc["type"])
	if len(names) == 0 || len(names) != len(AsList(doc["type"])) || slices.Contains(names, "") {
		return errors.New("type must be a list of names")
	}
	return requireType(names, required)
}

// CheckTypeArray applies VC Data Model 2.0 §4.5 as the VC API issue
// endpoint asks for it (VC-API.md §2): type is a non-empty array of
// non-empty names, one of them required. A credential Laurel signs gets the
// array form; a single string, which CheckTypes accepts, is refused.
func CheckTypeArray(doc map[string]any, required string) error {
	list, ok := doc["type"].([]any)
	if !ok || len(list) == 0 {
		return errors.New("type must be a non-empty array")
	}

	names := TypeNames(list)
	if len(names) == 0 {
		return errors.New("type must hold names only")
	}
	return requireType(names, required)
}

func requireType(names []string, required string) error {
	if !slices.Contains(names, required) {
		return fmt.Errorf("type must include %s", required)
	}
	return nil
}

// CheckOptionalURL requires obj[name], when present, to be a single URL
// (VC Data Model 2.0 §4.4). where prefixes the property in the error, as
// in "credentialSubject.".
func CheckOptionalURL(obj map[string]any, name, where string) error {
	v, has := obj[name]
	if !has {
		return nil
	}
	if s, ok := v.(string); !ok || !IsURL(s) {
		return fmt.Errorf("%s%s must be a single URL", where, name)
	}
	return nil
}

// CheckID applies VC Data Model 2.0 §4.4: id, when present, is a single
// URL.
func CheckID(doc map[string]any) error {
	return CheckOptionalURL(doc, "id", "")
}

// CheckIssuer applies VC Data Model 2.0 §4.7: issuer is a URL, or an object
// whose id is a URL.
func CheckIssuer(cred map[string]any) error {
	if !IsURL(IssuerID(cred)) {
		return errors.New("issuer must be a URL or an object whose id is a URL")
	}
	return nil
}

// CheckSubject applies VC Data Model 2.0 §4.8: credentialSubject is one or
// more objects, each stating something, each with an optional URL id.
func CheckSubject(cred map[string]any) error {
	var subjects []any
	switch v := cred["credentialSubject"].(type) {
	case map[string]any:
		subjects = []any{v}
	case []any:
		subjects = v
	}
	if len(subjects) == 0 {
		return errors.New("credentialSubject must be an object or a non-empty array of objects")
	}

	for _, s := range subjects {
		m, ok := s.(map[string]any)
		if !ok || len(m) == 0 {
			return errors.New("every credentialSubject must be a non-empty object")
		}
		if err := CheckOptionalURL(m, "id", "credentialSubject."); err != nil {
			return err
		}
	}
	return nil
}

// CheckTexts applies VC Data Model 2.0 §4.6: name and description, of the
// credential and of an issuer object, are texts (see IsText).
func CheckTexts(cred map[string]any) error {
	const want = "must be a string, a language value or an array of them"
	issuer, _ := cred["issuer"].(map[string]any)

	for _, prop := range []string{"name", "description"} {
		if v, has := cred[prop]; has && !IsText(v) {
			return fmt.Errorf("%s %s", prop, want)
		}
		if v, has := issuer[prop]; has && !IsText(v) {
			return fmt.Errorf("issuer.%s %s", prop, want)
		}
	}
	return nil
}
