package issuer

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/store"
)

// maxCachedLists bounds the signed lists kept in memory: about 25 KB
// each, so the cache stays under 30 MB.
const maxCachedLists = 1024

// listCache keeps the last signed document of each list, so a list is
// signed once per version however often it is fetched.
type listCache struct {
	mu    sync.Mutex
	lists map[string]*signedList
}

// signedList is one list's signed document. Its mutex is held while the
// list is read and signed, so concurrent fetches after a change sign once.
type signedList struct {
	mu      sync.Mutex
	version uint64
	doc     []byte
}

// entry returns the cache slot of a list, evicting another when full.
func (c *listCache) entry(name string) *signedList {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lists == nil {
		c.lists = map[string]*signedList{}
	}
	if e, ok := c.lists[name]; ok {
		return e
	}
	if len(c.lists) >= maxCachedLists {
		for k := range c.lists {
			delete(c.lists, k)
			break
		}
	}
	e := &signedList{}
	c.lists[name] = e
	return e
}

// StatusList returns the signed BitstringStatusListCredential (§2.2) of the
// list named issuer/purpose/number, and the version it shows. The list is
// read after any status change acknowledged before the call, and a cached
// document is served only when it is at least that version: what is
// served is never older than the last acknowledged change.
func (s *Service) StatusList(ctx context.Context, name string) ([]byte, uint64, error) {
	e := s.lists.entry(name)
	e.mu.Lock()
	defer e.mu.Unlock()

	l, err := s.readList(name)
	if err != nil {
		return nil, 0, err
	}
	if e.doc != nil && e.version >= l.Version {
		return e.doc, e.version, nil
	}
	return s.resign(ctx, e, l)
}

// PublishStatusList signs the list named issuer/purpose/number anew, even
// when its bits have not changed (the VC API's publish request), and
// returns the document and its version.
func (s *Service) PublishStatusList(ctx context.Context, name string) ([]byte, uint64, error) {
	e := s.lists.entry(name)
	e.mu.Lock()
	defer e.mu.Unlock()

	l, err := s.readList(name)
	if err != nil {
		return nil, 0, err
	}
	return s.resign(ctx, e, l)
}

// FetchStatusList returns the signed list published at url when it is one
// of this office's lists. It has the shape of verifier.Config.StatusFetch,
// so a verifier in the same process reads the office's lists without a
// network round trip.
func (s *Service) FetchStatusList(ctx context.Context, url string) ([]byte, error) {
	name, ok := strings.CutPrefix(url, s.publicURL+"/status/")
	if !ok {
		return nil, fmt.Errorf("%s is not a status list of this office: %w", url, ErrNotFound)
	}
	doc, _, err := s.StatusList(ctx, name)
	return doc, err
}

func (s *Service) readList(name string) (*statusList, error) {
	var l *statusList
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		l, err = getList(tx, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading status list %s: %w", name, err)
	}
	return l, nil
}

// resign signs l with its issuer's active key and caches the result in e,
// whose lock the caller holds.
func (s *Service) resign(ctx context.Context, e *signedList, l *statusList) ([]byte, uint64, error) {
	doc, err := s.signList(l)
	if err != nil {
		return nil, 0, err
	}
	e.doc, e.version = doc, l.Version
	s.log.DebugContext(ctx, "status list signed", "list", l.name(), "version", l.Version)
	return doc, l.Version, nil
}

// signList builds the list credential (§2.2) and signs it with the
// issuer's active Data Integrity key, as the issuer of the credentials
// that point at it (§3.2 requires the same issuer).
func (s *Service) signList(l *statusList) ([]byte, error) {
	iss, err := s.Issuer(l.Issuer)
	if err != nil {
		return nil, err
	}
	signer, err := s.signer(iss)
	if err != nil {
		return nil, err
	}

	bits, err := l.bitstring()
	if err != nil {
		return nil, fmt.Errorf("building status list %s: %w", l.name(), err)
	}
	cred, err := status.Credential(s.StatusListURL(l.name()), signer.Issuer(), l.Purpose, bits, l.Created)
	if err != nil {
		return nil, err
	}

	doc, err := signer.Sign(cred, SignOptions{Created: s.now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("signing status list %s: %w", l.name(), err)
	}
	return doc, nil
}
