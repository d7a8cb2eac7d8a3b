package httpapi

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/laurel-badges/laurel/verifier"
)

// Problem types VC Data Model 2.0 §7.1 defines for verification results;
// Laurel uses them where a check's failure fits the definition, and its own
// types (ProblemTypeBase) elsewhere.
const (
	vcdmParsingError   = "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
	vcdmSecurityError  = "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
	vcdmMalformedValue = "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
)

// problemDetail is one entry of problemDetails or warnings in a
// verification result: the VC API's {type, title, detail}, with Laurel's
// stable code beside them.
type problemDetail struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Code   string `json:"code,omitempty"`
}

// verification is the body of a verification answer (VC-API.md §3): 200
// when verified, 400 otherwise, so that no client can mistake a failure
// for success.
type verification struct {
	Verified       bool            `json:"verified"`
	Checks         []string        `json:"checks"`
	Warnings       []problemDetail `json:"warnings"`
	ProblemDetails []problemDetail `json:"problemDetails,omitempty"`
	Report         any             `json:"report"`
}

// verifyRequest is a decoded verification request.
type verifyRequest struct {
	document  map[string]any
	checks    []string
	challenge string
	domain    string
	// ignored lists options that were sent but mean nothing to Laurel.
	ignored []string
}

// verifyCredential serves POST /credentials/verify (VC-API.md §3).
func (s *Server) verifyCredential(w http.ResponseWriter, r *http.Request) {
	req, err := s.readVerifyRequest(w, r, "verifiableCredential", "checks")
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	var report *verifier.Report
	err = s.gated(r, func(ctx context.Context) { report = s.verifier.VerifyObject(ctx, req.document) })
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeVerification(w, r, newVerification(report.Valid, report.Checks, report, req))
}

