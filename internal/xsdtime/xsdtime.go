// Package xsdtime parses the XML Schema date-time forms that Verifiable
// Credentials use (VC Data Model 2.0 §4.9 requires xsd:dateTimeStamp for
// validFrom and validUntil; Data Integrity uses it for created and expires).
package xsdtime

import (
	"errors"
	"fmt"
	"regexp"
	"time"
)

// ErrInvalid reports a string that is not a date-time of the required form.
var ErrInvalid = errors.New("not an XML Schema dateTimeStamp")

// stamp matches xsd:dateTimeStamp: a date, a time with optional fractional
// seconds, and a mandatory time zone (Z or an offset).
var stamp = regexp.MustCompile(`^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// ParseStamp parses an xsd:dateTimeStamp, refusing one without a time zone.
func ParseStamp(s string) (time.Time, error) {
	if len(s) > 64 || !stamp.MatchString(s) {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrInvalid)
	}

	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrInvalid)
	}
	return t, nil
}

// ParseLenient parses an xsd:dateTime, reading one without a time zone as
// UTC. VC Data Model 1.1 allowed such values in issuanceDate and
// expirationDate, and badges from that era carry them.
func ParseLenient(s string) (time.Time, error) {
	if t, err := ParseStamp(s); err == nil {
		return t, nil
	}

	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %w", s, ErrInvalid)
	}
	return t, nil
}
