// Package store keeps Laurel's state durably in one bbolt file: issuers,
// people, achievements, submissions, credentials and the audit record.
//
// It knows nothing of HTTP or of Open Badges: records are JSON values in
// named buckets, and the issuer package gives them meaning. Every change is
// a bbolt transaction, synced to disk before it is acknowledged (NoSync is
// never set), so an acknowledged credential survives a crash.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Outcomes callers check with errors.Is.
var (
	// ErrNotFound reports a key with no record.
	ErrNotFound = errors.New("not found")
	// ErrInUse reports a data file another process holds open.
	ErrInUse = errors.New("data folder in use by another Laurel process")
	// ErrVersion reports a data file written by a newer Laurel.
	ErrVersion = errors.New("data file is from a newer version of Laurel")
)

// Bucket names a collection of records.
type Bucket string

// The buckets Laurel keeps. Index holds secondary keys that point into the
// others; Audit is append-only.
const (
	Issuers      Bucket = "issuers"
	Users        Bucket = "users"
	Tokens       Bucket = "tokens"
	Clients      Bucket = "clients"
	Achievements Bucket = "achievements"
	Files        Bucket = "files"
	Submissions  Bucket = "submissions"
	Credentials  Bucket = "credentials"
	Index        Bucket = "index"
	Audit        Bucket = "audit"
	meta         Bucket = "meta"
)

// Buckets added by the second migration. StatusLists holds each issuer's
// Bitstring Status Lists (the bits and which indexes are handed out);
// StatusRecords holds the status entries of credentials issued through
// the VC API, which Laurel does not otherwise keep.
const (
	StatusLists   Bucket = "status_lists"
	StatusRecords Bucket = "status_records"
)

// Buckets added by the third migration, for people signing in on the web
// pages. Passwords holds each person's password hash apart from their
// user record, so no listing of users can carry it; Invitations and
// Sessions are keyed by a digest of their secret, never the secret.
const (
	Passwords   Bucket = "passwords"
	Invitations Bucket = "invitations"
	Sessions    Bucket = "sessions"
)

var allBuckets = []Bucket{Issuers, Users, Tokens, Clients, Achievements, Files, Submissions,
	Credentials, Index, Audit, meta}

// DB is an open data file.
type DB struct {
	bolt *bolt.DB
}

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release
	// the file. Zero means one second.
	LockTimeout time.Duration
	// BatchDelay is how long Batch waits for other writers to join a
	// commit. Zero means 2 ms: long enough to share one fsync among
	// concurrent approvals, short enough that a lone request barely waits
	// (bbolt's own default is 10 ms).
	BatchDelay time.Duration
}

// Open opens (creating if needed) the data file at path and brings its
// schema up to date.
func Open(path string, opts Options) (*DB, error) {
	timeout := opts.LockTimeout
	if timeout == 0 {
		timeout = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating data folder: %w", err)
	}

	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}

	b.MaxBatchDelay = 2 * time.Millisecond
	if opts.BatchDelay > 0 {
		b.MaxBatchDelay = opts.BatchDelay
	}
	db := &DB{bolt: b}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the file. Transactions in flight finish first.
func (db *DB) Close() error {
	return db.bolt.Close()
}

