package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command line args with stdin and returns stdout, stderr
// and the error RunE returned.
func run(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCmd()
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return exitUsage
	}
	return 0
}

const example = "../../examples/teacher-badge.json"

// With no --key, sign creates the default key on first use and reuses it.
func TestSignCreatesDefaultKey(t *testing.T) {
	abs, err := filepath.Abs(example)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())

	out1, stderr, err := run(t, "", "sign", abs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "created a new Ed25519 issuer key") {
		t.Fatalf("stderr %q does not announce the new key", stderr)
	}
	info, err := os.Stat(defaultKeyFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}

	out2, stderr, err := run(t, "", "sign", abs)
	if err != nil || stderr != "" {
		t.Fatalf("second run: %v %q", err, stderr)
	}
	if issuerOf(t, out1) != issuerOf(t, out2) {
		t.Fatal("second run signed with another key")
	}
}

func issuerOf(t *testing.T, signed string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(signed), &doc); err != nil {
		t.Fatal(err)
	}
	s, _ := doc["issuer"].(string)
	if !strings.HasPrefix(s, "did:key:z6Mk") {
		t.Fatalf("issuer %q is not an Ed25519 did:key", s)
	}
	return s
}

// The fixture key and creation time reproduce the peer implementation's
// proof exactly, through the command line.
func TestSignReproducesPeerFixture(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "peer.pem")
	seed := "3c1f0e2d4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"
	if _, _, err := run(t, "", "keys", "import", "--type", "ed25519", "--seed", seed, "--out", keyFile); err != nil {
		t.Fatal(err)
	}

	peer := "../../../shared/fixtures/peer-eddsa/"
	out, _, err := run(t, "", "sign", "--key", keyFile, "--created", "2025-01-01T00:00:00Z",
		peer+"unsigned/cred-002.json")
	if err != nil {
		t.Fatal(err)
	}

	var got, want map[string]any
	mustUnmarshal(t, []byte(out), &got)
	data, err := os.ReadFile(peer + "cred-002.json")
	if err != nil {
		t.Fatal(err)
	}
	mustUnmarshal(t, data, &want)
	gp, wp := got["proof"].(map[string]any), want["proof"].(map[string]any)
	if gp["proofValue"] != wp["proofValue"] {
		t.Fatalf("proofValue %v, want %v", gp["proofValue"], wp["proofValue"])
	}
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

func TestSignThenVerifyJWT(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "p256.pem")
	if _, _, err := run(t, "", "keys", "generate", "--type", "p256", "--out", keyFile); err != nil {
		t.Fatal(err)
	}

	token, _, err := run(t, "", "sign", "--key", keyFile, "--format", "jwt", example)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(strings.TrimSpace(token), ".") != 2 {
		t.Fatalf("not a compact JWS: %q", token)
	}

	out, _, err := run(t, token, "verify", "-")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "VALID (vc-jwt)") {
		t.Fatalf("report: %s", out)
	}
}

func TestSignUsageErrors(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k.pem")
	if _, _, err := run(t, "", "keys", "generate", "--out", keyFile); err != nil {
		t.Fatal(err)
	}

	cases := [][]string{
		{"sign", "--key", keyFile, filepath.Join(dir, "missing.json")},
		{"sign", "--key", keyFile, "--created", "yesterday", example},
		{"sign", "--key", keyFile, "-"},
	}
	for _, args := range cases {
		if _, _, err := run(t, "not json", args...); exitCode(err) != exitUsage {
			t.Errorf("%v: exit %d (%v), want %d", args, exitCode(err), err, exitUsage)
		}
	}

	if _, _, err := run(t, "", "sign", "--key", keyFile, "--format", "xml", example); err == nil {
		t.Error("unknown format accepted")
	}
}
