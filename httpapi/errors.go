package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/verifier"
)

// ProblemTypeBase starts the type URI of every problem Laurel defines
// itself: the type is this base followed by the problem's code, for example
// ProblemTypeBase + "request.too_large". The URIs identify problem types
// (RFC 9457 §3.1.1) and do not change between releases; the pages they name
// are not published yet.
const ProblemTypeBase = "https://laurel-badges.github.io/laurel/problems/"

// Outcomes handlers report with errors.Is; writeError turns each into one
// HTTP status and problem code.
var (
	// ErrMalformed reports a request body that is not the JSON document the
	// endpoint takes: invalid JSON, trailing data, a missing or misshapen
	// member, an unknown member where the schema is Laurel's or the VC
	// API's.
	ErrMalformed = errors.New("malformed request")
	// ErrMediaType reports a request body that is not declared as JSON.
	ErrMediaType = errors.New("request body is not JSON")
	// ErrTooLarge reports a request body larger than Config.MaxBody.
	ErrTooLarge = errors.New("request body too large")
	// ErrInvalidCredential reports a credential that breaks a rule of the
	// data model, so Laurel will not sign it (VC-API.md §2, "Reject").
	ErrInvalidCredential = errors.New("credential is not valid")
	// ErrUnsupported reports a well-formed request asking for something
	// Laurel does not do yet, such as a status list entry.
	ErrUnsupported = errors.New("request asks for an unsupported feature")
	// ErrUnauthorized reports a request without valid credentials.
	ErrUnauthorized = errors.New("not authenticated")
	// ErrForbidden reports an authenticated client lacking the scope an
	// endpoint needs.
	ErrForbidden = errors.New("not allowed")
	// ErrNotFound reports a path no route serves.
	ErrNotFound = errors.New("no such resource")
	// ErrMethod reports a method the route does not serve.
	ErrMethod = errors.New("method not allowed")
	// ErrBusy reports that every verification slot stayed taken for
	// Config.VerifyWait; the client should retry later.
	ErrBusy = errors.New("server busy")
	// ErrUnavailable reports an endpoint whose dependency is not configured,
	// such as issuing without a signer.
	ErrUnavailable = errors.New("service unavailable")
	// ErrNotReady reports that Config.Ready refused.
	ErrNotReady = errors.New("service not ready")
	// ErrNotVerified reports a credential or presentation that failed
	// verification. Its answer is a verification result, not a problem,
	// but its status comes from the same table.
	ErrNotVerified = errors.New("not verified")
)

// statusClientClosed is the status logged when the client went away before
// the answer (nginx's 499); the client never sees it.
const statusClientClosed = 499

// problemKind is what one outcome looks like over HTTP.
type problemKind struct {
	err    error
	status int
	code   string
	title  string
}

