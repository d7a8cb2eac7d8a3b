package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/laurel-badges/laurel/verifier"
)

// checkRequest is the JSON form of POST /api/v1/verify: a credential (an
// object, or a compact JWS as a string), or the URL of a hosted one.
type checkRequest struct {
	Credential json.RawMessage `json:"credential,omitempty"`
	URL        string          `json:"url,omitempty"`
}

// maxUpload bounds a multipart upload: a baked badge image with room for
// the form's own framing.
const maxUpload = 2 << 20

// verifyAny serves POST /api/v1/verify, Laurel's public verifier: a JSON
// body with a credential or a url, or a multipart upload whose file field
// holds a credential (JSON or JWT) or a baked PNG or SVG. It answers 200
// with the full report whatever the verdict; only input that is not a
// credential at all is a 400.
func (s *Server) verifyAny(w http.ResponseWriter, r *http.Request) {
	input, err := s.readVerifyInput(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var report *verifier.Report
	var verr error
	verify := func(ctx context.Context) { report, verr = s.verifier.Verify(ctx, input) }
	if err := s.gated(r, verify); err != nil {
		s.writeError(w, r, err)
		return
	}
	if verr != nil {
		s.writeError(w, r, verr)
		return
	}
	s.writeJSON(w, r, http.StatusOK, report)
}

func (s *Server) readVerifyInput(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return readUploadedFile(w, r)
	}

	var req checkRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return nil, err
	}
	switch {
	case req.URL != "" && len(req.Credential) > 0:
		return nil, fmt.Errorf("%w: give a credential or a url, not both", ErrMalformed)
	case req.URL != "":
		return s.fetchCredential(r, req.URL)
	case len(req.Credential) == 0:
		return nil, fmt.Errorf("%w: a credential or a url is required", ErrMalformed)
	}

	var jwt string
	if json.Unmarshal(req.Credential, &jwt) == nil {
		return []byte(jwt), nil
	}
	return req.Credential, nil
}

func readUploadedFile(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return nil, decodeError(err)
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return nil, fmt.Errorf("%w: the upload needs a file field", ErrMalformed)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the upload: %w", ErrMalformed, err)
	}
	return data, nil
}

// fetchCredential retrieves a hosted credential through the configured
// fetcher, the one safe HTTP client; without one, URLs are refused.
func (s *Server) fetchCredential(r *http.Request, url string) ([]byte, error) {
	if s.fetch == nil {
		return nil, fmt.Errorf("%w: this server does not fetch credentials by URL", ErrUnsupported)
	}
	data, err := s.fetch(r.Context(), url)
	if err != nil {
		return nil, fmt.Errorf("%w: fetching %s: %w", errFetch, url, err)
	}
	return data, nil
}

// errFetch reports a hosted credential that could not be retrieved: the
// client named an address Laurel will not or cannot read.
var errFetch = errors.New("the credential could not be fetched")
