package keys

import (
	"crypto"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, typ := range allTypes() {
		t.Run(string(typ), func(t *testing.T) {
			k := newTestKey(t, typ)
			path := filepath.Join(t.TempDir(), "new", "dir", "issuer.pem")
			if err := k.Save(path); err != nil {
				t.Fatalf("Save: %v", err)
			}

			checkMode(t, path, 0o600)
			checkMode(t, filepath.Dir(path), 0o700)

			loaded, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			checkSameKey(t, k, loaded)
		})
	}
}

// checkMode checks a file's permission bits where the platform has them.
func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()

	if runtime.GOOS == "windows" {
		return
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Fatalf("mode of %s = %o, want %o", filepath.Base(path), got, want)
	}
}

// checkSameKey checks type and public key, and that a signature by one
// verifies under the other.
func checkSameKey(t *testing.T, a, b *Key) {
	t.Helper()

	if a.Type() != b.Type() {
		t.Fatalf("type %s != %s", a.Type(), b.Type())
	}
	if !a.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(b.Public()) {
		t.Fatal("public keys differ")
	}

	sig, err := b.SignMessage([]byte("m"))
	if err != nil {
		t.Fatalf("SignMessage: %v", err)
	}
	if err := VerifyMessage(a.Public(), []byte("m"), sig); err != nil {
		t.Fatalf("VerifyMessage: %v", err)
	}
}

func TestSaveRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "issuer.pem")
	first := obTestKey(t)
	if err := first.Save(path); err != nil {
		t.Fatalf("first Save: %v", err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading: %v", err)
	}

	if err := newTestKey(t, Ed25519).Save(path); !errors.Is(err, ErrExists) {
		t.Fatalf("second Save error = %v, want ErrExists", err)
	}

	after, err := os.ReadFile(path)
	if err != nil || string(after) != string(before) {
		t.Fatal("key file changed after a refused Save")
	}
	checkOnlyFiles(t, dir, "issuer.pem")
}

// checkOnlyFiles checks that dir holds exactly the named entries, so no
// temporary file is left behind.
func checkOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading dir: %v", err)
	}

	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("directory holds %v, want %v", got, names)
	}
}

func TestSaveRefusesDanglingSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on windows")
	}

	dir := t.TempDir()
	link := filepath.Join(dir, "issuer.pem")
	if err := os.Symlink(filepath.Join(dir, "elsewhere.pem"), link); err != nil {
		t.Fatalf("symlink: %v", err)
	}

	if err := obTestKey(t).Save(link); !errors.Is(err, ErrExists) {
		t.Fatalf("Save over symlink error = %v, want ErrExists", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "elsewhere.pem")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("Save followed the symlink")
	}
}

// opaqueSigner hides the concrete key type, the way a KMS client would.
type opaqueSigner struct{ inner crypto.Signer }

func (s opaqueSigner) Public() crypto.PublicKey { return s.inner.Public() }

func (s opaqueSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return s.inner.Sign(r, digest, opts)
}

func TestOpaqueSignerSignsButIsNotSaved(t *testing.T) {
	for _, typ := range allTypes() {
		k, err := FromSigner(opaqueSigner{inner: newTestKey(t, typ).Signer()})
		if err != nil {
			t.Fatalf("FromSigner: %v", err)
		}

		sig, err := k.SignMessage([]byte("m"))
		if err != nil {
			t.Fatalf("%s: SignMessage: %v", typ, err)
		}
		if err := VerifyMessage(k.Public(), []byte("m"), sig); err != nil {
			t.Fatalf("%s: VerifyMessage: %v", typ, err)
		}

		dir := t.TempDir()
		if err := k.Save(filepath.Join(dir, "k.pem")); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("%s: Save error = %v, want ErrUnsupported", typ, err)
		}
		checkOnlyFiles(t, dir)
	}
}

func TestLoadRejects(t *testing.T) {
	good := pemOf(t, obTestKey(t))
	secretLine := strings.Split(good, "\n")[1]

	cases := map[string]string{
		"empty":          "",
		"not pem":        "hello",
		"wrong type":     strings.ReplaceAll(good, "PRIVATE KEY", "PUBLIC KEY"),
		"rsa label":      strings.ReplaceAll(good, "PRIVATE KEY", "RSA PRIVATE KEY"),
		"two keys":       good + good,
		"trailing junk":  good + "junk\n",
		"truncated body": strings.Replace(good, secretLine, secretLine[:20], 1),
		"headers":        strings.Replace(good, "-----\n", "-----\nProc-Type: 4,ENCRYPTED\n\n", 1),
		"p384 key":       pemOfSigner(t, newP384Key(t)),
		"oversized file": strings.Repeat("#", maxKeyFileSize+1),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k.pem")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatalf("writing: %v", err)
			}

			_, err := Load(path)
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Load error = %v, want ErrMalformed or ErrUnsupported", err)
			}
			if strings.Contains(err.Error(), secretLine) {
				t.Fatal("error message contains key material")
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "absent.pem"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load error = %v, want os.ErrNotExist", err)
	}
}

// pemOf saves k and returns the file text.
func pemOf(t *testing.T, k *Key) string {
	t.Helper()

	path := filepath.Join(t.TempDir(), "k.pem")
	if err := k.Save(path); err != nil {
		t.Fatalf("Save: %v", err)
	}

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading: %v", err)
	}
	if blk, _ := pem.Decode(b); blk == nil || blk.Type != "PRIVATE KEY" {
		t.Fatal("saved file is not a PRIVATE KEY pem block")
	}

	return string(b)
}

// pemOfSigner encodes a key Laurel refuses, bypassing FromSigner.
func pemOfSigner(t *testing.T, s crypto.Signer) string {
	t.Helper()

	return pemOf(t, &Key{signer: s, typ: P256})
}
