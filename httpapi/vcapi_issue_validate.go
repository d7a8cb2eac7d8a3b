package httpapi

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/internal/xsdtime"
	"github.com/laurel-badges/laurel/schemas"
)

// validateIssueRequest applies the reject list of VC-API.md §2 to a decoded
// POST /credentials/issue body and returns the credential to sign.
//
// It checks what can be checked on the JSON alone. What needs JSON-LD
// processing (an undefined term or type, an invalid IRI, a redefined
// @protected term) is refused when the credential is canonicalized for
// signing, with canon.ErrUnsafe or canon.ErrContext, which answer 400 too.
//
// Errors wrap ErrMalformed for a body that is not an issue request,
// ErrUnsupported for an option Laurel cannot honour, and
// ErrInvalidCredential for a credential that breaks the data model.
func validateIssueRequest(body map[string]any) (map[string]any, error) {
	cred, ok := body["credential"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: the body must hold a credential object", ErrMalformed)
	}

	for name := range body {
		if name != "credential" && name != "options" {
			return nil, fmt.Errorf("%w: unknown member %q", ErrMalformed, name)
		}
	}

	if err := checkIssueOptions(body["options"]); err != nil {
		return nil, err
	}
	if err := validateCredential(cred); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidCredential, err)
	}
	return cred, nil
}

// checkIssueOptions refuses every option, since Laurel honours none yet.
// An issuer that ignored one would sign a credential other than the one
// asked for. options.credentialStatus gets its own message: status lists
// are the option clients will ask for first.
func checkIssueOptions(v any) error {
	if v == nil {
		return nil
	}
	opts, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: options must be an object", ErrMalformed)
	}

	for _, name := range slices.Sorted(maps.Keys(opts)) {
		switch {
		case opts[name] == nil:
			continue
		case name == "credentialStatus":
			return fmt.Errorf("%w: status lists are not supported yet, "+
				"so options.credentialStatus cannot be honoured", ErrUnsupported)
		default:
			return fmt.Errorf("%w: option %q is not supported", ErrUnsupported, name)
		}
	}
	return nil
}

// validateCredential applies the data model rules, in the order of VC Data
// Model 2.0 §4 and §5.
func validateCredential(cred map[string]any) error {
	rules := []func(map[string]any) error{
		ruleContext, ruleType, ruleID, ruleIssuer, ruleSubject, ruleTexts, ruleDates,
		ruleTypedEntries, ruleStatusEntries, ruleRelatedResource, ruleUnsigned,
	}

	for _, rule := range rules {
		if err := rule(cred); err != nil {
			return err
		}
	}
	return nil
}

// ruleContext: an ordered set starting with the base context, of URLs and
// objects (VC Data Model 2.0 §4.3, 1.1 §4.1). A URL must be pinned: Laurel
// never fetches a context.
func ruleContext(cred map[string]any) error {
	ctx, ok := cred["@context"].([]any)
	if !ok || len(ctx) == 0 {
		return errors.New("@context must be a non-empty array")
	}
	if ctx[0] != schemas.ContextVC2 && ctx[0] != schemas.ContextVC1 {
		return fmt.Errorf("@context must start with %s or %s",
			schemas.ContextVC2, schemas.ContextVC1)
	}

	pinned := schemas.ContextURLs()
	for i, c := range ctx {
		switch v := c.(type) {
		case map[string]any:
		case string:
			if !slices.Contains(pinned, v) {
				return fmt.Errorf("@context %q cannot be loaded: only pinned contexts are", v)
			}
		default:
			return fmt.Errorf("@context[%d] must be a URL or an object", i)
		}
	}
	return nil
}

// ruleType: one or more names, one of them VerifiableCredential (VC Data
// Model 2.0 §4.5). VC-API.md §2 asks for the array form.
func ruleType(cred map[string]any) error {
	types, ok := cred["type"].([]any)
	if !ok || len(types) == 0 {
		return errors.New("type must be a non-empty array")
	}

	for _, t := range types {
		if s, ok := t.(string); !ok || s == "" {
			return errors.New("type must hold names only")
		}
	}
	if !slices.Contains(types, any("VerifiableCredential")) {
		return errors.New("type must include VerifiableCredential")
	}
	return nil
}

// ruleID: when present, id is a single URL (VC Data Model 2.0 §4.4).
func ruleID(cred map[string]any) error {
	return optionalURL(cred, "id", "")
}

