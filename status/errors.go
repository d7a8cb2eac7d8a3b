package status

import "errors"

// Outcomes callers check with errors.Is. A Result whose status is Unknown
// always carries one of them, wrapped with the cause.
var (
	// ErrUnknownType reports a credentialStatus entry of a type Laurel
	// cannot check, so its status stays unknown.
	ErrUnknownType = errors.New("unknown credential status type")
	// ErrMalformedEntry reports a credentialStatus entry missing a property
	// the Bitstring Status List v1.0 §2.1 requires or holding one of the
	// wrong shape, or a credential with more entries than Laurel checks.
	ErrMalformedEntry = errors.New("malformed credential status entry")
	// ErrUnsupported reports a statusSize other than 1 or a status purpose
	// other than revocation and suspension: the message and refresh
	// purposes of §2.1 need multi-bit entries Laurel does not read.
	ErrUnsupported = errors.New("unsupported status size or purpose")
	// ErrFetch reports a status list that could not be retrieved (the
	// STATUS_RETRIEVAL_ERROR of §3.2).
	ErrFetch = errors.New("status list not retrieved")
	// ErrListInvalid reports a retrieved status list that cannot be
	// trusted: not a BitstringStatusListCredential, a proof that does not
	// verify, a purpose other than the entry's, or outside its validity
	// period (the STATUS_VERIFICATION_ERROR of §3.2).
	ErrListInvalid = errors.New("status list not valid")
	// ErrIssuerMismatch reports a status list issued by someone other than
	// the credential's issuer: only the issuer may change the status of
	// what it issued.
	ErrIssuerMismatch = errors.New("status list issuer differs from credential issuer")
	// ErrIndexRange reports a statusListIndex outside the list (the
	// RANGE_ERROR of §3.2), in checking or in List.Get and List.Set.
	ErrIndexRange = errors.New("status list index out of range")
	// ErrDecode reports an encodedList that is not the multibase base64url
	// of a GZIP stream (§2.2), or that expands past the configured limit.
	ErrDecode = errors.New("status list does not decode")
	// ErrListLength reports a list shorter than the 131,072 entries §3.2
	// requires (STATUS_LIST_LENGTH_ERROR) or a size NewList cannot use.
	// A decoded list that is too short matches ErrDecode as well.
	ErrListLength = errors.New("status list length not acceptable")
)

// explained is an error that carries the sentence a person reads about
// it, so the step that failed also words the Reason.
type explained struct {
	err    error
	reason string
}

func (e *explained) Error() string { return e.err.Error() }
func (e *explained) Unwrap() error { return e.err }

// explain pairs err with reason.
func explain(err error, reason string) error { return &explained{err: err, reason: reason} }

// fail returns r as Unknown because of err.
func (r Result) fail(err error) Result {
	var e *explained
	if errors.As(err, &e) {
		return r.unknown(err, e.reason)
	}
	return r.unknown(err, "The status could not be checked: "+clip(err.Error())+".")
}
