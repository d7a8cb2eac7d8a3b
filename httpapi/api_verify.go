package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

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
	report, err := s.check(r, input)
	s.reply(w, r, http.StatusOK, report, err)
}

// verifyInput is what a person asks the public verifier to check: the
// bytes of a credential (JSON, a compact JWS or a baked image), or the
// URL of a hosted one.
type verifyInput struct {
	data []byte
	url  string
}

// check is the one verification path of the public verifier, shared by
// the API and the verifier page so both give the same answer: it reads
// a URL's credential (this office's own from the store), then verifies
// within a slot of the gate and the verification budget.
func (s *Server) check(r *http.Request, in verifyInput) (*verifier.Report, error) {
	data := in.data
	if in.url != "" {
		var err error
		if data, err = s.fetchCredential(r, in.url); err != nil {
			return nil, err
		}
	}

	var report *verifier.Report
	var verr error
	verify := func(ctx context.Context) { report, verr = s.verifier.Verify(ctx, data) }
	if err := s.gated(r, verify); err != nil {
		return nil, err
	}
	return report, verr
}

// readVerifyInput reads the API's request: a multipart upload, or a JSON
// body with exactly one of a credential and a url.
func (s *Server) readVerifyInput(w http.ResponseWriter, r *http.Request) (verifyInput, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		data, err := readUploadedFile(w, r)
		return verifyInput{data: data}, err
	}

	var req checkRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return verifyInput{}, err
	}
	switch {
	case req.URL != "" && len(req.Credential) > 0:
		return verifyInput{}, fmt.Errorf("%w: give a credential or a url, not both", ErrMalformed)
	case req.URL != "":
		return verifyInput{url: req.URL}, nil
	case len(req.Credential) == 0:
		return verifyInput{}, fmt.Errorf("%w: a credential or a url is required", ErrMalformed)
	}

	var jwt string
	if json.Unmarshal(req.Credential, &jwt) == nil {
		return verifyInput{data: []byte(jwt)}, nil
	}
	return verifyInput{data: req.Credential}, nil
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
// fetcher, the one safe HTTP client; without one, URLs are refused. A
// credential of this office is read from the store instead: the safe
// fetcher refuses plain http and loopback addresses, where small
// deployments and tests run Laurel.
func (s *Server) fetchCredential(r *http.Request, url string) ([]byte, error) {
	if data, own, err := s.ownCredential(url); own {
		return data, err
	}
	if s.fetch == nil {
		return nil, fmt.Errorf("%w: this server does not fetch credentials by URL", ErrUnsupported)
	}
	data, err := s.fetch(r.Context(), url)
	if err != nil {
		return nil, fmt.Errorf("%w: fetching %s: %w", errFetch, url, err)
	}
	return data, nil
}

// ownCredential reports whether url is the public URL of a credential of
// this office and, if so, returns the signed document it serves there.
func (s *Server) ownCredential(url string) ([]byte, bool, error) {
	if s.office == nil || s.office.PublicURL() == "" {
		return nil, false, nil
	}
	id, ok := strings.CutPrefix(url, s.office.PublicURL()+"/credentials/")
	if !ok || !credentialID.MatchString(id) {
		return nil, false, nil
	}
	c, err := s.office.Credential(id)
	if err != nil {
		return nil, true, fmt.Errorf("%w: reading %s: %w", errFetch, url, err)
	}
	return c.Document, true, nil
}

// credentialID matches the UUID of a credential's public URL, as the
// route serving it does.
var credentialID = regexp.MustCompile(`^[0-9a-fA-F-]{36}$`)

// errFetch reports a hosted credential that could not be retrieved: the
// client named an address Laurel will not or cannot read.
var errFetch = errors.New("the credential could not be fetched")
