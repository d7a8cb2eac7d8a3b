package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/status"
)

// statusListCacheControl lets a CDN serve a list for a minute: a change
// reaches verifiers within that, and the list is re-signed at most once
// per change, not per fetch.
const statusListCacheControl = "public, max-age=60"

// statusList serves GET /status/{issuer}/{purpose}/{n}: the signed
// BitstringStatusListCredential (Bitstring Status List v1.0 §2.2) as
// application/vc+ld+json (VC-API.md §5), with the list version as its
// ETag.
func (s *Server) statusList(w http.ResponseWriter, r *http.Request) {
	if s.office == nil {
		s.writeError(w, r, fmt.Errorf("%w: %s", ErrNotFound, r.URL.Path))
		return
	}
	doc, version, err := s.office.StatusList(r.Context(), listName(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	etag := `"` + strconv.FormatUint(version, 10) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", statusListCacheControl)
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/vc+ld+json")
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	_, _ = w.Write(doc)
}

// matchesETag reads an If-None-Match list (RFC 9110 §13.1.2).
func matchesETag(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

func listName(r *http.Request) string {
	v := mux.Vars(r)
	return v["issuer"] + "/" + v["purpose"] + "/" + v["n"]
}

// publishStatusList serves POST <statusListCredential>/publish (VC-API.md
// §5): it signs the list anew and answers 204. Lists are re-signed on the
// first fetch after every change anyway; this lets a client force it.
func (s *Server) publishStatusList(w http.ResponseWriter, r *http.Request) {
	if s.office == nil {
		s.writeError(w, r, fmt.Errorf("%w: %s", ErrNotFound, r.URL.Path))
		return
	}
	principal, err := s.auth.Authorize(r, ScopeIssue)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	_, version, err := s.office.PublishStatusList(r.Context(), listName(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "status list published", "request_id", requestID(r),
		"principal", principal.ID, "list", listName(r), "version", version)
	w.WriteHeader(http.StatusNoContent)
}

// statusRequest is the body of POST /credentials/status (VC-API.md §5).
type statusRequest struct {
	CredentialID     string          `json:"credentialId"`
	CredentialStatus json.RawMessage `json:"credentialStatus"`
}

// statusChange is one entry of statusRequest.credentialStatus: the type,
// the purpose whose bit to change and, as a Laurel extension, status
// false to clear it (reinstating a suspended credential). Without status
// the bit is set.
type statusChange struct {
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	Status        *bool  `json:"status,omitempty"`
}

// statusResponse answers POST /credentials/status.
type statusResponse struct {
	CredentialID string                `json:"credentialId"`
	Status       issuer.Standing       `json:"status"`
	Entries      []issuer.StatusEntry  `json:"statusEntries"`
	History      []issuer.StatusChange `json:"statusHistory"`
}

// updateStatus serves POST /credentials/status (VC-API.md §5): it sets the
// bit of the given purpose for a credential issued through
// /credentials/issue with options.credentialStatus, and answers 200 once
// the change is committed. It needs the same authorization as issuing.
// Credentials of the badge office are revoked through /api/v1 instead.
func (s *Server) updateStatus(w http.ResponseWriter, r *http.Request) {
	if s.office == nil {
		s.writeError(w, r, fmt.Errorf("%w: this server keeps no status lists", ErrUnavailable))
		return
	}
	principal, err := s.auth.Authorize(r, ScopeIssue)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var in statusRequest
	if err := s.decodeJSON(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	changes, err := readStatusChanges(in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var rec *issuer.IssuedStatus
	for _, c := range changes {
		set := c.Status == nil || *c.Status
		if rec, err = s.office.SetIssuedStatus(r.Context(), principal.ID, in.CredentialID, c.StatusPurpose, set); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	s.writeJSON(w, r, http.StatusOK, statusResponse{CredentialID: rec.CredentialID, Status: rec.Standing,
		Entries: rec.Entries, History: nonNil(rec.History)})
}

// readStatusChanges reads credentialStatus: one object or a non-empty
// array of them, each of type BitstringStatusListEntry.
func readStatusChanges(in statusRequest) ([]statusChange, error) {
	if in.CredentialID == "" {
		return nil, fmt.Errorf("%w: credentialId is required", ErrMalformed)
	}

	var changes []statusChange
	raw := strings.TrimSpace(string(in.CredentialStatus))
	if !strings.HasPrefix(raw, "[") {
		raw = "[" + raw + "]"
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&changes); err != nil || len(changes) == 0 {
		return nil, fmt.Errorf("%w: credentialStatus must be an object or an array of objects "+
			"with type and statusPurpose", ErrMalformed)
	}

	for _, c := range changes {
		if c.Type != status.TypeEntry {
			return nil, fmt.Errorf("%w: credentialStatus type %q is not %s", ErrUnsupported, c.Type, status.TypeEntry)
		}
	}
	return changes, nil
}