// classify maps an error to its status and code. This is the one place
// where outcomes become HTTP status codes; anything it does not know is an
// internal error. Every client mistake is in the table, so none is a 500.
func classify(err error) problemKind {
	const (
		bad         = http.StatusBadRequest
		unprocessed = http.StatusUnprocessableEntity
		unavailable = http.StatusServiceUnavailable
	)
	kinds := []problemKind{
		{ErrMalformed, bad, "request.malformed", "Malformed request"},
		{ErrMediaType, http.StatusUnsupportedMediaType, "request.media_type", "Body must be JSON"},
		{ErrTooLarge, http.StatusRequestEntityTooLarge, "request.too_large", "Body too large"},
		{ErrInvalidCredential, bad, "credential.invalid", "Invalid credential"},
		{verifier.ErrInput, bad, "credential.invalid", "Invalid credential"},
		{canon.ErrContext, bad, "contexts.unknown", "Unusable JSON-LD context"},
		{canon.ErrUnsafe, bad, "contexts.unsafe", "Refused by JSON-LD safe mode"},
		{canon.ErrLimit, bad, "input.too_complex", "Document too complex"},
		{canon.ErrEmpty, bad, "credential.empty", "Credential states nothing"},
		{ErrNotVerified, bad, "verification.failed", "Not verified"},
		{errFetch, http.StatusUnprocessableEntity, "fetch.failed", "Could not fetch the credential"},
		{ErrUnsupported, unprocessed, "option.unsupported", "Unsupported request"},
		{issuer.ErrIssuerMismatch, unprocessed, "issuer.mismatch", "Issuer is not this signer"},
		{issuer.ErrInvalid, http.StatusBadRequest, "input.invalid", "Invalid input"},
		{issuer.ErrNotFound, http.StatusNotFound, "resource.not_found", "Not found"},
		{issuer.ErrConflict, http.StatusConflict, "state.conflict", "Not allowed in the current state"},
		{issuer.ErrForbidden, http.StatusForbidden, "auth.forbidden", "Not allowed"},
		{issuer.ErrUnauthorized, http.StatusUnauthorized, "auth.unauthorized", "Authentication required"},
		{ErrUnauthorized, http.StatusUnauthorized, "auth.unauthorized", "Authentication required"},
		{ErrForbidden, http.StatusForbidden, "auth.forbidden", "Not allowed"},
		{ErrNotFound, http.StatusNotFound, "route.not_found", "Not found"},
		{ErrMethod, http.StatusMethodNotAllowed, "route.method", "Method not allowed"},
		{ErrBusy, unavailable, "server.busy", "Server busy"},
		{ErrUnavailable, unavailable, "server.unavailable", "Service unavailable"},
		{ErrNotReady, unavailable, "server.not_ready", "Service not ready"},
		{context.DeadlineExceeded, unavailable, "server.timeout", "Request timed out"},
		{context.Canceled, statusClientClosed, "request.canceled", "Client closed request"},
	}

	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k
		}
	}
	return problemKind{nil, http.StatusInternalServerError, "server.internal", "Internal error"}
}

// statusOf returns the HTTP status for err.
func statusOf(err error) int { return classify(err).status }

// problem is an RFC 9457 problem details object, with Laurel's stable
// code as an extension member (RFC 9457 §3.2).
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
}

// writeError answers a request that failed with err. A client's mistake is
// explained from the error text Laurel wrote for it; a server-side failure
// shows only the request id, and its cause goes to the log.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	kind := classify(err)
	id := requestID(r)
	s.logProblem(r, kind, err, id)

	p := problem{
		Type:   ProblemTypeBase + kind.code,
		Title:  kind.title,
		Status: kind.status,
		Detail: err.Error(),
		Code:   kind.code,
	}
	switch {
	case kind.status == http.StatusServiceUnavailable:
		p.Detail = kind.title + "; retry later."
	case kind.status >= http.StatusInternalServerError:
		p.Detail = "The server could not complete the request; request id " + id + "."
	}

	setProblemHeaders(w.Header(), kind)
	body, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(kind.status)
	_, _ = w.Write(append(body, '\n'))
}

// logProblem records why a request failed: internal failures as errors,
// unavailability and denied access as warnings (an operator acts on
// those), a client's own mistakes at debug level.
func (s *Server) logProblem(r *http.Request, kind problemKind, err error, id string) {
	level, msg := slog.LevelDebug, "request refused"
	switch {
	case kind.status == http.StatusServiceUnavailable:
		level, msg = slog.LevelWarn, "request not served"
	case kind.status >= http.StatusInternalServerError:
		level, msg = slog.LevelError, "request failed"
	case kind.status == http.StatusUnauthorized || kind.status == http.StatusForbidden:
		level, msg = slog.LevelWarn, "request denied"
	}

	s.log.Log(r.Context(), level, msg, "request_id", id, "code", kind.code, "error", err)
}

// setProblemHeaders adds the headers some statuses call for: a challenge on
// 401 (RFC 9110 §15.5.2) and a retry hint on 503 (RFC 9110 §10.2.3).
func setProblemHeaders(h http.Header, kind problemKind) {
	switch kind.status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", `Bearer realm="laurel"`)
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", "1")
	}
}
