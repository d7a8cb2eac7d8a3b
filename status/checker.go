package status

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/laurel-badges/laurel/proof"
)

// MaxEntries bounds the credentialStatus entries one credential may carry:
// each may cost a fetch and a proof verification, and no real credential
// needs more than a revocation and a suspension entry.
const MaxEntries = 8

// maxListOverhead is what a list document may hold besides its encoded
// list: context, ids, dates and a few proofs.
const maxListOverhead = 64 << 10

// Config configures a Checker.
type Config struct {
	// Fetch returns the document published at a status list URL: the
	// BitstringStatusListCredential, or a 1EdTech revocation list. The
	// caller decides where it comes from (its own store, a safe HTTP
	// client) and should bound its size and time. Nil means no list can be
	// retrieved, and every remote status is Unknown.
	Fetch func(ctx context.Context, url string) ([]byte, error)
	// Engine verifies the proofs of list credentials; required.
	Engine *proof.Engine
	// Resolver finds the keys those proofs name; required.
	Resolver proof.Resolver
	// Suites lists the cryptosuites accepted on list credentials. Nil
	// means every suite the Engine knows.
	Suites []string
	// Now tells the time for validity periods. Nil means time.Now.
	Now func() time.Time
	// MaxListBytes bounds a decoded bitstring; the encodedList and the
	// fetched document are bounded by the most such a list can need. Zero
	// means DefaultMaxListBytes.
	MaxListBytes int
}

// Checker checks the credentialStatus entries of credentials (§3.2). It
// keeps nothing between calls and is safe for concurrent use.
type Checker struct {
	fetch    func(ctx context.Context, url string) ([]byte, error)
	engine   *proof.Engine
	resolver proof.Resolver
	suites   []string
	now      func() time.Time
	maxList  int
	maxDoc   int
}

// New returns a Checker for cfg, or an error when a required field is
// missing or a limit is negative.
func New(cfg Config) (*Checker, error) {
	if cfg.Engine == nil || cfg.Resolver == nil {
		return nil, errors.New("status: checker needs an engine and a resolver")
	}
	if cfg.MaxListBytes < 0 {
		return nil, fmt.Errorf("status: negative MaxListBytes %d", cfg.MaxListBytes)
	}

	c := &Checker{fetch: cfg.Fetch, engine: cfg.Engine, resolver: cfg.Resolver,
		suites: cfg.Suites, now: cfg.Now, maxList: cfg.MaxListBytes}
	if c.now == nil {
		c.now = time.Now
	}
	if c.maxList == 0 {
		c.maxList = DefaultMaxListBytes
	}
	c.maxDoc = maxEncodedLen(c.maxList) + maxListOverhead

	return c, nil
}

// Check returns one Result per credentialStatus entry of credential, in
// document order; credentialStatus may be one object or an array
// (VC Data Model 2.0 §4.10). No entry means no results. Every entry is
// checked, and each list is fetched and verified once per call however
// many entries name it. A credentialStatus that is neither, or has more
// than MaxEntries entries, gives a single Unknown Result.
func (c *Checker) Check(ctx context.Context, credential map[string]any) []Result {
	entries, refused := statusEntries(credential["credentialStatus"])
	if refused != nil {
		return []Result{*refused}
	}

	run := &checkRun{
		checker:     c,
		ctx:         ctx,
		issuer:      idOf(credential["issuer"]),
		credID:      stringOf(credential["id"]),
		lists:       make(map[string]*bitstringList),
		revocations: make(map[string]*revocationList),
	}

	results := make([]Result, 0, len(entries))
	for _, e := range entries {
		results = append(results, run.one(e))
	}
	return results
}

// statusEntries lists the entries, or explains why none can be read.
func statusEntries(v any) ([]any, *Result) {
	var entries []any
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		entries = v
	case map[string]any:
		entries = []any{v}
	default:
		err := fmt.Errorf("credentialStatus is a %T: %w", v, ErrMalformedEntry)
		r := Result{Index: -1}.fail(explain(err,
			"The credential's status property is neither an entry nor a list of entries."))
		return nil, &r
	}

	if n := len(entries); n > MaxEntries {
		err := fmt.Errorf("%d status entries, more than %d: %w", n, MaxEntries, ErrMalformedEntry)
		r := Result{Index: -1}.fail(explain(err,
			fmt.Sprintf("The credential has %d status entries; Laurel checks %d at most.",
				n, MaxEntries)))
		return nil, &r
	}
	return entries, nil
}

// checkRun is the state of one Check call: the credential's issuer and id,
// and the lists already retrieved.
type checkRun struct {
	checker     *Checker
	ctx         context.Context
	issuer      string
	credID      string
	lists       map[string]*bitstringList
	revocations map[string]*revocationList
}

// one checks a single entry according to its type.
func (run *checkRun) one(v any) Result {
	entry, ok := v.(map[string]any)
	if !ok {
		err := fmt.Errorf("status entry is a %T: %w", v, ErrMalformedEntry)
		return Result{Index: -1}.fail(explain(err, "A status entry is not an object."))
	}

	switch t := entryType(entry["type"]); t {
	case TypeEntry:
		return run.bitstring(entry)
	case Type1EdTechRevocList:
		return run.revocationEntry(entry)
	default:
		r := Result{Entry: entry, Index: -1, Purpose: stringOf(entry["statusPurpose"])}
		return r.unknown(fmt.Errorf("status type %q: %w", clip(t), ErrUnknownType),
			fmt.Sprintf("Laurel cannot check a status entry of type %q.", clip(t)))
	}
}

// entryType returns the entry's type, picking a known one out of an array.
func entryType(v any) string {
	if s, ok := v.(string); ok {
		return s
	}

	list, _ := v.([]any)
	for _, t := range list {
		if t == TypeEntry || t == Type1EdTechRevocList {
			return t.(string)
		}
	}
	return clip(fmt.Sprint(v))
}

// idOf returns the id of a value that is an identifier string or an object
// with an id, as issuer may be (VC Data Model 2.0 §4.7).
func idOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		return stringOf(m["id"])
	}
	return stringOf(v)
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}

// clip shortens untrusted text before it goes into a message, so a hostile
// document cannot fill logs and reports.
func clip(s string) string {
	const maxShown = 120
	if len(s) <= maxShown {
		return s
	}
	return s[:maxShown] + "..."
}
