package status

import "fmt"

// Status is what a status entry says about a credential. The zero value is
// Unknown, so a Result nobody filled in never reads as valid.
type Status int

// Statuses a check can end in.
const (
	// Unknown means the status could not be established; Result.Err says
	// why. A verifier must not treat it as Active.
	Unknown Status = iota
	// Active means the issuer has neither revoked nor suspended the
	// credential through this entry.
	Active
	// Revoked means the issuer has revoked the credential: a revocation
	// bit is set (§2.1, not reversible) or a 1EdTech revocation list names
	// the credential.
	Revoked
	// Suspended means a suspension bit is set (§2.1, reversible).
	Suspended
)

// String returns the lowercase name of s, as reports and JSON show it.
func (s Status) String() string {
	switch s {
	case Active:
		return "active"
	case Revoked:
		return "revoked"
	case Suspended:
		return "suspended"
	}
	return "unknown"
}

// MarshalText writes s by name, so JSON reports read "revoked", not 2.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is the outcome of one credentialStatus entry.
type Result struct {
	// Entry is the entry as found in the credential; nil when the
	// credentialStatus value was refused as a whole.
	Entry map[string]any
	// Purpose is the entry's statusPurpose ("revocation" for a 1EdTech
	// revocation list), empty if it had none.
	Purpose string
	// Index is the statusListIndex, or -1 when the entry has no usable
	// index (and always for 1EdTech revocation lists).
	Index int
	// ListURL is the statusListCredential, or the 1EdTech list's id.
	ListURL string
	// Status is the outcome; Unknown whenever Err is set.
	Status Status
	// Reason is a sentence a person can read that explains Status.
	Reason string
	// Err is nil unless Status is Unknown, and then matches one of this
	// package's sentinel errors.
	Err error
}

// unknown returns r as Unknown because of err, explained by reason.
func (r Result) unknown(err error, reason string) Result {
	r.Status = Unknown
	r.Err = err
	r.Reason = reason
	return r
}

// Summarize folds the results of one credential into one status and a
// sentence: any Revoked wins, then any Suspended, then any Unknown, since
// one entry that could not be checked leaves the credential's status
// unknown; only when every entry is Active is the credential Active. No
// results means the credential carries no status entry, and nothing can
// revoke it: that is Active, and the sentence says so.
func Summarize(results []Result) (Status, string) {
	if len(results) == 0 {
		return Active, "The credential has no status entry, so it cannot be revoked or suspended."
	}

	for _, want := range []Status{Revoked, Suspended, Unknown} {
		for _, r := range results {
			if r.Status == want {
				return want, r.Reason
			}
		}
	}

	if len(results) == 1 {
		return Active, results[0].Reason
	}
	return Active, fmt.Sprintf("None of the %d status entries revokes or suspends the credential.",
		len(results))
}
