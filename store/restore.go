package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Restore replaces the data file at path with the snapshot read from r.
// The snapshot is written beside the file, opened and checked (it must be a
// Laurel data file this version can read) and only then renamed over path,
// so a bad or partial snapshot never replaces good data. The file at path
// must not be open: Restore takes its lock first and fails with ErrInUse
// while a server is running on it.
func Restore(path string, r io.Reader) error {
	if _, err := os.Stat(path); err == nil {
		held, err := Open(path, Options{})
		if err != nil {
			return err
		}
		defer held.Close()
	}

	tmp, err := writeTemp(filepath.Dir(path), r)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)

	check, err := Open(tmp, Options{})
	if err != nil {
		return fmt.Errorf("checking snapshot: %w", err)
	}
	if err := check.Close(); err != nil {
		return fmt.Errorf("checking snapshot: %w", err)
	}

	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("putting snapshot in place: %w", err)
	}
	return nil
}

func writeTemp(dir string, r io.Reader) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating data folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".restore-*")
	if err != nil {
		return "", fmt.Errorf("creating snapshot file: %w", err)
	}

	_, err = io.Copy(f, r)
	err = errors.Join(err, f.Sync(), f.Close())
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing snapshot file: %w", err)
	}
	if err := os.Chmod(f.Name(), 0o600); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