// verifyPresentation serves POST /presentations/verify (VC-API.md §4).
func (s *Server) verifyPresentation(w http.ResponseWriter, r *http.Request) {
	req, err := s.readVerifyRequest(w, r, "verifiablePresentation", "checks", "challenge", "domain")
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	want := verifier.PresentationOptions{Challenge: req.challenge, Domain: req.domain}
	var report *verifier.PresentationReport
	err = s.gated(r, func(ctx context.Context) {
		report = s.verifier.VerifyPresentation(ctx, req.document, want)
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeVerification(w, r, newVerification(report.Valid, report.Checks, report, req))
}

// gated runs work in a verification slot, or returns why it got none.
func (s *Server) gated(r *http.Request, work func(ctx context.Context)) error {
	if err := s.gate.enter(r.Context()); err != nil {
		return err
	}
	defer s.gate.leave()

	// The verification budget: what the verifier fetches (DID documents,
	// status lists) must arrive within it, or its check says so.
	ctx, cancel := context.WithTimeout(r.Context(), s.verifyBudget)
	defer cancel()
	work(ctx)
	return nil
}

// writeVerification answers 200 for a verified document and, from the
// status table, 400 for one that is not.
func (s *Server) writeVerification(w http.ResponseWriter, r *http.Request, v verification) {
	status := http.StatusOK
	if !v.Verified {
		status = statusOf(ErrNotVerified)
	}
	s.writeJSON(w, r, status, v)
}

// readVerifyRequest decodes {"<field>": {...}, "options": {...}}. The
// document must be a JSON object: a string (a URL or a JSON text) is
// refused, never fetched or parsed. known lists the options the endpoint
// understands; any other is ignored and named in a warning, so a client
// that relies on it can see it was not applied.
func (s *Server) readVerifyRequest(w http.ResponseWriter, r *http.Request, field string,
	known ...string) (verifyRequest, error) {
	var body map[string]any
	if err := s.decodeJSON(w, r, &body); err != nil {
		return verifyRequest{}, err
	}

	for name := range body {
		if name != field && name != "options" {
			return verifyRequest{}, fmt.Errorf("%w: unknown member %q", ErrMalformed, name)
		}
	}

	req := verifyRequest{}
	switch doc := body[field].(type) {
	case map[string]any:
		req.document = doc
	case string:
		return req, fmt.Errorf("%w: %s is a string; send the JSON object, "+
			"Laurel neither fetches nor parses strings", ErrMalformed, field)
	default:
		return req, fmt.Errorf("%w: the body must hold a %s object", ErrMalformed, field)
	}
	return req, readVerifyOptions(&req, body["options"], known)
}

func readVerifyOptions(req *verifyRequest, v any, known []string) error {
	if v == nil {
		return nil
	}
	opts, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%w: options must be an object", ErrMalformed)
	}

	for _, name := range slices.Sorted(maps.Keys(opts)) {
		var err error
		switch {
		case !slices.Contains(known, name):
			req.ignored = append(req.ignored, name)
		case name == "checks":
			req.checks, err = stringArray(opts[name], "options.checks")
		case name == "challenge":
			req.challenge, err = optionString(opts[name], "options.challenge")
		case name == "domain":
			req.domain, err = optionString(opts[name], "options.domain")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func stringArray(v any, where string) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s must be an array of strings", ErrMalformed, where)
	}

	out := make([]string, len(items))
	for i, item := range items {
		if out[i], ok = item.(string); !ok {
			return nil, fmt.Errorf("%w: %s must be an array of strings", ErrMalformed, where)
		}
	}
	return out, nil
}

func optionString(v any, where string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%w: %s must be a string", ErrMalformed, where)
	}
	return s, nil
}

// newVerification builds the VC API answer from a report: the answer's
// fields sum up the report's checks, and the report itself goes along.
// For a presentation, the problems of an embedded credential appear under
// its credentials check, and in full in the report.
func newVerification(valid bool, checks []verifier.Check, report any,
	req verifyRequest) verification {
	v := verification{Verified: valid, Report: report}
	summarize(&v, checks, req)
	return v
}

// summarize fills the VC API fields from a report's checks: checks names
// what passed; problemDetails what failed; warnings what a person should
// know, including the checks the client asked for that Laurel could not
// make (such as credentialStatus), and what it asked for that Laurel does
// not know.
func summarize(v *verification, checks []verifier.Check, req verifyRequest) {
	v.Checks, v.Warnings = []string{}, []problemDetail{}
	made := make([]string, 0, len(checks))
	for _, c := range checks {
		made = append(made, vcAPICheckName(c.Name))
		switch {
		case c.Outcome == verifier.Passed:
			v.Checks = append(v.Checks, c.Name)
		case c.Outcome == verifier.Failed:
			v.ProblemDetails = append(v.ProblemDetails, checkProblem(c))
		case c.Outcome == verifier.Warning || slices.Contains(req.checks, vcAPICheckName(c.Name)):
			v.Warnings = append(v.Warnings, checkProblem(c))
		}
	}

	for _, name := range req.checks {
		if !slices.Contains(made, name) {
			v.Warnings = append(v.Warnings, ignoredWarning("check.unknown", "check", name))
		}
	}
	for _, name := range req.ignored {
		v.Warnings = append(v.Warnings, ignoredWarning("option.ignored", "option", name))
	}
}

// ignoredWarning says that Laurel did not act on a check or option it
// does not know; every check it knows ran all the same.
func ignoredWarning(code, what, name string) problemDetail {
	detail := fmt.Sprintf("Laurel does not know the %s %q and ignored it.", what, name)
	return problemDetail{
		Type:   ProblemTypeBase + code,
		Title:  "Unknown " + what,
		Detail: detail,
		Code:   code,
	}
}

// vcAPICheckName is the name the VC API gives one of the verifier's
// checks in options.checks: they agree except for status.
func vcAPICheckName(name string) string {
	if name == verifier.CheckStatus {
		return "credentialStatus"
	}
	return name
}

// checkProblem describes one check as a problem detail. A failure takes
// the VC Data Model 2.0 type its kind has, where one fits.
func checkProblem(c verifier.Check) problemDetail {
	code := c.Code
	if code == "" {
		code = c.Name
	}

	p := problemDetail{
		Type:   ProblemTypeBase + code,
		Title:  checkTitle(c.Name),
		Detail: c.Message,
		Code:   code,
	}

	if c.Outcome != verifier.Failed {
		return p
	}
	switch c.Name {
	case verifier.CheckStructure, verifier.CheckSchema:
		p.Type = vcdmMalformedValue
	case verifier.CheckContexts:
		p.Type = vcdmParsingError
	case verifier.CheckProof, verifier.CheckIssuer, verifier.CheckHolder:
		p.Type = vcdmSecurityError
	}
	return p
}

func checkTitle(name string) string {
	titles := map[string]string{
		verifier.CheckStructure:   "Document structure",
		verifier.CheckContexts:    "JSON-LD contexts",
		verifier.CheckSchema:      "JSON Schema",
		verifier.CheckProof:       "Proof",
		verifier.CheckIssuer:      "Issuer's key",
		verifier.CheckHolder:      "Holder's key",
		verifier.CheckDates:       "Validity period",
		verifier.CheckStatus:      "Credential status",
		verifier.CheckCredentials: "Embedded credentials",
	}

	if t, ok := titles[name]; ok {
		return t
	}
	return name
}
