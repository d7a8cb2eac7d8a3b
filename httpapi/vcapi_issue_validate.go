package httpapi

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/internal/xsdtime"
	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/status"
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

// checkIssueOptions refuses every option but credentialStatus: an issuer
// that ignored one would sign a credential other than the one asked for.
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
			if _, err := statusPurposes(opts[name]); err != nil {
				return err
			}
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
		ruleContext, ruleType, vcdm.CheckID, vcdm.CheckIssuer, vcdm.CheckSubject, vcdm.CheckTexts,
		ruleDates, ruleTypedEntries, ruleStatusEntries, ruleRelatedResource, ruleUnsigned,
	}

	for _, rule := range rules {
		if err := rule(cred); err != nil {
			return err
		}
	}
	return nil
}

// ruleContext applies VC Data Model 2.0 §4.3 (1.1 §4.1) and refuses a
// context URL that is not pinned: Laurel never fetches a context, so it
// could not sign the credential. The verifier reports an unpinned context as
// a check of its own instead.
func ruleContext(cred map[string]any) error {
	return vcdm.CheckContext(cred, isPinned)
}

func isPinned(url string) bool {
	return slices.Contains(schemas.ContextURLs(), url)
}

// ruleType asks for the array form of type (VC-API.md §2), where the data
// model and the verifier also accept a single name (VC Data Model 2.0 §4.5).
func ruleType(cred map[string]any) error {
	return vcdm.CheckTypeArray(cred, "VerifiableCredential")
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
			if len(vcdm.TypeNames(e["type"])) == 0 {
				return fmt.Errorf("every %s entry must have a type", name)
			}
			if err := vcdm.CheckOptionalURL(e, "id", name+"."); err != nil {
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
		if !slices.Contains(vcdm.TypeNames(e["type"]), "BitstringStatusListEntry") {
			continue
		}
		if s, ok := e["statusPurpose"].(string); !ok || s == "" {
			return errors.New("credentialStatus.statusPurpose must be a string")
		}
		if s, ok := e["statusListIndex"].(string); !ok || !decimal.MatchString(s) {
			return errors.New("credentialStatus.statusListIndex must be a base-10 string")
		}
		if s, ok := e["statusListCredential"].(string); !ok || !vcdm.IsURL(s) {
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
		if !ok || !vcdm.IsURL(id) {
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

// requestedStatus returns the purposes options.credentialStatus asks
// entries for, in order; none when the option is absent. The body has
// passed validateIssueRequest.
func requestedStatus(body map[string]any) []string {
	opts, _ := body["options"].(map[string]any)
	purposes, _ := statusPurposes(opts["credentialStatus"])
	return purposes
}

// statusPurposes reads options.credentialStatus (VC-API.md §2): one object
// or an array of them, each {"type": "BitstringStatusListEntry",
// "statusPurpose": "revocation" or "suspension"}, the purpose revocation
// when absent. Bitstring Status List v1.0 §2.1 defines other purposes and
// members (statusSize, statusMessage) that Laurel does not issue.
func statusPurposes(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%w: options.credentialStatus must not be empty", ErrMalformed)
	}

	var purposes []string
	for _, item := range items {
		p, err := statusPurpose(item)
		if err != nil {
			return nil, err
		}
		if slices.Contains(purposes, p) {
			return nil, fmt.Errorf("%w: options.credentialStatus asks for %s twice", ErrMalformed, p)
		}
		purposes = append(purposes, p)
	}
	return purposes, nil
}

func statusPurpose(item any) (string, error) {
	m, ok := item.(map[string]any)
	if !ok {
		return "", fmt.Errorf("%w: options.credentialStatus entries must be objects", ErrMalformed)
	}
	for name := range m {
		if name != "type" && name != "statusPurpose" {
			return "", fmt.Errorf("%w: options.credentialStatus.%s is not supported", ErrUnsupported, name)
		}
	}
	if m["type"] != status.TypeEntry {
		return "", fmt.Errorf("%w: options.credentialStatus type must be %s", ErrUnsupported, status.TypeEntry)
	}

	purpose, has := m["statusPurpose"]
	if !has {
		return status.PurposeRevocation, nil
	}
	if purpose != status.PurposeRevocation && purpose != status.PurposeSuspension {
		return "", fmt.Errorf("%w: statusPurpose must be revocation or suspension", ErrUnsupported)
	}
	return purpose.(string), nil
}
