package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/store"
)

func open(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(path, store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type record struct {
	Name  string
	Hours float64
}

func TestRecordsSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laurel.db")
	db := open(t, path)

	err := db.Update(func(tx *store.Tx) error {
		return tx.Put(store.Achievements, "a1", record{"Reading Workshop", 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = open(t, path)
	var got record
	if err := db.View(func(tx *store.Tx) error { return tx.Get(store.Achievements, "a1", &got) }); err != nil {
		t.Fatal(err)
	}
	if got != (record{"Reading Workshop", 3}) {
		t.Fatalf("got %+v", got)
	}

	err = db.View(func(tx *store.Tx) error { return tx.Get(store.Achievements, "nope", &got) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

func TestFailedUpdateWritesNothing(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "laurel.db"))
	boom := errors.New("boom")
	err := db.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.Credentials, "c1", record{"x", 1}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	db.View(func(tx *store.Tx) error {
		if tx.Has(store.Credentials, "c1") {
			t.Error("rolled-back write is visible")
		}
		return nil
	})
}

func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laurel.db")
	open(t, path)
	_, err := store.Open(path, store.Options{LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, store.ErrInUse) {
		t.Fatalf("got %v, want ErrInUse", err)
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "laurel.db"))
	err := db.Update(func(tx *store.Tx) error {
		for i := range 3 {
			if _, err := tx.AppendAudit(record{Name: "approve", Hours: float64(i)}); err != nil {
				return err
			}
		}
		if tx.Delete(store.Audit, "x") == nil || tx.PutRaw(store.Audit, "x", nil) == nil {
			t.Error("audit record can be rewritten")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var seqs []uint64
	db.View(func(tx *store.Tx) error {
		return tx.Audits(2, func(seq uint64, _ []byte) bool { seqs = append(seqs, seq); return true })
	})
	if len(seqs) != 2 || seqs[0] != 2 || seqs[1] != 3 {
		t.Fatalf("audit sequence %v", seqs)
	}
}

func TestScanPrefix(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "laurel.db"))
	db.Update(func(tx *store.Tx) error {
		for _, k := range []string{"q/1", "q/2", "r/1", "q/3"} {
			tx.PutRaw(store.Index, k, []byte(k))
		}
		return nil
	})

	var keys []string
	db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Index, "q/", func(k string, _ []byte) (bool, error) {
			keys = append(keys, k)
			return len(keys) < 2, nil
		})
	})
	if len(keys) != 2 || keys[0] != "q/1" || keys[1] != "q/2" {
		t.Fatalf("scan %v", keys)
	}
}

// Backup, wipe, restore: the data comes back identical.
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "laurel.db")
	db := open(t, path)
	db.Update(func(tx *store.Tx) error { return tx.Put(store.Users, "u1", record{"Ada", 12.5}) })

	var snap bytes.Buffer
	if _, err := db.Backup(&snap); err != nil {
		t.Fatal(err)
	}

	if err := store.Restore(path, bytes.NewReader(snap.Bytes())); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("restore over an open file: got %v, want ErrInUse", err)
	}
	db.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}

	if err := store.Restore(path, bytes.NewReader([]byte("not a database"))); err == nil {
		t.Fatal("garbage restored")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a failed restore left a file behind")
	}

	if err := store.Restore(path, bytes.NewReader(snap.Bytes())); err != nil {
		t.Fatal(err)
	}
	db = open(t, path)
	var got record
	if err := db.View(func(tx *store.Tx) error { return tx.Get(store.Users, "u1", &got) }); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Ada" || got.Hours != 12.5 {
		t.Fatalf("restored %+v", got)
	}
}

func TestNewerFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laurel.db")
	db := open(t, path)
	if store.SchemaVersion() < 1 {
		t.Fatal("no schema version")
	}
	db.Close()

	if err := store.SetVersionForTest(path, store.SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(path, store.Options{}); !errors.Is(err, store.ErrVersion) {
		t.Fatalf("got %v, want ErrVersion", err)
	}
}

// A version 1 file gains the status buckets and keeps its records.
func TestMigrationAddsStatusBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "laurel.db")
	db := open(t, path)
	if err := db.Update(func(tx *store.Tx) error { return tx.Put(store.Users, "u1", record{Name: "Ada"}) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := store.DowngradeForTest(path); err != nil {
		t.Fatal(err)
	}

	db = open(t, path)
	err := db.Update(func(tx *store.Tx) error {
		if !tx.Has(store.Users, "u1") {
			return errors.New("record lost in migration")
		}
		if err := tx.PutRaw(store.StatusLists, "k", []byte("v")); err != nil {
			return err
		}
		return tx.PutRaw(store.StatusRecords, "k", []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
}
