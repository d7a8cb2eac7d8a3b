package status

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// bitstring checks a BitstringStatusListEntry by the Validate Algorithm
// (§3.2): read the entry, retrieve and verify the list (step 4), match the
// purpose (step 5), expand the list (steps 8-9) and read the bit (step 10).
func (run *checkRun) bitstring(entry map[string]any) Result {
	r, err := readEntry(entry)
	if err != nil {
		return r.fail(err)
	}

	list, err := run.list(r.ListURL)
	if err != nil {
		return r.fail(err)
	}

	if !slices.Contains(list.purposes, r.Purpose) {
		return r.fail(purposeMismatch(r, list.purposes))
	}

	set, err := list.bits.Get(r.Index)
	if err != nil {
		reason := fmt.Sprintf("Entry %d lies outside the status list at %s, which has %d entries.",
			r.Index, clip(r.ListURL), list.bits.Len())
		return r.fail(explain(err, reason))
	}
	return decide(r, set)
}

func purposeMismatch(r Result, listPurposes []string) error {
	listSays := clip(strings.Join(listPurposes, " and "))
	err := fmt.Errorf("list purpose %s, entry purpose %q: %w", listSays, r.Purpose, ErrListInvalid)
	reason := fmt.Sprintf("The status list at %s records %s, but the entry asks about %s.",
		clip(r.ListURL), listSays, r.Purpose)
	return explain(err, reason)
}

// decide turns the bit into a status (§2.1: a set bit means the purpose
// applies, a clear bit that it does not).
func decide(r Result, set bool) Result {
	where := fmt.Sprintf("entry %d of %s", r.Index, clip(r.ListURL))
	switch {
	case set && r.Purpose == PurposeRevocation:
		r.Status = Revoked
		r.Reason = "The issuer has revoked this credential (" + where + " is set)."
	case set:
		r.Status = Suspended
		r.Reason = "The issuer has suspended this credential (" + where + " is set)."
	default:
		r.Status = Active
		r.Reason = "The issuer has not " + pastTense(r.Purpose) + " this credential (" +
			where + " is clear)."
	}
	return r
}

func pastTense(purpose string) string {
	if purpose == PurposeSuspension {
		return "suspended"
	}
	return "revoked"
}

// readEntry reads the properties §2.1 defines, filling the Result as it
// goes so a failure still shows what was understood.
func readEntry(entry map[string]any) (Result, error) {
	r := Result{Entry: entry, Index: -1, Purpose: stringOf(entry["statusPurpose"]),
		ListURL: stringOf(entry["statusListCredential"])}

	if r.Purpose == "" {
		return r, malformed("no statusPurpose string",
			"The status entry does not say what it is for (statusPurpose).")
	}
	if !isAbsoluteURL(r.ListURL) {
		return r, malformed("statusListCredential is not an absolute URL",
			"The status entry does not give the address of its status list (statusListCredential).")
	}

	index, err := readIndex(entry["statusListIndex"])
	if err != nil {
		return r, err
	}
	r.Index = index

	if err := readSize(entry); err != nil {
		return r, err
	}
	if !supportedPurpose(r.Purpose) {
		err := fmt.Errorf("status purpose %q: %w", clip(r.Purpose), ErrUnsupported)
		reason := fmt.Sprintf("Laurel checks revocation and suspension, not %q.", clip(r.Purpose))
		return r, explain(err, reason)
	}
	return r, nil
}

func malformed(detail, reason string) error {
	return explain(fmt.Errorf("%s: %w", detail, ErrMalformedEntry), reason)
}

// readIndex reads statusListIndex. §2.1 requires a base-10 string; a JSON
// number is accepted too, leniently, because the 1EdTech validator's
// fixtures and the OB 3.0 examples write one (statusListIndex: 23). A
// number must be a non-negative integer.
func readIndex(v any) (int, error) {
	bad := malformed("statusListIndex is not a non-negative base-10 integer",
		"The status entry's position in its list (statusListIndex) is not a whole number.")

	switch v := v.(type) {
	case string:
		return indexFromString(v, bad)
	case json.Number:
		return indexFromString(v.String(), bad)
	case float64:
		if v < 0 || v != math.Trunc(v) || math.IsInf(v, 0) {
			return 0, bad
		}
		if v > math.MaxInt32 {
			return 0, tooFar(fmt.Sprint(v))
		}
		return int(v), nil
	}
	return 0, bad
}

func indexFromString(s string, bad error) (int, error) {
	if s == "" {
		return 0, bad
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, bad
		}
	}

	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, tooFar(s)
	}
	return int(n), nil
}

// tooFar reports an index that is a fine integer but beyond any list.
func tooFar(s string) error {
	return explain(fmt.Errorf("index %s: %w", clip(s), ErrIndexRange),
		fmt.Sprintf("The status entry's position %s lies beyond any status list.", clip(s)))
}

// readSize accepts only statusSize 1, or none (§2.1: absent means 1).
func readSize(entry map[string]any) error {
	v, has := entry["statusSize"]
	if !has {
		return nil
	}

	size, ok := v.(float64)
	if n, isNumber := v.(json.Number); isNumber {
		f, err := n.Float64()
		size, ok = f, err == nil
	}

	switch {
	case ok && size == 1:
		return nil
	case ok && size > 1 && size == math.Trunc(size):
		return explain(fmt.Errorf("statusSize %v: %w", size, ErrUnsupported),
			"The status entry uses several bits per credential (statusSize); Laurel reads one.")
	}
	return malformed("statusSize is not a positive integer",
		"The status entry's statusSize is not a positive whole number.")
}