// ruleIssuer: a URL, or an object whose id is a URL (VC Data Model 2.0
// §4.7).
func ruleIssuer(cred map[string]any) error {
	switch v := cred["issuer"].(type) {
	case string:
		if isURL(v) {
			return nil
		}
	case map[string]any:
		if id, ok := v["id"].(string); ok && isURL(id) {
			return nil
		}
	}
	return errors.New("issuer must be a URL or an object whose id is a URL")
}

// ruleSubject: one or more subjects, each an object that states something,
// with an optional URL id (VC Data Model 2.0 §4.8).
func ruleSubject(cred map[string]any) error {
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
		if err := optionalURL(m, "id", "credentialSubject."); err != nil {
			return err
		}
	}
	return nil
}

// ruleTexts: name and description, of the credential and of an issuer
// object, are strings or language values (VC Data Model 2.0 §4.6).
func ruleTexts(cred map[string]any) error {
	const want = "must be a string, a language value or an array of them"
	issuer, _ := cred["issuer"].(map[string]any)

	for _, prop := range []string{"name", "description"} {
		if v, has := cred[prop]; has && !isText(v) {
			return fmt.Errorf("%s %s", prop, want)
		}
		if v, has := issuer[prop]; has && !isText(v) {
			return fmt.Errorf("issuer.%s %s", prop, want)
		}
	}
	return nil
}

