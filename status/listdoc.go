package status

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/internal/xsdtime"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// bitstringList is a retrieved and verified status list, or why it is not
// usable; Check keeps one per URL.
type bitstringList struct {
	bits     *List
	purposes []string
	err      error
}

// list returns the list at url, retrieving it on first use in this run.
func (run *checkRun) list(url string) (*bitstringList, error) {
	if l, ok := run.lists[url]; ok {
		return l, l.err
	}

	l := run.loadList(url)
	run.lists[url] = l
	return l, l.err
}

// loadList retrieves, checks and decodes one list credential. The cheap
// checks come first so a document that fails them costs no
// canonicalization.
func (run *checkRun) loadList(url string) *bitstringList {
	doc, err := run.fetchJSON(url)
	if err != nil {
		return &bitstringList{err: err}
	}

	encoded, purposes, err := listSubject(url, doc)
	if err != nil {
		return &bitstringList{err: err}
	}

	if err := run.checkListIssuer(url, doc); err != nil {
		return &bitstringList{err: err}
	}
	if err := run.checkListDates(url, doc); err != nil {
		return &bitstringList{err: err}
	}
	if err := run.verifyList(url, doc); err != nil {
		return &bitstringList{err: err}
	}

	bits, err := DecodeList(encoded, run.checker.maxList)
	if err != nil {
		return &bitstringList{err: explain(err, decodeReason(url, err))}
	}
	return &bitstringList{bits: bits, purposes: purposes}
}

// fetchJSON retrieves the document at url and reads it as a JSON object.
func (run *checkRun) fetchJSON(url string) (map[string]any, error) {
	c := run.checker
	if c.fetch == nil {
		return nil, failure(ErrFetch, url, "fetching: no source configured",
			"Laurel has no way to retrieve the status list at %s.")
	}

	data, err := c.fetch(run.ctx, url)
	if err != nil {
		return nil, explain(fmt.Errorf("fetching %s: %w: %w", clip(url), ErrFetch, err),
			fmt.Sprintf("The status list at %s could not be retrieved.", clip(url)))
	}
	if len(data) > c.maxDoc {
		detail := fmt.Sprintf("reading: %d bytes exceeds %d", len(data), c.maxDoc)
		return nil, failure(ErrListInvalid, url, detail,
			"The status list at %s is larger than Laurel accepts.")
	}

	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return nil, failure(ErrListInvalid, url, "reading: not a JSON object",
			"The status list at %s is not a JSON document.")
	}
	return doc, nil
}

// failure is an error about the document at url: detail names the step
// and what went wrong; reason is a sentence of Laurel's own words (never
// text from the document) with one %s for the URL.
func failure(sentinel error, url, detail, reason string) error {
	err := fmt.Errorf("%s: %s: %w", clip(url), detail, sentinel)
	return explain(err, fmt.Sprintf(reason, clip(url)))
}

// listSubject checks the types §2.2 requires and returns the encodedList
// and the statusPurpose values ("one or more strings").
func listSubject(url string, doc map[string]any) (string, []string, error) {
	notList := func(detail string) error {
		return failure(ErrListInvalid, url, "reading: "+detail,
			"The document at %s is not a valid BitstringStatusListCredential ("+detail+").")
	}

	if !hasType(doc["type"], TypeListCredential) {
		return "", nil, notList("type lacks " + TypeListCredential)
	}
	subject, ok := doc["credentialSubject"].(map[string]any)
	if !ok || !hasType(subject["type"], TypeList) {
		return "", nil, notList("credentialSubject is not a " + TypeList)
	}

	encoded, ok := subject["encodedList"].(string)
	if !ok {
		return "", nil, notList("no encodedList string")
	}
	purposes := stringsOf(subject["statusPurpose"])
	if len(purposes) == 0 {
		return "", nil, notList("no statusPurpose")
	}
	return encoded, purposes, nil
}

// checkListIssuer requires the list to come from the credential's own
// issuer. §2.2 allows another issuer to keep the list; Laurel does not
// follow that allowance, because it has no way to learn whom the
// credential's issuer delegated to, and a list from anyone else would let
// them decide the credential's fate.
func (run *checkRun) checkListIssuer(url string, doc map[string]any) error {
	if run.issuer == "" {
		return explain(fmt.Errorf("credential has no issuer id: %w", ErrIssuerMismatch),
			"The credential names no issuer, so no status list can speak for it.")
	}

	if listIssuer := idOf(doc["issuer"]); listIssuer != run.issuer {
		detail := fmt.Sprintf("comparing issuers: list %q, credential %q",
			clip(listIssuer), clip(run.issuer))
		return failure(ErrIssuerMismatch, url, detail,
			"The status list at %s was issued by someone other than the credential's issuer.")
	}
	return nil
}

