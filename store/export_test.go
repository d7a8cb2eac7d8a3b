package store

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"
)

// SetVersionForTest writes a schema version into a closed data file, to
// test how Open treats files from other versions.
func SetVersionForTest(path string, v int) error {
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(meta)).Put(versionKey, binary.BigEndian.AppendUint64(nil, uint64(v)))
	})
}

// DowngradeForTest turns a closed data file back into a version 1 file,
// without the buckets later migrations add, to test the upgrade path.
func DowngradeForTest(path string) error {
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Update(func(tx *bolt.Tx) error {
		for _, name := range []Bucket{StatusLists, StatusRecords} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte(meta)).Put(versionKey, binary.BigEndian.AppendUint64(nil, 1))
	})
}
