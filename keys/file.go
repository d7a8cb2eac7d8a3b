package keys

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// pemTypePKCS8 is the RFC 7468 §10 label for an unencrypted PKCS#8 key.
const pemTypePKCS8 = "PRIVATE KEY"

// maxKeyFileSize bounds what Load reads; a 8192-bit RSA key in PEM is under
// 7 KiB.
const maxKeyFileSize = 64 << 10

// Load reads a key written by Save: one PEM block of type "PRIVATE KEY"
// holding a PKCS#8 Ed25519, P-256 or RSA key. Error messages name the file and
// the step, never the key bytes.
func Load(path string) (*Key, error) {
	data, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	// Best effort: the parsed key still lives in memory, but no extra copy of
	// the encoded secret lingers in this buffer.
	defer clear(data)

	k, err := parsePEM(data)
	if err != nil {
		return nil, fmt.Errorf("loading key %s: %w", path, err)
	}

	return k, nil
}

// readBounded reads at most maxKeyFileSize bytes of path and refuses larger
// files, so a wrong path (a log, a disk image) fails fast.
func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening key file: %w", err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("reading key file %s: larger than %d bytes: %w",
			path, maxKeyFileSize, ErrMalformed)
	}

	return data, nil
}

// parsePEM decodes exactly one PKCS#8 PEM block; anything after it other
// than whitespace is refused so two keys in one file cannot be confused.
func parsePEM(data []byte) (*Key, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("decoding pem: no pem block: %w", ErrMalformed)
	}
	defer clear(block.Bytes)

	if block.Type != pemTypePKCS8 || len(block.Headers) != 0 {
		return nil, fmt.Errorf("decoding pem: want an unencrypted %q block: %w",
			pemTypePKCS8, ErrMalformed)
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("decoding pem: trailing data after key: %w", ErrMalformed)
	}

	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parsing pkcs8: %w: %w", ErrMalformed, err)
	}

	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("parsing pkcs8: key type %T: %w", priv, ErrUnsupported)
	}

	return FromSigner(signer)
}

// Save writes the key to path as PKCS#8 PEM with mode 0600, creating missing
// parent directories with mode 0700. It refuses to replace an existing file
// (ErrExists). The key is written to a temporary file in the same directory,
// synced, and then hard-linked into place, which fails atomically if path
// exists; so a crash leaves either no key file or a whole one. Keys held by a
// KMS cannot be exported and give ErrUnsupported.
func (k *Key) Save(path string) error {
	der, err := x509.MarshalPKCS8PrivateKey(k.signer)
	if err != nil {
		return fmt.Errorf("saving key: exporting pkcs8: %w: %w", ErrUnsupported, err)
	}
	defer clear(der)

	block := pem.EncodeToMemory(&pem.Block{Type: pemTypePKCS8, Bytes: der})
	defer clear(block)

	if err := ensureAbsent(path); err != nil {
		return err
	}

	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving key: creating directory: %w", err)
	}

	return writeNew(dir, path, block)
}

// ensureAbsent fails early with ErrExists, before any work touches the disk.
func ensureAbsent(path string) error {
	_, err := os.Lstat(path)
	if err == nil {
		return fmt.Errorf("saving key %s: %w", path, ErrExists)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("saving key %s: checking path: %w", path, err)
	}

	return nil
}

// writeNew writes data to a synced temporary file in dir and links it to
// path. The link, not the earlier check, is what guarantees no overwrite.
func writeNew(dir, path string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".laurel-key-*")
	if err != nil {
		return fmt.Errorf("saving key: creating temporary file: %w", err)
	}
	defer os.Remove(tmp.Name())

	if err := writeSynced(tmp, data); err != nil {
		return fmt.Errorf("saving key: %w", err)
	}

	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("saving key %s: %w", path, ErrExists)
		}
		return fmt.Errorf("saving key: linking into place: %w", err)
	}

	return syncDir(dir)
}

// writeSynced sets mode 0600 explicitly (CreateTemp already does, but the
// mode is the point), writes, flushes to disk and closes f.
func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("setting mode: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("syncing: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing: %w", err)
	}

	return nil
}

// syncDir flushes the directory entry so the new name survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("saving key: opening directory for sync: %w", err)
	}
	defer d.Close()

	if err := d.Sync(); err != nil {
		return fmt.Errorf("saving key: syncing directory: %w", err)
	}

	return nil
}
