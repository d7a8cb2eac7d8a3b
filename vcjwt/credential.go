package vcjwt

import (
	"fmt"
	"math"
	"time"

	"github.com/laurel-badges/laurel/internal/vcdm"
)

// Shape names how a token carries its credential.
type Shape string

// The two payload shapes of OB 3.0 §8.2.4.1.
const (
	// ShapeVC11 is a VC Data Model 1.1 credential inside a "vc" claim.
	ShapeVC11 Shape = "vc1.1"

	// ShapeVC20 is a VC Data Model 2.0 credential that is the payload itself
	// (VC-JOSE-COSE §3.1.1).
	ShapeVC20 Shape = "vc2.0"
)

// maxNumericDate bounds NumericDate claims to year 9999 so that converting a JSON
// number to seconds cannot overflow.
const maxNumericDate = 253402300799

// shapeOf decides the payload shape from the credential's first @context entry,
// the base context (VC-DM 1.1 §4.1, VC-DM 2.0 §4.3).
func shapeOf(credential map[string]any) (Shape, error) {
	first := credential["@context"]
	if list, ok := first.([]any); ok && len(list) > 0 {
		first = list[0]
	}

	switch first {
	case vcdm.ContextV1:
		return ShapeVC11, nil
	case vcdm.ContextV2:
		return ShapeVC20, nil
	}
	return "", fmt.Errorf("reading @context: %v is no VC base context: %w", first, ErrMalformed)
}

// credentialID returns the credential's id, or "" when it has none.
func credentialID(credential map[string]any) string {
	id, _ := credential["id"].(string)
	return id
}

// subjectIDs lists the ids of the credential's subjects, which may be one object or an
// array of objects.
func subjectIDs(credential map[string]any) []string {
	var ids []string
	for _, s := range vcdm.AsList(credential["credentialSubject"]) {
		subject, _ := s.(map[string]any)
		if id, ok := subject["id"].(string); ok && id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// dateNames returns the credential properties that nbf and exp mirror for a shape
// (OB 3.0 §8.2.4.1 and its note on VC 1.1 names).
func dateNames(shape Shape) (from, until string) {
	if shape == ShapeVC11 {
		return "issuanceDate", "expirationDate"
	}
	return "validFrom", "validUntil"
}

// credentialDate reads a date-time property; ok is false when the property is absent.
func credentialDate(credential map[string]any, name string) (t time.Time, ok bool, err error) {
	raw, present := credential[name]
	if !present {
		return time.Time{}, false, nil
	}

	s, isString := raw.(string)
	if !isString {
		return time.Time{}, true, fmt.Errorf("reading %s: not a string", name)
	}

	t, err = time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, true, fmt.Errorf("reading %s: %w", name, err)
	}
	return t, true, nil
}

// numericDate converts a JSON number of seconds since the epoch (RFC 7519 §2) to a time.
func numericDate(v any) (time.Time, error) {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.Abs(f) > maxNumericDate {
		return time.Time{}, fmt.Errorf("not a NumericDate: %v", v)
	}

	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
