package issuer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/store"
)

// Every issuer keeps W3C Bitstring Status Lists (Bitstring Status List
// v1.0), one open list per purpose. A credential gets a random unused
// index in the open list of each purpose; a list is closed to new
// credentials once listFullPercent of it is handed out, and the next
// number is opened.
const (
	// listBits is the size of every list: the §2.2 minimum of 131,072
	// entries (16 KiB), so that one list hides each teacher among many
	// ("Revocation Bitstring Length", Privacy Considerations). It is a
	// power of two, which keeps randomIndex unbiased.
	listBits = status.MinBits
	// listFullPercent bounds how full an open list gets, so a random pick
	// finds an unused index in a few tries.
	listFullPercent = 90
)

// checkPurposes accepts revocation and suspension, each at most once
// (§2.1 statusPurpose; the message purposes need several bits per entry).
func checkPurposes(purposes []string) error {
	seen := map[string]bool{}
	for _, p := range purposes {
		if p != status.PurposeRevocation && p != status.PurposeSuspension || seen[p] {
			return fmt.Errorf("%w: status purposes are revocation and suspension, each once, not %q",
				ErrInvalid, purposes)
		}
		seen[p] = true
	}
	return nil
}

// statusList is one Bitstring Status List. The StatusLists bucket keeps
// it under three keys: "list/issuer/purpose/number" (this record, as
// JSON), "bits/..." and "allocated/..." (the two bitmaps, 16 KiB each,
// stored raw so a change does not re-encode them as JSON).
type statusList struct {
	Issuer  string `json:"issuer"`
	Purpose string `json:"purpose"`
	Number  int    `json:"number"`
	// Bits is the published bitstring (§2.2): bit 0 is the most
	// significant bit of the first byte.
	Bits []byte `json:"-"`
	// Allocated marks the indexes handed out, in the same layout.
	Allocated []byte `json:"-"`
	Count     int    `json:"count"`
	// Version counts the changes of Bits; the published document is
	// signed anew for each version.
	Version uint64    `json:"version"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// listHead points at the open list of an issuer and purpose, under
// "head/issuer/purpose".
type listHead struct {
	Number int `json:"number"`
}

func (l *statusList) name() string { return listName(l.Issuer, l.Purpose, l.Number) }

func listName(issuerID, purpose string, n int) string {
	return issuerID + "/" + purpose + "/" + strconv.Itoa(n)
}

func listKey(name string) string { return "list/" + name }

func bitsKey(name string) string { return "bits/" + name }

func allocatedKey(name string) string { return "allocated/" + name }

func headKey(issuerID, purpose string) string { return "head/" + issuerID + "/" + purpose }

// StatusListURL is where the list a StatusEntry names is published: the
// public URL followed by /status/issuer/purpose/number.
func (s *Service) StatusListURL(list string) string {
	return s.publicURL + "/status/" + list
}

// StatusEntryJSON returns the BitstringStatusListEntry (§2.1) a credential
// carries for e.
func (s *Service) StatusEntryJSON(e StatusEntry) map[string]any {
	return status.Entry(s.StatusListURL(e.List), e.Purpose, e.Index)
}

// statusJSON is the credentialStatus value for entries: one object, or an
// array of them.
func (s *Service) statusJSON(entries []StatusEntry) any {
	if len(entries) == 1 {
		return s.StatusEntryJSON(entries[0])
	}
	out := make([]any, len(entries))
	for i, e := range entries {
		out[i] = s.StatusEntryJSON(e)
	}
	return out
}

// ReserveStatus hands out, for a credential about to be signed, one random
// unused index in the issuer's open list of each purpose. Reserving comes
// before signing because the entries are inside the signed credential. A
// reserved index whose credential is never stored (signing failed, or a
// concurrent approval won) stays allocated and clear: harmless, since no
// credential points at it.
func (s *Service) ReserveStatus(issuerID string, purposes ...string) ([]StatusEntry, error) {
	if err := checkPurposes(purposes); err != nil {
		return nil, err
	}

	var entries []StatusEntry
	err := s.db.Batch(func(tx *store.Tx) error {
		// A batch may run this more than once; each run starts afresh.
		entries = entries[:0]
		for _, p := range purposes {
			e, err := s.reserveOne(tx, issuerID, p)
			if err != nil {
				return err
			}
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reserving status list entries: %w", err)
	}
	return entries, nil
}

func (s *Service) reserveOne(tx *store.Tx, issuerID, purpose string) (StatusEntry, error) {
	l, err := s.openList(tx, issuerID, purpose)
	if err != nil {
		return StatusEntry{}, err
	}

	index := l.pick()
	l.Allocated[index/8] |= mask(index)
	l.Count++
	if err := putList(tx, l, l.Count == 1); err != nil {
		return StatusEntry{}, err
	}
	return StatusEntry{Purpose: purpose, List: l.name(), Index: index}, nil
}

// openList returns the list new credentials of issuerID get an index in
// for purpose, opening the next one when the current list is full.
func (s *Service) openList(tx *store.Tx, issuerID, purpose string) (*statusList, error) {
	var head listHead
	err := tx.Get(store.StatusLists, headKey(issuerID, purpose), &head)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if head.Number > 0 {
		l, err := getList(tx, listName(issuerID, purpose, head.Number))
		if err != nil {
			return nil, err
		}
		if l.Count < listBits*listFullPercent/100 {
			return l, nil
		}
	}

	head.Number++
	if err := tx.Put(store.StatusLists, headKey(issuerID, purpose), head); err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Second)
	return &statusList{Issuer: issuerID, Purpose: purpose, Number: head.Number,
		Bits: make([]byte, listBits/8), Allocated: make([]byte, listBits/8),
		Created: now, Updated: now}, nil
}

// getList reads a list, with copies of its bitmaps that the caller may
// change (bbolt's own bytes are read-only).
func getList(tx *store.Tx, name string) (*statusList, error) {
	var l statusList
	if err := tx.Get(store.StatusLists, listKey(name), &l); err != nil {
		return nil, notFound(err)
	}
	for _, m := range []struct {
		key string
		dst *[]byte
	}{{bitsKey(name), &l.Bits}, {allocatedKey(name), &l.Allocated}} {
		raw, err := tx.GetRaw(store.StatusLists, m.key)
		if err != nil {
			return nil, err
		}
		if len(raw) != listBits/8 {
			return nil, fmt.Errorf("status list %s holds %d bits, want %d", name, len(raw)*8, listBits)
		}
		*m.dst = bytes.Clone(raw)
	}
	return &l, nil
}

// putList writes the record and the allocation map, and the bits when
// withBits is set.
func putList(tx *store.Tx, l *statusList, withBits bool) error {
	name := l.name()
	if err := tx.Put(store.StatusLists, listKey(name), l); err != nil {
		return err
	}
	if withBits {
		if err := tx.PutRaw(store.StatusLists, bitsKey(name), l.Bits); err != nil {
			return err
		}
	}
	return tx.PutRaw(store.StatusLists, allocatedKey(name), l.Allocated)
}

// pick returns a random index not yet handed out. The list is at most
// listFullPercent full, so each try succeeds with probability at least
// 1/10.
func (l *statusList) pick() int {
	for {
		i := randomIndex()
		if l.Allocated[i/8]&mask(i) == 0 {
			return i
		}
	}
}

// randomIndex draws uniformly from [0, listBits) with crypto/rand, so the
// indexes reveal nothing about the order of issuance (§6.3 Privacy
// Considerations, "Correlation Risks").
func randomIndex() int {
	return int(binary.BigEndian.Uint32(randomBytes(4)) % listBits)
}

func mask(index int) byte { return 0x80 >> (index % 8) }

// setBit sets or clears the bit of entry, and counts a new version of the
// list when the bit changed. It reads the list inside tx, so concurrent
// changes to one list never overwrite each other.
func (s *Service) setBit(tx *store.Tx, e StatusEntry, v bool) error {
	l, err := getList(tx, e.List)
	if err != nil {
		return err
	}
	if e.Index < 0 || e.Index >= listBits {
		return fmt.Errorf("status list %s has no index %d", e.List, e.Index)
	}

	set := l.Bits[e.Index/8]&mask(e.Index) != 0
	if set == v {
		return nil
	}
	l.Bits[e.Index/8] ^= mask(e.Index)
	l.Version++
	l.Updated = s.now().UTC()
	if err := tx.Put(store.StatusLists, listKey(e.List), l); err != nil {
		return err
	}
	return tx.PutRaw(store.StatusLists, bitsKey(e.List), l.Bits)
}

// bitstring returns the list's bits as a status.List.
func (l *statusList) bitstring() (*status.List, error) {
	out, err := status.NewList(len(l.Bits) * 8)
	if err != nil {
		return nil, err
	}
	for i, b := range l.Bits {
		for j := 0; b != 0; j++ {
			if b&0x80 != 0 {
				if err := out.Set(i*8+j, true); err != nil {
					return nil, err
				}
			}
			b <<= 1
		}
	}
	return out, nil
}
