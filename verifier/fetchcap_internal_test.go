package verifier

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Checks that fetch at the same time share one ledger safely: each URL is
// fetched once however many ask for it, and no more URLs than the limit
// are fetched.
func TestLedgerConcurrent(t *testing.T) {
	const limit, urls, callers = 4, 6, 48
	var calls [urls]atomic.Int32
	f := counted(func(_ context.Context, url string) ([]byte, error) {
		var i int
		fmt.Sscanf(url, "https://x.example/%d", &i)
		calls[i].Add(1)
		time.Sleep(time.Millisecond)
		return []byte(url), nil
	})
	ctx := context.WithValue(context.Background(), ledgerKey{}, &ledger{max: limit, docs: map[string]*fetched{}})

	var wg sync.WaitGroup
	var refused atomic.Int32
	for c := range callers {
		wg.Go(func() {
			url := fmt.Sprintf("https://x.example/%d", c%urls)
			data, err := f(ctx, url)
			switch {
			case errors.Is(err, ErrTooManyFetches):
				refused.Add(1)
			case err != nil || string(data) != url:
				t.Errorf("%s: %q %v", url, data, err)
			}
		})
	}
	wg.Wait()

	fetched := 0
	for i := range calls {
		switch n := calls[i].Load(); n {
		case 0:
		case 1:
			fetched++
		default:
			t.Errorf("url %d fetched %d times", i, n)
		}
	}
	if fetched != limit || int(refused.Load()) != (urls-limit)*callers/urls {
		t.Fatalf("%d urls fetched, %d callers refused", fetched, refused.Load())
	}
}

// Without a verification in progress nothing is counted, and a fetch
// function wrapped twice counts once.
func TestLedgerNesting(t *testing.T) {
	var calls atomic.Int32
	inner := counted(func(context.Context, string) ([]byte, error) { calls.Add(1); return []byte("{}"), nil })
	outer := counted(func(ctx context.Context, url string) ([]byte, error) { return inner(ctx, url) })

	for range 3 {
		if _, err := outer(context.Background(), "https://x.example/a"); err != nil {
			t.Fatal(err)
		}
	}
	l := &ledger{max: 1, docs: map[string]*fetched{}}
	ctx := context.WithValue(context.Background(), ledgerKey{}, l)
	if _, err := outer(ctx, "https://x.example/a"); err != nil {
		t.Fatalf("one url under a limit of one: %v", err)
	}
	if _, err := outer(ctx, "https://x.example/b"); !errors.Is(err, ErrTooManyFetches) {
		t.Fatalf("second url: %v", err)
	}
	if calls.Load() != 4 || len(l.docs) != 1 {
		t.Fatalf("%d calls, %d documents in the ledger", calls.Load(), len(l.docs))
	}
}
