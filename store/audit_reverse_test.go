package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/store"
)

// reverse returns the sequence numbers AuditsBefore(before) gives, up to n.
func reverse(t *testing.T, db *store.DB, before uint64, n int) string {
	t.Helper()
	var got []uint64
	err := db.View(func(tx *store.Tx) error {
		return tx.AuditsBefore(before, func(seq uint64, raw []byte) bool {
			if want := fmt.Sprintf(`{"n":%d}`, seq); string(raw) != want {
				t.Errorf("record %d holds %s", seq, raw)
			}
			got = append(got, seq)
			return len(got) < n
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(got)
}

func TestAuditsBefore(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "laurel.db"))
	if got := reverse(t, db, 0, 10); got != "[]" {
		t.Fatalf("an empty record: %s", got)
	}

	err := db.Update(func(tx *store.Tx) error {
		for i := 1; i <= 5; i++ {
			if _, err := tx.AppendAudit(map[string]int{"n": i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		before uint64
		n      int
		want   string
	}{
		{0, 10, "[5 4 3 2 1]"},
		{0, 2, "[5 4]"},
		{4, 2, "[3 2]"},
		{2, 10, "[1]"},
		{1, 10, "[]"},
		{99, 3, "[5 4 3]"},
	}
	for _, c := range cases {
		if got := reverse(t, db, c.before, c.n); got != c.want {
			t.Errorf("AuditsBefore(%d), %d at most: %s, want %s", c.before, c.n, got, c.want)
		}
	}
}
