package issuer

import (
	"encoding/json"

	"github.com/laurel-badges/laurel/store"
)

// AuditEntry is one audit record as the administrators' audit page shows
// it: its number, and the names of the people its actor and target are.
type AuditEntry struct {
	Seq uint64 `json:"seq"`
	AuditRecord
	// ActorName and TargetName are empty when the id names no person (the
	// system, an unknown email, a credential).
	ActorName  string `json:"actorName,omitempty"`
	TargetName string `json:"targetName,omitempty"`
}

// AuditPage is one page of the audit record, newest first.
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	// Older is the before of the next older page; zero when this page
	// reaches the first record.
	Older uint64 `json:"older,omitempty"`
	// HasNewer says whether newer records exist; Newer is then the before
	// of the next newer page, zero meaning the newest page.
	HasNewer bool   `json:"hasNewer"`
	Newer    uint64 `json:"newer,omitempty"`
}

// RecentAudits returns up to limit audit records numbered below before,
// newest first (before 0: the newest records), since an auditor starts
// from what happened last. Only administrators read the record; a refusal
// is itself audited.
func (s *Service) RecentAudits(actor *User, before uint64, limit int) (*AuditPage, error) {
	if err := s.require(actor, "audit.read", RoleAdmin); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}

	page := &AuditPage{}
	err := s.db.View(func(tx *store.Tx) error {
		names := newNameCache(tx)
		err := tx.AuditsBefore(before, func(seq uint64, raw []byte) bool {
			if len(page.Entries) == limit {
				page.Older = page.Entries[limit-1].Seq
				return false
			}
			page.Entries = append(page.Entries, auditEntry(seq, raw, names))
			return true
		})
		if err != nil || before == 0 {
			return err
		}
		edge := before
		if len(page.Entries) > 0 {
			edge = page.Entries[0].Seq + 1
		}
		page.Newer, page.HasNewer, err = newerAudits(tx, edge, limit)
		return err
	})
	return page, err
}

// auditEntry decodes one record. A record that cannot be read is still
// shown, as such: an auditor must see that it is there.
func auditEntry(seq uint64, raw []byte, names *nameCache) AuditEntry {
	var rec AuditRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		rec = AuditRecord{Action: "unreadable", Detail: "this record could not be decoded"}
	}
	return AuditEntry{Seq: seq, AuditRecord: rec, ActorName: names.person(rec.Actor),
		TargetName: names.person(rec.Target)}
}

// newerAudits finds the page of up to limit records from sequence number
// from on: whether there is one, and its before (zero when it is the
// newest page).
func newerAudits(tx *store.Tx, from uint64, limit int) (uint64, bool, error) {
	var before uint64
	n := 0
	err := tx.Audits(from, func(seq uint64, _ []byte) bool {
		if n == limit {
			before = seq
			return false
		}
		n++
		return true
	})
	return before, n > 0, err
}

// person returns the name of the person id names, or "" when it names
// none.
func (n *nameCache) person(id string) string {
	if id == "" {
		return ""
	}
	return n.user(id).Name
}
