package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrations bring a data file from version i to version i+1; the file's
// version is the number of migrations applied. Append only: a released
// migration never changes.
var migrations = []func(tx *bolt.Tx) error{
	createBuckets,
	createStatusBuckets,
	createAccountBuckets,
}

// SchemaVersion is the data file version this Laurel writes.
func SchemaVersion() int { return len(migrations) }

var versionKey = []byte("schema_version")

// migrate runs the pending migrations in one transaction, so a file is
// never left between two versions.
func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists([]byte(meta))
		if err != nil {
			return fmt.Errorf("creating meta bucket: %w", err)
		}

		version := 0
		if raw := m.Get(versionKey); len(raw) == 8 {
			version = int(binary.BigEndian.Uint64(raw))
		}
		if version > len(migrations) {
			return fmt.Errorf("%w: version %d, this Laurel knows %d", ErrVersion, version, len(migrations))
		}

		for i := version; i < len(migrations); i++ {
			if err := migrations[i](tx); err != nil {
				return fmt.Errorf("migrating data file to version %d: %w", i+1, err)
			}
		}
		return m.Put(versionKey, binary.BigEndian.AppendUint64(nil, uint64(len(migrations))))
	})
}

func createBuckets(tx *bolt.Tx) error {
	for _, b := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
			return fmt.Errorf("creating bucket %s: %w", b, err)
		}
	}
	return nil
}

// createStatusBuckets adds the buckets of credential status (version 2).
func createStatusBuckets(tx *bolt.Tx) error {
	for _, b := range []Bucket{StatusLists, StatusRecords} {
		if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
			return fmt.Errorf("creating bucket %s: %w", b, err)
		}
	}
	return nil
}

// createAccountBuckets adds the buckets of signing in on the web pages
// (version 3).
func createAccountBuckets(tx *bolt.Tx) error {
	for _, b := range []Bucket{Passwords, Invitations, Sessions} {
		if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
			return fmt.Errorf("creating bucket %s: %w", b, err)
		}
	}
	return nil
}
