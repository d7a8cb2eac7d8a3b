package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/keys"
)

// The published 1EdTech Open Badges 3.0 test key; never protects anything.
const (
	obTestSeedHex  = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
	obTestMultikey = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
)

// runLaurel runs the real command tree with args and returns what it wrote to
// its output.
func runLaurel(t *testing.T, args ...string) (string, error) {
	t.Helper()

	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()

	return out.String() + errOut.String(), err
}

// decodeDescription parses "keys ... --json" output.
func decodeDescription(t *testing.T, out string) keyDescription {
	t.Helper()

	var d keyDescription
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("output is not one key description: %v", err)
	}

	return d
}

func TestKeysGenerateAndShow(t *testing.T) {
	prefix := map[string]string{"ed25519": "did:key:z6Mk", "p256": "did:key:zDn", "rsa": ""}

	for _, typ := range []string{"ed25519", "p256", "rsa"} {
		t.Run(typ, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys", "issuer.pem")
			out, err := runLaurel(t, "keys", "generate", "--type", typ, "--out", path)
			if err != nil {
				t.Fatalf("keys generate: %v", err)
			}
			checkKeyFile(t, path)
			checkNoSecret(t, path, out)
			if !strings.Contains(out, "wrote               "+path) || !strings.Contains(out, "type                "+typ) {
				t.Fatalf("generate output lacks the file or type:\n%s", out)
			}

			shown, err := runLaurel(t, "keys", "show", "--json", path)
			if err != nil {
				t.Fatalf("keys show: %v", err)
			}
			checkNoSecret(t, path, shown)
			checkDescription(t, decodeDescription(t, shown), typ, prefix[typ])
		})
	}
}

// checkKeyFile checks the file mode and that the keys package can load it.
func checkKeyFile(t *testing.T, path string) {
	t.Helper()

	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatalf("stat: %v", err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode = %o, want 600", info.Mode().Perm())
		}
	}

	if _, err := keys.Load(path); err != nil {
		t.Fatalf("keys.Load: %v", err)
	}
}

// checkDescription checks a JSON description's members against its type.
func checkDescription(t *testing.T, d keyDescription, typ, didPrefix string) {
	t.Helper()

	if d.Type != typ || !strings.HasPrefix(d.DID, didPrefix) {
		t.Fatalf("description type %q did %q", d.Type, d.DID)
	}
	if didPrefix == "" && (d.DID != "" || d.VerificationMethod != "" || d.PublicKeyMultibase != "") {
		t.Fatalf("rsa description has did:key members: %+v", d)
	}
	if didPrefix != "" && d.VerificationMethod != d.DID+"#"+d.PublicKeyMultibase {
		t.Fatalf("verification method %q does not match did %q", d.VerificationMethod, d.DID)
	}

	var jwk map[string]any
	if err := json.Unmarshal(d.PublicKeyJWK, &jwk); err != nil {
		t.Fatalf("publicKeyJwk: %v", err)
	}
	if jwk["kty"] == nil || jwk["kid"] == nil || jwk["alg"] == nil {
		t.Fatalf("publicKeyJwk lacks kty, kid or alg: %v", jwk)
	}
}

// checkNoSecret fails if out holds any encoding of the private key in the
// file at path. It never prints what it looks for.
func checkNoSecret(t *testing.T, path, out string) {
	t.Helper()

	for _, s := range secretForms(t, path) {
		if strings.Contains(out, s) {
			t.Fatal("command output contains private key material")
		}
	}
	if strings.Contains(out, `"d"`) || strings.Contains(out, "PRIVATE KEY") {
		t.Fatal("command output contains a private JWK member or PEM block")
	}
}

// secretForms returns the private scalar of the key file in hex, base64 and
// base64url, and every line of its PEM body.
func secretForms(t *testing.T, path string) []string {
	t.Helper()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading key file: %v", err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("key file is not PEM")
	}

	forms := strings.Split(strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Bytes: block.Bytes}))), "\n")
	forms = forms[1 : len(forms)-1]

	secret := privateScalar(t, block.Bytes)
	return append(forms,
		hex.EncodeToString(secret),
		base64.StdEncoding.EncodeToString(secret),
		base64.RawURLEncoding.EncodeToString(secret))
}

// privateScalar extracts the secret bytes of a PKCS#8 key.
func privateScalar(t *testing.T, der []byte) []byte {
	t.Helper()

	priv, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatalf("parsing pkcs8: %v", err)
	}

	switch k := priv.(type) {
	case ed25519.PrivateKey:
		return k.Seed()
	case *ecdsa.PrivateKey:
		b, err := k.Bytes()
		if err != nil {
			t.Fatalf("ecdsa bytes: %v", err)
		}
		return b
	case *rsa.PrivateKey:
		return k.D.Bytes()
	default:
		t.Fatalf("unexpected key %T", priv)
		return nil
	}
}

func TestKeysGenerateDefaultsToEd25519(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.pem")
	out, err := runLaurel(t, "keys", "generate", "--json", "--out", path)
	if err != nil {
		t.Fatalf("keys generate: %v", err)
	}

	checkDescription(t, decodeDescription(t, out), "ed25519", "did:key:z6Mk")
	checkNoSecret(t, path, out)
}

func TestKeysGenerateRefusesOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.pem")
	if _, err := runLaurel(t, "keys", "generate", "--out", path); err != nil {
		t.Fatalf("first generate: %v", err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading: %v", err)
	}

	_, err = runLaurel(t, "keys", "generate", "--out", path)
	if !errors.Is(err, keys.ErrExists) {
		t.Fatalf("second generate error = %v, want keys.ErrExists", err)
	}

	after, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatal("key file changed after a refused generate")
	}
}

func TestKeysGenerateRejects(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]string{
		"unknown type": {"keys", "generate", "--type", "p384", "--out", filepath.Join(dir, "a.pem")},
		"no out":       {"keys", "generate"},
		"extra arg":    {"keys", "generate", "--out", filepath.Join(dir, "b.pem"), "extra"},
	}
	for name, args := range cases {
		if _, err := runLaurel(t, args...); err == nil {
			t.Errorf("%s: keys generate succeeded", name)
		}
	}

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("rejected commands left %d files", len(entries))
	}
}

func TestKeysImportOneEdTechKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ob.pem")
	out, err := runLaurel(t, "keys", "import", "--seed", obTestSeedHex, "--out", path, "--json")
	if err != nil {
		t.Fatalf("keys import: %v", err)
	}
	checkKeyFile(t, path)
	checkNoSecret(t, path, out)

	d := decodeDescription(t, out)
	if d.DID != "did:key:"+obTestMultikey || d.PublicKeyMultibase != obTestMultikey {
		t.Fatalf("imported key did %q multikey %q", d.DID, d.PublicKeyMultibase)
	}

	shown, err := runLaurel(t, "keys", "show", path)
	if err != nil {
		t.Fatalf("keys show: %v", err)
	}
	wantLine := "did                 did:key:" + obTestMultikey + "\n"
	if !strings.Contains(shown, wantLine) || strings.Contains(shown, obTestSeedHex) {
		t.Fatalf("keys show text output unexpected:\n%s", shown)
	}
}

func TestKeysImportPeerFixtureKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "peer-eddsa", "issuer.json"))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	var fx struct {
		DID                string `json:"did"`
		VerificationMethod string `json:"verificationMethod"`
		SeedHex            string `json:"seedHex"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatalf("decoding fixture: %v", err)
	}

	path := filepath.Join(t.TempDir(), "peer.pem")
	out, err := runLaurel(t, "keys", "import", "--type", "ed25519", "--seed", fx.SeedHex, "--out", path, "--json")
	if err != nil {
		t.Fatalf("keys import: %v", err)
	}

	d := decodeDescription(t, out)
	if d.DID != fx.DID || d.VerificationMethod != fx.VerificationMethod {
		t.Fatalf("imported fixture key did %q vm %q, want %q %q", d.DID, d.VerificationMethod, fx.DID, fx.VerificationMethod)
	}
}

func TestKeysImportRejects(t *testing.T) {
	dir := t.TempDir()
	badSeed := "zz" + obTestSeedHex[2:]
	cases := map[string][]string{
		"not hex":      {"--seed", badSeed},
		"short seed":   {"--seed", obTestSeedHex[:62]},
		"long seed":    {"--seed", obTestSeedHex + "00"},
		"p256 type":    {"--type", "p256", "--seed", obTestSeedHex},
		"unknown type": {"--type", "x25519", "--seed", obTestSeedHex},
		"no seed":      {},
	}
	for name, extra := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".pem")
		args := append([]string{"keys", "import", "--out", path}, extra...)

		out, err := runLaurel(t, args...)
		if err == nil {
			t.Errorf("%s: keys import succeeded", name)
			continue
		}
		for _, secret := range []string{obTestSeedHex[2:40], badSeed[:20]} {
			if strings.Contains(err.Error()+out, secret) {
				t.Errorf("%s: error or output quotes the seed", name)
			}
		}
	}

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("rejected imports left %d files", len(entries))
	}
}

func TestKeysShowRejects(t *testing.T) {
	dir := t.TempDir()
	notKey := filepath.Join(dir, "not-a-key.pem")
	if err := os.WriteFile(notKey, []byte("hello\n"), 0o600); err != nil {
		t.Fatalf("writing: %v", err)
	}

	cases := map[string][]string{
		"missing file": {"keys", "show", filepath.Join(dir, "absent.pem")},
		"not a key":    {"keys", "show", notKey},
		"no file":      {"keys", "show"},
		"two files":    {"keys", "show", notKey, notKey},
	}
	for name, args := range cases {
		if _, err := runLaurel(t, args...); err == nil {
			t.Errorf("%s: keys show succeeded", name)
		}
	}

	if _, err := runLaurel(t, "keys", "show", notKey); !errors.Is(err, keys.ErrMalformed) {
		t.Fatalf("keys show of a non-key error = %v, want keys.ErrMalformed", err)
	}
}
