package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/issuer"
)

// issueResponse is the body of a successful POST /credentials/issue.
type issueResponse struct {
	VerifiableCredential json.RawMessage `json:"verifiableCredential"`
}

// issueCredential serves POST /credentials/issue (VC-API.md §2): it signs
// a well-formed credential naming this server's issuer with a Data
// Integrity proof (eddsa-rdfc-2022 for an Ed25519 key) and answers 201.
//
// The client is authorized before the body is read: a client without
// access gets 401 or 403 whatever it sent, an authorized one gets 400 or
// 422 for bad input, never 401.
func (s *Server) issueCredential(w http.ResponseWriter, r *http.Request) {
	signer, err := s.activeSigner()
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	principal, err := s.auth.Authorize(r, ScopeIssue)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var body map[string]any
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	cred, err := validateIssueRequest(body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	entries, err := s.addStatus(signer, cred, requestedStatus(body))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	signed, err := s.sign(signer, cred)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	id, _ := cred["id"].(string)
	if err := s.recordStatus(r, principal, id, entries); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.issued.Inc()

	s.log.InfoContext(r.Context(), "credential issued", "request_id", requestID(r),
		"principal", principal.ID, "credential_id", id)
	s.writeJSON(w, r, http.StatusCreated, issueResponse{VerifiableCredential: signed})
}

// sign secures cred as this server's issuer. The credential must name that
// issuer itself: the VC API gives the client the whole credential, and
// Laurel signs only in its own name (VC Data Model 2.0 §4.7).
func (s *Server) sign(signer *issuer.Signer, cred map[string]any) ([]byte, error) {
	if err := checkIssuedBy(signer, cred); err != nil {
		return nil, err
	}

	opts := issuer.SignOptions{Format: issuer.DataIntegrity, Created: s.now()}
	signed, err := signer.Sign(cred, opts)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return signed, nil
}

// activeSigner is the badge office's current signer, which follows key
// rotation, or the fixed Config.Signer of a server without an office.
func (s *Server) activeSigner() (*issuer.Signer, error) {
	if s.office != nil {
		return s.office.Signer(issuer.DefaultIssuerID)
	}
	if s.signer == nil {
		return nil, fmt.Errorf("%w: this server does not issue credentials", ErrUnavailable)
	}
	return s.signer, nil
}

func checkIssuedBy(signer *issuer.Signer, cred map[string]any) error {
	if got, want := vcdm.IssuerID(cred), signer.Issuer(); got != want {
		return fmt.Errorf("%w: the credential names %s, this server issues as %s",
			issuer.ErrIssuerMismatch, got, want)
	}
	return nil
}

// addStatus honours options.credentialStatus: it reserves an index per
// purpose in the office's lists and writes the BitstringStatusListEntry
// values (Bitstring Status List v1.0 §2.1) into cred before it is signed.
func (s *Server) addStatus(signer *issuer.Signer, cred map[string]any,
	purposes []string) ([]issuer.StatusEntry, error) {
	if len(purposes) == 0 {
		return nil, nil
	}
	if s.office == nil {
		return nil, fmt.Errorf("%w: this server keeps no status lists, "+
			"so options.credentialStatus cannot be honoured", ErrUnsupported)
	}
	if _, has := cred["credentialStatus"]; has {
		return nil, fmt.Errorf("%w: the credential has its own credentialStatus; "+
			"send it or options.credentialStatus, not both", ErrUnsupported)
	}
	// Checked before reserving too, so a refused request costs no index.
	if err := checkIssuedBy(signer, cred); err != nil {
		return nil, err
	}

	entries, err := s.office.ReserveStatus(issuer.DefaultIssuerID, purposes...)
	if err != nil {
		return nil, err
	}
	values := make([]any, len(entries))
	for i, e := range entries {
		values[i] = s.office.StatusEntryJSON(e)
	}
	cred["credentialStatus"] = values[0]
	if len(values) > 1 {
		cred["credentialStatus"] = values
	}
	return entries, nil
}

// recordStatus keeps the entries of a credential just signed, so POST
// /credentials/status can find them by its id. A credential without an id
// cannot be addressed there, and keeps no record.
func (s *Server) recordStatus(r *http.Request, p Principal, id string, entries []issuer.StatusEntry) error {
	if len(entries) == 0 || id == "" {
		return nil
	}
	return s.office.RecordIssuedStatus(r.Context(), p.ID, id, issuer.DefaultIssuerID, entries)
}
