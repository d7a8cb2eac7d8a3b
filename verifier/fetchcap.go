package verifier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
)

// DefaultMaxFetches is the number of documents one credential's
// verification may fetch when Config.MaxFetches is zero. A real credential
// needs a DID document or issuer profile, a status list or two, and the
// keys of a few endorsers; a hostile one can name dozens of status lists,
// endorsers and did:web methods, each a request Laurel would make for it.
const DefaultMaxFetches = 8

// ErrTooManyFetches reports a fetch refused because the verification had
// already fetched as many documents as Config.MaxFetches allows. Reports
// show it with the code "input.too_many_fetches" on the check it stopped.
var ErrTooManyFetches = errors.New("too many documents to fetch")

// codeTooManyFetches is the report code of a check cut short by the fetch
// limit, named after its cause like "input.too_complex".
const codeTooManyFetches = "input.too_many_fetches"

// fetchLimitError is ErrTooManyFetches with the limit, worded for reports.
type fetchLimitError struct{ max int }

func (e *fetchLimitError) Error() string {
	return fmt.Sprintf("more than %d documents to fetch for one credential", e.max)
}

func (e *fetchLimitError) Unwrap() error { return ErrTooManyFetches }

// sentence is how a report says it.
func (e *fetchLimitError) sentence() string {
	return "Laurel stopped fetching: there are " + e.Error() + "."
}

// fetchLimitText returns the report sentence for err when it is (or wraps)
// the fetch limit.
func fetchLimitText(err error) (string, bool) {
	var limit *fetchLimitError
	if !errors.As(err, &limit) {
		return "", false
	}
	return limit.sentence(), true
}

// ledgerKey is the context key of the ledger of the verification in
// progress. The ledger is a value of that one verification, not a
// dependency: the Verifier's fetch functions stay its own fields.
type ledgerKey struct{}

// ledger counts and remembers the documents one verification fetches. A
// URL counts once however often it is asked for, and its first answer
// (document or error) serves every later request, so the resolver and the
// binding check can both read an issuer's profile for the price of one.
// A URL counts whether the network or the fetch package's cache answers
// it: the verdict must not depend on what a cache happens to hold.
type ledger struct {
	max  int
	mu   sync.Mutex
	docs map[string]*fetched
}

// fetched is one URL's answer, ready once done is closed.
type fetched struct {
	done chan struct{}
	data []byte
	err  error
}

// withLedger starts a ledger for a verification, unless ctx already
// carries one: an endorsement is checked as part of the credential that
// embeds it, on the same count.
func (v *Verifier) withLedger(ctx context.Context) context.Context {
	if l, _ := ctx.Value(ledgerKey{}).(*ledger); l != nil {
		return ctx
	}
	l := &ledger{max: v.maxFetches, docs: map[string]*fetched{}}
	return context.WithValue(ctx, ledgerKey{}, l)
}

// withoutLedger hides the ledger of ctx: a credential inside a
// presentation starts a count of its own, and a fetch function wrapped
// twice (a status source that falls back to the network) counts once.
func withoutLedger(ctx context.Context) context.Context {
	return context.WithValue(ctx, ledgerKey{}, (*ledger)(nil))
}

// counted makes f count against, and remember through, the ledger of the
// verification in progress. Without a ledger it is f.
func counted(f Fetch) Fetch {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, url string) ([]byte, error) {
		l, _ := ctx.Value(ledgerKey{}).(*ledger)
		if l == nil {
			return f(ctx, url)
		}
		return l.fetch(ctx, url, f)
	}
}

// fetch answers url from the ledger, fetching it with f the first time.
func (l *ledger) fetch(ctx context.Context, url string, f Fetch) ([]byte, error) {
	e, first, err := l.entry(url)
	if err != nil {
		return nil, err
	}

	if first {
		e.data, e.err = f(withoutLedger(ctx), url)
		close(e.done)
	} else {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for %s: %w", url, ctx.Err())
		}
	}

	if e.err != nil {
		return nil, e.err
	}
	return bytes.Clone(e.data), nil
}

// entry returns the entry for url, and whether the caller must fill it,
// or the limit error when url would be one document too many.
func (l *ledger) entry(url string) (*fetched, bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if e, ok := l.docs[url]; ok {
		return e, false, nil
	}
	if len(l.docs) >= l.max {
		return nil, false, fmt.Errorf("not fetching %s: %w", url, &fetchLimitError{max: l.max})
	}
	e := &fetched{done: make(chan struct{})}
	l.docs[url] = e
	return e, true, nil
}
