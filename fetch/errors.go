package fetch

import (
	"errors"
	"fmt"
)

// Outcomes callers check with errors.Is. Errors name the URL but never
// carry a response body, which a hostile server controls.
var (
	// ErrConfig reports a Config that New cannot use, such as a negative
	// limit.
	ErrConfig = errors.New("invalid fetch configuration")
	// ErrURL reports a URL that is malformed, not absolute, too long,
	// carries userinfo (credentials must never travel in URLs), or names a
	// host that is neither a DNS name nor an IP literal.
	ErrURL = errors.New("unacceptable URL")
	// ErrScheme reports a URL, or a redirect target, whose scheme is not
	// https (or http when Config.AllowHTTP is set).
	ErrScheme = errors.New("URL scheme not allowed")
	// ErrAddress reports a connection refused before it was made because
	// the resolved address is loopback, private, link-local, or otherwise
	// not on the public internet.
	ErrAddress = errors.New("refused network address")
	// ErrTooLarge reports a response body longer than Config.MaxBytes.
	ErrTooLarge = errors.New("response body too large")
	// ErrStatus reports a response with a status other than 2xx; the
	// error is a *StatusError carrying the code.
	ErrStatus = errors.New("unsuccessful HTTP status")
	// ErrRedirects reports a redirect chain longer than
	// Config.MaxRedirects.
	ErrRedirects = errors.New("too many redirects")
	// ErrTimeout reports a fetch that did not finish within Config.Timeout
	// or the caller's deadline; the context error is wrapped too.
	ErrTimeout = errors.New("fetch timed out")
)

// StatusError is the error for a non-2xx response, so that callers who
// care (a 404 status list differs from a 503 one) can read the code with
// errors.As; it matches ErrStatus.
type StatusError struct {
	// Code is the HTTP status code the server answered.
	Code int
}

// Error names the status code.
func (e *StatusError) Error() string { return fmt.Sprintf("%v %d", ErrStatus, e.Code) }

// Unwrap makes a StatusError match ErrStatus.
func (e *StatusError) Unwrap() error { return ErrStatus }