// checkListDates applies the list's validity period (§2.2 validFrom and
// validUntil; VC Data Model 2.0 §4.9): an expired list may hide a later
// revocation.
func (run *checkRun) checkListDates(url string, doc map[string]any) error {
	now := run.checker.now()
	from, errFrom := dateOf(doc, "validFrom")
	until, errUntil := dateOf(doc, "validUntil")

	switch {
	case errFrom != nil || errUntil != nil:
		return failure(ErrListInvalid, url, "checking dates: unreadable",
			"The status list at %s has a validity date Laurel cannot read.")
	case !from.IsZero() && now.Before(from):
		return failure(ErrListInvalid, url, "checking dates: not yet valid",
			"The status list at %s is not valid until "+from.UTC().Format(time.RFC3339)+".")
	case !until.IsZero() && now.After(until):
		return failure(ErrListInvalid, url, "checking dates: expired",
			"The status list at %s expired on "+until.UTC().Format(time.RFC3339)+".")
	}
	return nil
}

func dateOf(doc map[string]any, key string) (time.Time, error) {
	v, has := doc[key]
	if !has {
		return time.Time{}, nil
	}
	return xsdtime.ParseStamp(stringOf(v))
}

// verifyList requires every proof to verify (§3.2 step 4) with a key the
// list's issuer controls: a valid signature by a stranger's key proves
// nothing about the issuer's intent.
func (run *checkRun) verifyList(url string, doc map[string]any) error {
	c := run.checker
	results, err := c.engine.Verify(run.ctx, doc, c.resolver, proof.Expect{Suites: c.suites})
	if err != nil {
		return explain(fmt.Errorf("verifying %s: %w: %w", clip(url), ErrListInvalid, err),
			fmt.Sprintf("The status list at %s carries no proof Laurel can check.", clip(url)))
	}

	issuer := idOf(doc["issuer"])
	for _, res := range results {
		if res.Err != nil {
			return explain(fmt.Errorf("verifying %s: %w: %w", clip(url), ErrListInvalid, res.Err),
				proofReason(url, res.Err))
		}
		if owner := controllerOf(res.Method); owner != issuer {
			detail := fmt.Sprintf("verifying: key of %q signed for %q", clip(owner), clip(issuer))
			return failure(ErrListInvalid, url, detail,
				"The status list at %s is signed with a key that does not belong to its issuer.")
		}
	}
	return nil
}

// proofReason explains a status list proof that did not verify.
func proofReason(url string, err error) string {
	if errors.Is(err, proof.ErrPurposeNotAuthorized) {
		return fmt.Sprintf("The status list at %s is signed with a key its controller does not "+
			"list under assertionMethod, so the key may not issue it.", clip(url))
	}
	return fmt.Sprintf("The signature on the status list at %s does not verify.", clip(url))
}

// controllerOf names who controls a verification method: its controller,
// or, for a key read from a URL fragment (https://issuer.example/1#z6Mk...,
// a form the 1EdTech validator accepts), the URL before the fragment.
func controllerOf(m *keys.VerificationMethod) string {
	if m == nil {
		return ""
	}
	if m.Controller != "" {
		return m.Controller
	}
	owner, _, _ := strings.Cut(m.ID, "#")
	return owner
}

func decodeReason(url string, err error) string {
	var says string
	switch {
	case errors.Is(err, ErrListLength):
		says = fmt.Sprintf("has fewer than %d entries, too few to protect privacy", MinBits)
	case errors.Is(err, errTooLarge):
		says = "is larger than Laurel accepts"
	case errors.Is(err, errEncoding):
		says = "is not encoded as multibase base64url"
	default:
		says = "is not valid GZIP data; it may be damaged or cut short"
	}
	return fmt.Sprintf("The status list at %s %s.", clip(url), says)
}

// hasType reports whether a type value, a string or an array of strings,
// includes want.
func hasType(v any, want string) bool {
	for _, t := range stringsOf(v) {
		if t == want {
			return true
		}
	}
	return false
}

// stringsOf reads a value that is a string or an array of strings; other
// members are skipped.
func stringsOf(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}

	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