// Path returns the data file's path.
func (db *DB) Path() string { return db.bolt.Path() }

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx *Tx) error) error {
	return db.bolt.View(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// Update runs fn in a read-write transaction, committed and synced when fn
// returns nil and rolled back otherwise: nothing is ever half-written.
func (db *DB) Update(fn func(tx *Tx) error) error {
	return db.bolt.Update(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// Batch is Update for many concurrent small writers: bbolt joins them into
// one commit. fn may run more than once and must be idempotent.
func (db *DB) Batch(fn func(tx *Tx) error) error {
	return db.bolt.Batch(func(t *bolt.Tx) error { return fn(&Tx{t: t}) })
}

// Backup writes a consistent snapshot of the whole file to w while the
// database stays in use.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(t *bolt.Tx) error {
		var err error
		n, err = t.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("writing snapshot: %w", err)
	}
	return n, nil
}

// Tx is a transaction. Records are JSON.
type Tx struct {
	t *bolt.Tx
}

func (tx *Tx) bucket(b Bucket) (*bolt.Bucket, error) {
	bk := tx.t.Bucket([]byte(b))
	if bk == nil {
		return nil, fmt.Errorf("bucket %s missing", b)
	}
	return bk, nil
}

// Get decodes the record at key into v, or returns ErrNotFound.
func (tx *Tx) Get(b Bucket, key string, v any) error {
	raw, err := tx.GetRaw(b, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decoding %s/%s: %w", b, key, err)
	}
	return nil
}

// GetRaw returns the bytes stored at key, or ErrNotFound. The slice is
// valid only inside the transaction.
func (tx *Tx) GetRaw(b Bucket, key string) ([]byte, error) {
	bk, err := tx.bucket(b)
	if err != nil {
		return nil, err
	}
	raw := bk.Get([]byte(key))
	if raw == nil {
		return nil, fmt.Errorf("%s/%s: %w", b, key, ErrNotFound)
	}
	return raw, nil
}

// Has reports whether key holds a record.
func (tx *Tx) Has(b Bucket, key string) bool {
	bk, err := tx.bucket(b)
	return err == nil && bk.Get([]byte(key)) != nil
}

// Put stores v, encoded as JSON, at key.
func (tx *Tx) Put(b Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s/%s: %w", b, key, err)
	}
	return tx.PutRaw(b, key, raw)
}

// PutRaw stores bytes at key.
func (tx *Tx) PutRaw(b Bucket, key string, raw []byte) error {
	if b == Audit {
		return errors.New("the audit record is append-only; use AppendAudit")
	}
	bk, err := tx.bucket(b)
	if err != nil {
		return err
	}
	if err := bk.Put([]byte(key), raw); err != nil {
		return fmt.Errorf("writing %s/%s: %w", b, key, err)
	}
	return nil
}

// Delete removes key; removing a missing key is not an error.
func (tx *Tx) Delete(b Bucket, key string) error {
	if b == Audit {
		return errors.New("the audit record is append-only")
	}
	bk, err := tx.bucket(b)
	if err != nil {
		return err
	}
	return bk.Delete([]byte(key))
}

// Scan calls fn for every key starting with prefix, in key order, until fn
// returns false or an error.
func (tx *Tx) Scan(b Bucket, prefix string, fn func(key string, raw []byte) (bool, error)) error {
	bk, err := tx.bucket(b)
	if err != nil {
		return err
	}

	c := bk.Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && hasPrefix(k, p); k, v = c.Next() {
		more, err := fn(string(k), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func hasPrefix(k, p []byte) bool {
	return len(k) >= len(p) && string(k[:len(p)]) == string(p)
}

// AppendAudit adds rec to the audit record under the next sequence number
// and returns that number.
func (tx *Tx) AppendAudit(rec any) (uint64, error) {
	bk, err := tx.bucket(Audit)
	if err != nil {
		return 0, err
	}
	seq, err := bk.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("numbering audit record: %w", err)
	}

	raw, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("encoding audit record: %w", err)
	}
	if err := bk.Put(seqKey(seq), raw); err != nil {
		return 0, fmt.Errorf("writing audit record: %w", err)
	}
	return seq, nil
}

// Audits calls fn for audit records from sequence number from on, oldest
// first, until fn returns false.
func (tx *Tx) Audits(from uint64, fn func(seq uint64, raw []byte) bool) error {
	bk, err := tx.bucket(Audit)
	if err != nil {
		return err
	}
	c := bk.Cursor()
	for k, v := c.Seek(seqKey(from)); k != nil; k, v = c.Next() {
		if !fn(binary.BigEndian.Uint64(k), v) {
			return nil
		}
	}
	return nil
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, seq)
}
