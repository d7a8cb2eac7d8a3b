package keys

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Verification relationships Laurel records (DID Core 1.0 §5.3;
// Controlled Identifiers 1.0 §2.3). A Data Integrity proof's proofPurpose
// names the relationship its method must be listed under (VC Data
// Integrity 1.0 §2.1, proofPurpose; Controlled Identifiers 1.0 §3.3).
const (
	// RelAssertionMethod lists the methods that may issue credentials.
	RelAssertionMethod = "assertionMethod"
	// RelAuthentication lists the methods that may prove who the
	// controller is, as a presentation's proof does.
	RelAuthentication = "authentication"
)

// recordedRelationships are the relationships a document parser reads,
// in the order it reads them.
var recordedRelationships = []string{RelAssertionMethod, RelAuthentication}

// Relationships says which verification relationships of its controller's
// own document list a method, embedded or by reference.
//
// The zero value means not known: the method was not read from its
// controller's document (a key document of its own, a key taken from a URL
// fragment, a key a caller built), so nothing can be said either way.
// Known with neither flag set means the document was read and lists the
// method under none of them, as with a method found in verificationMethod
// only: it may be used for no proof purpose.
type Relationships struct {
	// Known is true when the method was read from its controller's own
	// document, so the flags below are that document's word.
	Known bool
	// AssertionMethod is true when assertionMethod lists the method.
	AssertionMethod bool
	// Authentication is true when authentication lists the method.
	Authentication bool
}

// AllRelationships is what a method listed under every relationship
// Laurel records has: a did:key method (did:key Method 0.7, "Read") and
// every method Laurel publishes itself.
func AllRelationships() Relationships {
	return Relationships{Known: true, AssertionMethod: true, Authentication: true}
}

// Lists reports whether the relationship named purpose lists the method.
// known is false when Laurel cannot tell: the relationships are not known,
// or purpose is not a relationship Laurel records.
func (r Relationships) Lists(purpose string) (listed, known bool) {
	if !r.Known {
		return false, false
	}
	switch purpose {
	case RelAssertionMethod:
		return r.AssertionMethod, true
	case RelAuthentication:
		return r.Authentication, true
	}
	return false, false
}

// with returns r with the relationship named rel set, and Known.
func (r Relationships) with(rel string) Relationships {
	r.Known = true
	switch rel {
	case RelAssertionMethod:
		r.AssertionMethod = true
	case RelAuthentication:
		r.Authentication = true
	}
	return r
}

// listMember decodes the optional array a document holds under name,
// applying the per-list limit. An absent member is an empty list.
func listMember(doc map[string]json.RawMessage, name string) ([]json.RawMessage, error) {
	raw, ok := doc[name]
	if !ok {
		return nil, nil
	}

	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("decoding %s: not an array: %w", name, ErrMalformed)
	}
	if len(list) > maxVerificationMethods {
		return nil, fmt.Errorf("%s: %d entries exceeds %d: %w",
			name, len(list), maxVerificationMethods, ErrMalformed)
	}
	return list, nil
}

// markReferences records, on every method whose id refs[rel] holds, that
// the relationship rel lists it by reference. Methods are Known either way:
// they were read from the document that says which relationships list them.
func markReferences(methods []VerificationMethod, refs map[string][]string) {
	for i := range methods {
		m := &methods[i]
		m.Relationships.Known = true
		for _, rel := range recordedRelationships {
			if slices.Contains(refs[rel], m.ID) {
				m.Relationships = m.Relationships.with(rel)
			}
		}
	}
}
