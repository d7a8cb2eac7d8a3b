package store

import "encoding/binary"

// AuditsBefore calls fn for audit records numbered below before, newest
// first, until fn returns false; before 0 means from the newest record.
// An auditor reads the record from its end, so a page of it costs the
// page, not the whole record.
func (tx *Tx) AuditsBefore(before uint64, fn func(seq uint64, raw []byte) bool) error {
	bk, err := tx.bucket(Audit)
	if err != nil {
		return err
	}
	c := bk.Cursor()
	k, v := c.Last()
	if before > 0 {
		if k, v = c.Seek(seqKey(before)); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	for ; k != nil; k, v = c.Prev() {
		if !fn(binary.BigEndian.Uint64(k), v) {
			return nil
		}
	}
	return nil
}
