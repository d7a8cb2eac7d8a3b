package httpapi

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/verifier"
)

// verifierPage is what the verifier page shows: the three ways to give a
// badge, what was wrong with the last input, or the last report.
type verifierPage struct {
	Report *reportView
	// Problem says in plain words why nothing could be checked; Detail
	// is the technical cause, when there is one.
	Problem, Detail string
	// Pasted and URL give back what the visitor typed, to correct it.
	Pasted, URL string
}

// reportView is a verification report in words for an administrator.
type reportView struct {
	// Verdict is Valid, Not valid or Valid with warnings; Class is good,
	// bad or warn.
	Verdict, Class, Summary string
	// Source says what was checked, and in which form.
	Source, Format, Baked string

	ID, IssuerName, IssuerID string
	Trusted                  bool
	TrustedAs                string
	// OwnBadge is the path of the badge's page when this office issued it.
	OwnBadge string

	Achievement, Earner string
	Issued, Expires     *time.Time
	Checks              []checkLine
	// ResultLink, for URL checks, is a link that checks the URL again.
	ResultLink string
}

// checkLine is one check of a report.
type checkLine struct {
	Title, What, Label, Class, Pill, Message string
}

// verifierForm serves GET /verify: the forms, or with ?url= the report of
// the credential at that URL. That address is the result link a person
// sends to someone else.
func (s *Server) verifierForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if !r.URL.Query().Has("url") {
		s.render(w, r, v, http.StatusOK, "public_verify", "Verify a badge", verifierPage{})
		return
	}

	link := strings.TrimSpace(r.URL.Query().Get("url"))
	page := verifierPage{URL: link}
	if link == "" {
		s.verifierProblem(w, r, v, page, inputError("Enter the address of a badge to check."))
		return
	}
	s.verifierReport(w, r, v, page, verifyInput{url: link}, "the credential at "+link)
}

// verifierPost serves POST /verify: a pasted credential, an uploaded
// file or a URL, checked the way POST /api/v1/verify checks it.
func (s *Server) verifierPost(w http.ResponseWriter, r *http.Request, v *visit) {
	page := verifierPage{Pasted: r.PostFormValue("credential"),
		URL: strings.TrimSpace(r.PostFormValue("url"))}
	in, source, err := pageVerifyInput(r)
	if err != nil {
		s.verifierProblem(w, r, v, page, err)
		return
	}
	s.verifierReport(w, r, v, page, in, source)
}

// verifierReport runs the shared verification and shows its report; the
// page answers 200 whatever the verdict, as the API does.
func (s *Server) verifierReport(w http.ResponseWriter, r *http.Request, v *visit, page verifierPage,
	in verifyInput, source string) {
	report, err := s.check(r, in)
	if err != nil {
		s.verifierProblem(w, r, v, page, err)
		return
	}

	view := s.viewReport(report, source)
	if in.url != "" {
		view.ResultLink = s.office.PublicURL() + "/verify?url=" + url.QueryEscape(in.url)
	}
	page = verifierPage{Report: view}
	s.render(w, r, v, http.StatusOK, "public_verify", "Verification report", page)
}

// inputError is a visitor's mistake on the verifier page, in words for
// them; it is a malformed request (400).
type inputError string

// Error is the message for the visitor.
func (e inputError) Error() string { return string(e) }

// Unwrap makes the mistake a malformed request for classify.
func (e inputError) Unwrap() error { return ErrMalformed }

// pageVerifyInput reads the one thing a verifier form gives: pasted text,
// an uploaded file or a URL. It also says what was given, for the report.
func pageVerifyInput(r *http.Request) (verifyInput, string, error) {
	text := strings.TrimSpace(r.PostFormValue("credential"))
	link := strings.TrimSpace(r.PostFormValue("url"))
	file, name, err := formUpload(r)
	if err != nil {
		return verifyInput{}, "", err
	}
	if err := oneGiven(text != "", link != "", file != nil); err != nil {
		return verifyInput{}, "", err
	}

	switch {
	case text != "":
		return verifyInput{data: []byte(text)}, "the pasted credential", nil
	case link != "":
		return verifyInput{url: link}, "the credential at " + link, nil
	}
	return verifyInput{data: file}, "the file " + cmp.Or(name, "you uploaded"), nil
}

// oneGiven requires exactly one way of giving a badge: two at once
// would leave the visitor unsure which was checked.
func oneGiven(given ...bool) error {
	n := 0
	for _, ok := range given {
		if ok {
			n++
		}
	}

	switch {
	case n == 0:
		return inputError("Paste a credential, choose a file or enter an address to check.")
	case n > 1:
		return inputError("Check one thing at a time: paste a credential, choose a file " +
			"or enter an address.")
	}
	return nil
}

// formUpload reads the form's file, if one was chosen (a browser sends an
// empty part for a file input left empty).
func formUpload(r *http.Request) ([]byte, string, error) {
	f, h, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("%w: reading the upload: %w", ErrMalformed, err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil {
		return nil, "", fmt.Errorf("%w: reading the upload: %w", ErrMalformed, err)
	}
	if len(data) > maxUpload {
		return nil, "", fmt.Errorf("%w: a file to check may be at most %d MiB", ErrTooLarge,
			maxUpload>>20)
	}
	if len(data) == 0 {
		return nil, "", inputError("The chosen file is empty.")
	}
	return data, h.Filename, nil
}

// verifierProblem shows the forms again with what went wrong, and the
// status of the mistake. A failure of the server itself is an error page.
func (s *Server) verifierProblem(w http.ResponseWriter, r *http.Request, v *visit,
	page verifierPage, err error) {
	kind := classify(err)
	if kind.status >= http.StatusInternalServerError {
		s.pageError(w, r, v, err)
		return
	}

	s.logProblem(r, kind, err, requestID(r))
	page.Problem, page.Detail = explainInput(err)
	s.render(w, r, v, kind.status, "public_verify", "Verify a badge", page)
}

// explainInput says why nothing could be checked, and gives the technical
// cause apart.
func explainInput(err error) (string, string) {
	if e, ok := errors.AsType[inputError](err); ok {
		return string(e), ""
	}
	switch {
	case errors.Is(err, verifier.ErrInput):
		return "Laurel found no credential in this. It checks a credential as JSON or as a JWT, " +
			"or a PNG or SVG badge image with a credential baked in.", err.Error()
	case errors.Is(err, errFetch):
		return "Laurel could not fetch a credential from that address. It reads only public " +
			"https addresses that answer with a credential.", err.Error()
	case errors.Is(err, ErrUnsupported):
		return "This server does not fetch badges from other addresses. Download the badge " +
			"and upload it instead.", ""
	case errors.Is(err, ErrTooLarge):
		return "The file is too large to be a badge.", err.Error()
	}
	return "Laurel could not check this.", err.Error()
}
