package status

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/laurel-badges/laurel/schemas"
)

// Status purposes Laurel issues and checks (§2.1 statusPurpose). The
// message purpose needs statusSize greater than 1 and is not supported.
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
)

// Type names of the Bitstring Status List data model (§2.1, §2.2) and of
// the older Open Badges 3.0 §9 revocation list.
const (
	TypeEntry            = "BitstringStatusListEntry"
	TypeListCredential   = "BitstringStatusListCredential"
	TypeList             = "BitstringStatusList"
	Type1EdTechRevocList = "1EdTechRevocationList"
)

// Credential returns the unsigned BitstringStatusListCredential (§2.2) that
// publishes list at listURL: a VC 2.0 credential whose subject,
// listURL+"#list", carries the purpose and the encoded list. The issuer is
// written as a plain string, the form every verifier reads. A zero
// validFrom leaves the property out. The caller signs the result, with
// issuer.Signer for example; this package does not import issuer, which
// sits above it.
func Credential(listURL, issuerID, purpose string, list *List,
	validFrom time.Time) (map[string]any, error) {
	if err := checkListArgs(listURL, issuerID, purpose, list); err != nil {
		return nil, err
	}

	encoded, err := list.Encode()
	if err != nil {
		return nil, fmt.Errorf("building status list credential: %w", err)
	}

	cred := map[string]any{
		"@context": []any{schemas.ContextVC2},
		"id":       listURL,
		"type":     []any{"VerifiableCredential", TypeListCredential},
		"issuer":   issuerID,
		"credentialSubject": map[string]any{
			"id":            listURL + "#list",
			"type":          TypeList,
			"statusPurpose": purpose,
			"encodedList":   encoded,
		},
	}
	if !validFrom.IsZero() {
		cred["validFrom"] = validFrom.UTC().Format(time.RFC3339)
	}
	return cred, nil
}

func checkListArgs(listURL, issuerID, purpose string, list *List) error {
	if !isAbsoluteURL(listURL) {
		return fmt.Errorf("building status list credential: list URL %q is not absolute", listURL)
	}
	if issuerID == "" {
		return errors.New("building status list credential: no issuer")
	}
	if !supportedPurpose(purpose) {
		return fmt.Errorf("building status list credential: purpose %q: %w",
			purpose, ErrUnsupported)
	}
	if list == nil {
		return errors.New("building status list credential: no list")
	}
	return nil
}

// Entry returns the BitstringStatusListEntry (§2.1) a credential carries
// to point at bit index of the list published at listURL. The index is
// written as a base-10 string, as §2.1 requires, and the entry id is
// listURL+"#"+index, which differs from the list URL as §2.1 asks.
func Entry(listURL, purpose string, index int) map[string]any {
	i := strconv.Itoa(index)
	return map[string]any{
		"id":                   listURL + "#" + i,
		"type":                 TypeEntry,
		"statusPurpose":        purpose,
		"statusListIndex":      i,
		"statusListCredential": listURL,
	}
}

func supportedPurpose(p string) bool {
	return p == PurposeRevocation || p == PurposeSuspension
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && (u.Host != "" || u.Opaque != "")
}
