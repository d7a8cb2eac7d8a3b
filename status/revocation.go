package status

import (
	"errors"
	"fmt"
)

// revocationList is a retrieved 1EdTech revocation list: the ids it
// revokes, or why it is not usable.
type revocationList struct {
	revoked map[string]bool
	err     error
}

// revocationEntry checks a 1EdTechRevocationList entry, the status method
// of Open Badges 3.0 §9 before Bitstring Status List replaced it. The
// entry's id is the URL of a JSON document of this shape:
//
//	{"issuer": "...", "revokedCredentials": [{"id": "<credential id>", "revoked": true}]}
//
// A credential is revoked when its id is listed and "revoked" is true or
// absent, as the OB 3.0 verification steps and the 1EdTech validator read
// it. Laurel requires revokedCredentials to be present (an empty array
// when nothing is revoked), accepts plain id strings among its items, and
// when the document names an issuer requires it to be the credential's.
// The method defines no proof on the document, so it is only as
// trustworthy as the channel Fetch uses; a caller should fetch it over
// HTTPS from the issuer's own host.
func (run *checkRun) revocationEntry(entry map[string]any) Result {
	r := Result{Entry: entry, Index: -1, Purpose: PurposeRevocation, ListURL: stringOf(entry["id"])}
	if !isAbsoluteURL(r.ListURL) {
		return r.fail(malformed("1EdTechRevocationList id is not an absolute URL",
			"The revocation list entry does not give the address of its list (id)."))
	}
	if run.credID == "" {
		return r.fail(malformed("credential has no id",
			"The credential has no id, so a revocation list cannot name it."))
	}

	list := run.revocations[r.ListURL]
	if list == nil {
		list = run.loadRevocations(r.ListURL)
		run.revocations[r.ListURL] = list
	}
	if list.err != nil {
		return r.fail(list.err)
	}

	where := "its revocation list at " + clip(r.ListURL)
	if list.revoked[run.credID] {
		r.Status = Revoked
		r.Reason = "The issuer has revoked this credential (" + where + " names it)."
		return r
	}
	r.Status = Active
	r.Reason = "The issuer has not revoked this credential (" + where + " does not name it)."
	return r
}

// loadRevocations retrieves and reads one revocation list.
func (run *checkRun) loadRevocations(url string) *revocationList {
	doc, err := run.fetchJSON(url)
	if err != nil {
		return &revocationList{err: err}
	}

	if issuer, has := doc["issuer"]; has && idOf(issuer) != run.issuer {
		detail := fmt.Sprintf("comparing issuers: list %q, credential %q",
			clip(idOf(issuer)), clip(run.issuer))
		return &revocationList{err: failure(ErrIssuerMismatch, url, detail,
			"The revocation list at %s was published by another issuer than the credential's.")}
	}

	revoked, err := revokedIDs(doc["revokedCredentials"])
	if err != nil {
		return &revocationList{err: failure(ErrListInvalid, url, "reading: "+err.Error(),
			"The revocation list at %s is not in the form Open Badges 3.0 describes.")}
	}
	return &revocationList{revoked: revoked}
}

// revokedIDs reads revokedCredentials into the set of revoked ids.
func revokedIDs(v any) (map[string]bool, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, errors.New("revokedCredentials is not an array")
	}

	revoked := make(map[string]bool, len(items))
	for _, item := range items {
		id, isRevoked, err := revokedItem(item)
		if err != nil {
			return nil, err
		}
		if isRevoked {
			revoked[id] = true
		}
	}
	return revoked, nil
}

// revokedItem reads one item: an id string, or an object with an id and
// an optional boolean "revoked".
func revokedItem(item any) (string, bool, error) {
	if id, ok := item.(string); ok {
		return id, true, nil
	}

	obj, ok := item.(map[string]any)
	id := stringOf(obj["id"])
	if !ok || id == "" {
		return "", false, errors.New("revokedCredentials item has no id")
	}

	switch flag := obj["revoked"].(type) {
	case nil:
		return id, true, nil
	case bool:
		return id, flag, nil
	}
	return "", false, fmt.Errorf("revokedCredentials item %q has a non-boolean revoked", clip(id))
}