// isText accepts a string, a language value object (@value, and optionally
// @language and @direction, all strings), or a non-empty array of those.
func isText(v any) bool {
	switch t := v.(type) {
	case string:
		return true
	case map[string]any:
		if _, ok := t["@value"].(string); !ok {
			return false
		}
		for k, val := range t {
			_, isString := val.(string)
			if !isString || (k != "@value" && k != "@language" && k != "@direction") {
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

// ruleDates: validFrom and validUntil are dateTimeStamps, in order (VC Data
// Model 2.0 §4.9). A VC 1.1 credential needs issuanceDate and may have
// expirationDate, RFC 3339 date-times, which carry a time zone too (VC
// Data Model 1.1 §4.6 and §4.7).
func ruleDates(cred map[string]any) error {
	from, until := "validFrom", "validUntil"
	if ctx, _ := cred["@context"].([]any); len(ctx) > 0 && ctx[0] == schemas.ContextVC1 {
		from, until = "issuanceDate", "expirationDate"
		if _, has := cred[from]; !has {
			return errors.New("a VC 1.1 credential needs an issuanceDate")
		}
	}

	start, err := stampMember(cred, from)
	if err != nil {
		return err
	}
	end, err := stampMember(cred, until)
	if err != nil {
		return err
	}
	if !start.IsZero() && !end.IsZero() && start.After(end) {
		return fmt.Errorf("%s is later than %s", from, until)
	}
	return nil
}

// stampMember reads an optional dateTimeStamp; absent is the zero time.
func stampMember(obj map[string]any, name string) (time.Time, error) {
	v, has := obj[name]
	if !has {
		return time.Time{}, nil
	}

	s, _ := v.(string)
	t, err := xsdtime.ParseStamp(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s must be a date and time with a time zone", name)
	}
	return t, nil
}

// typedMembers name the properties whose entries must each have a type and
// at most a single URL id: credentialStatus (VC Data Model 2.0 §4.10),
// credentialSchema (§4.11, which also requires the id), refreshService
// (§5.4), termsOfUse (§5.5) and evidence (§5.6).
var typedMembers = []string{
	"credentialStatus", "credentialSchema", "refreshService", "termsOfUse", "evidence",
}

func ruleTypedEntries(cred map[string]any) error {
	for _, name := range typedMembers {
		entries, err := objectList(cred, name)
		if err != nil {
			return err
		}

		for _, e := range entries {
			if len(typeNames(e["type"])) == 0 {
				return fmt.Errorf("every %s entry must have a type", name)
			}
			if err := optionalURL(e, "id", name+"."); err != nil {
				return err
			}
			if _, has := e["id"]; name == "credentialSchema" && !has {
				return errors.New("every credentialSchema entry must have an id")
			}
		}
	}
	return nil
}

// ruleStatusEntries checks the members of a BitstringStatusListEntry
// (Bitstring Status List 1.0 §2.1): a purpose, an index written as a
// base-10 string, and the URL of the status list credential.
func ruleStatusEntries(cred map[string]any) error {
	entries, _ := objectList(cred, "credentialStatus")

	for _, e := range entries {
		if !slices.Contains(typeNames(e["type"]), "BitstringStatusListEntry") {
			continue
		}
		if s, ok := e["statusPurpose"].(string); !ok || s == "" {
			return errors.New("credentialStatus.statusPurpose must be a string")
		}
		if s, ok := e["statusListIndex"].(string); !ok || !decimal.MatchString(s) {
			return errors.New("credentialStatus.statusListIndex must be a base-10 string")
		}
		if s, ok := e["statusListCredential"].(string); !ok || !isURL(s) {
			return errors.New("credentialStatus.statusListCredential must be a URL")
		}
	}
	return nil
}

// decimal matches a base-10 integer without sign or leading zeros.
var decimal = regexp.MustCompile(`^(0|[1-9][0-9]{0,18})$`)

// ruleRelatedResource: one or more objects, each with a URL id of its own
// and at least one digest (VC Data Model 2.0 §5.3). Whether a digest
// matches its resource is not checked: that needs fetching the resource,
// which Laurel does not do while issuing.
func ruleRelatedResource(cred map[string]any) error {
	entries, err := objectList(cred, "relatedResource")
	if err != nil {
		return err
	}

	seen := map[string]bool{}
	for _, e := range entries {
		id, ok := e["id"].(string)
		if !ok || !isURL(id) {
			return errors.New("every relatedResource entry must have a URL id")
		}
		if seen[id] {
			return fmt.Errorf("relatedResource lists %s twice", id)
		}
		seen[id] = true

		if err := checkDigests(e); err != nil {
			return err
		}
	}
	return nil
}

// Digest forms: a Subresource Integrity hash expression (SRI §3.5) and a
// multibase value in base64url or base58btc.
var (
	sriDigest       = regexp.MustCompile(`^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$`)
	multibaseDigest = regexp.MustCompile(`^(u[A-Za-z0-9_-]+|z[1-9A-HJ-NP-Za-km-z]+)$`)
)

func checkDigests(entry map[string]any) error {
	sri, hasSRI := entry["digestSRI"]
	mb, hasMB := entry["digestMultibase"]

	switch {
	case !hasSRI && !hasMB:
		return errors.New("every relatedResource entry needs digestSRI or digestMultibase")
	case hasSRI && !allMatch(sri, sriDigest):
		return errors.New("relatedResource.digestSRI must be Subresource Integrity hashes")
	case hasMB && !allMatch(mb, multibaseDigest):
		return errors.New("relatedResource.digestMultibase must be multibase values")
	}
	return nil
}

// allMatch accepts a string, or a non-empty array of strings, matching re.
func allMatch(v any, re *regexp.Regexp) bool {
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}

	for _, item := range items {
		if s, ok := item.(string); !ok || !re.MatchString(s) {
			return false
		}
	}
	return len(items) > 0
}

// ruleUnsigned refuses a credential that already carries a proof: Laurel
// would add its own beside a proof it has not checked.
func ruleUnsigned(cred map[string]any) error {
	if _, has := cred["proof"]; has {
		return errors.New("the credential already has a proof; send it unsigned")
	}
	return nil
}

// objectList returns the entries of an optional member that holds an
// object or a non-empty array of objects.
func objectList(obj map[string]any, name string) ([]map[string]any, error) {
	v, has := obj[name]
	if !has {
		return nil, nil
	}

	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}

	out := make([]map[string]any, 0, len(items))
	for _, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s must be an object or an array of objects", name)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s must not be empty", name)
	}
	return out, nil
}

// typeNames returns the names of a type value: a non-empty string, or an
// array of them. Anything else gives none.
func typeNames(v any) []string {
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}

	names := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil
		}
		names = append(names, s)
	}
	return names
}

// optionalURL requires obj[name], when present, to be a single URL.
func optionalURL(obj map[string]any, name, where string) error {
	v, has := obj[name]
	if !has {
		return nil
	}
	if s, ok := v.(string); !ok || !isURL(s) {
		return fmt.Errorf("%s%s must be a single URL", where, name)
	}
	return nil
}

// scheme matches an absolute URI's scheme (RFC 3986 §3.1).
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// isURL accepts absolute URIs of any scheme (https, did, urn, ...), as VC
// Data Model 2.0 §4.4 does for identifiers.
func isURL(s string) bool {
	if s == "" || len(s) > 4096 || strings.ContainsAny(s, " \t\n<>\"{}|\\^`") {
		return false
	}
	if !scheme.MatchString(s) {
		return false
	}
	_, err := url.Parse(s)
	return err == nil
}
