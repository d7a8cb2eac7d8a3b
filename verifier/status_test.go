package verifier_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/verifier"
)

// fileFetch serves status list documents from files, as an offline
// stand-in for the network the lists normally come from.
func fileFetch(lists map[string]string) func(context.Context, string) ([]byte, error) {
	return func(_ context.Context, url string) ([]byte, error) {
		path, ok := lists[url]
		if !ok {
			return nil, fmt.Errorf("no list at %s", url)
		}
		return os.ReadFile(path)
	}
}

// A status list and credentials made by another implementation, and the
// 1EdTech validator's Bitstring fixtures, give the statuses their notes
// name.
func TestStatusFixtures(t *testing.T) {
	v, err := verifier.New(verifier.Config{StatusFetch: fileFetch(map[string]string{
		"https://example.edu/status/revocation/1": filepath.Join(peer, "status", "status-list-1.json"),
		"https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/" +
			"inspector-vc/src/test/resources/ob30/bit-string-list/testlist": filepath.Join(examples,
			"validator-bitstring-statuslist-credential.json"),
	})})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		file    string
		outcome verifier.Outcome
		code    string
	}{
		{filepath.Join(peer, "status", "cred-status-active.json"), verifier.Passed, ""},
		{filepath.Join(peer, "status", "cred-status-revoked.json"), verifier.Failed, "status.revoked"},
		{filepath.Join(examples, "validator-credential-status-bitstring-revoked.json"), verifier.Failed, "status.revoked"},
		{filepath.Join(examples, "validator-credential-status-1edtechrevocationlist.json"), verifier.Failed, "status.unknown"},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			r := verifyFile(t, v, tc.file)
			c := r.Check(verifier.CheckStatus)
			if c.Outcome != tc.outcome || c.Code != tc.code {
				t.Fatalf("status %+v, want %s %s", c, tc.outcome, tc.code)
			}
			if r.Check(verifier.CheckProof).Outcome != verifier.Passed {
				t.Fatalf("proof: %+v", r.Check(verifier.CheckProof))
			}
			if r.Valid != (tc.outcome == verifier.Passed) {
				t.Fatalf("valid = %v with status %s", r.Valid, tc.outcome)
			}
		})
	}
}
