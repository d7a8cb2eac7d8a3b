package verifier

import (
	"fmt"
	"time"

	"github.com/laurel-badges/laurel/internal/xsdtime"
)

// checkDates applies the validity period: validFrom and validUntil (VC Data
// Model 2.0 §4.9, dateTimeStamps) or, for VC 1.1 credentials, issuanceDate
// and expirationDate.
func (v *Verifier) checkDates(r *Report, doc map[string]any) {
	now := v.now()

	from, err := dateField(doc, "validFrom", "issuanceDate")
	if err != nil {
		r.add(CheckDates, Failed, "dates.invalid", err.Error())
		return
	}
	until, err := dateField(doc, "validUntil", "expirationDate")
	if err != nil {
		r.add(CheckDates, Failed, "dates.invalid", err.Error())
		return
	}

	switch {
	case !from.IsZero() && !until.IsZero() && from.After(until):
		r.add(CheckDates, Failed, "dates.inverted", "The credential's validity ends before it begins.")
	case !from.IsZero() && now.Before(from):
		r.add(CheckDates, Failed, "dates.not_yet_valid",
			fmt.Sprintf("The credential is not valid until %s.", from.UTC().Format(time.RFC3339)))
	case !until.IsZero() && now.After(until):
		r.add(CheckDates, Failed, "dates.expired",
			fmt.Sprintf("The credential expired on %s.", until.UTC().Format(time.RFC3339)))
	case until.IsZero():
		r.add(CheckDates, Passed, "", "The credential is in its validity period and does not expire.")
	default:
		r.add(CheckDates, Passed, "", fmt.Sprintf("The credential is valid until %s.", until.UTC().Format(time.RFC3339)))
	}
}

// dateField reads the VC 2.0 property, or failing that the VC 1.1 one. VC
// 2.0 requires a time zone; VC 1.1 values without one are read as UTC.
func dateField(doc map[string]any, v2, v1 string) (time.Time, error) {
	if raw, has := doc[v2]; has {
		s, _ := raw.(string)
		t, err := xsdtime.ParseStamp(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s is not a date and time with a time zone", v2)
		}
		return t, nil
	}
	if raw, has := doc[v1]; has {
		s, _ := raw.(string)
		t, err := xsdtime.ParseLenient(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s is not a date and time", v1)
		}
		return t, nil
	}
	return time.Time{}, nil
}
