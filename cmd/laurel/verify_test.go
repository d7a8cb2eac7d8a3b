package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../../shared/fixtures/peer-eddsa/"

func TestVerifyExitCodes(t *testing.T) {
	good := fixtures + "cred-001.json"
	bad := fixtures + "bad/tampered-subject-id.json"

	out, _, err := run(t, "", "verify", good, fixtures+"cred-002.json")
	if exitCode(err) != 0 || strings.Count(out, ": VALID") != 2 {
		t.Fatalf("good inputs: exit %d\n%s", exitCode(err), out)
	}

	out, _, err = run(t, "", "verify", good, bad)
	if exitCode(err) != exitInvalid {
		t.Fatalf("one bad input: exit %d, want %d", exitCode(err), exitInvalid)
	}
	if !strings.Contains(out, "FAIL proof") {
		t.Fatalf("report does not name the failed check:\n%s", out)
	}

	_, _, err = run(t, "", "verify", filepath.Join(t.TempDir(), "missing.json"))
	if exitCode(err) != exitUsage {
		t.Fatalf("missing file: exit %d, want %d", exitCode(err), exitUsage)
	}

	_, _, err = run(t, "hello", "verify", "-")
	if exitCode(err) != exitInvalid {
		t.Fatalf("not a credential: exit %d, want %d", exitCode(err), exitInvalid)
	}
}

func TestVerifyJSON(t *testing.T) {
	out, _, err := run(t, "", "verify", "--json", fixtures+"bad/expired.json")
	if exitCode(err) != exitInvalid {
		t.Fatalf("exit %d", exitCode(err))
	}

	var results []struct {
		Input  string
		Report struct {
			Valid  bool
			Checks []struct{ Check, Outcome, Code string }
		}
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(results) != 1 || results[0].Report.Valid {
		t.Fatalf("results %+v", results)
	}
	found := false
	for _, c := range results[0].Report.Checks {
		if c.Check == "dates" && c.Outcome == "failed" && c.Code == "dates.expired" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no failed dates check in %+v", results[0].Report.Checks)
	}
}

// Status lists given as local files are checked: the peer's revoked
// credential fails, its active one passes.
func TestVerifyStatusList(t *testing.T) {
	list := "https://example.edu/status/revocation/1=" + fixtures + "status/status-list-1.json"
	out, _, err := run(t, "", "verify", "--status-list", list, fixtures+"status/cred-status-active.json")
	if err != nil || !strings.Contains(out, "ok   status") {
		t.Fatalf("active: %v\n%s", err, out)
	}

	out, _, err = run(t, "", "verify", "--status-list", list, fixtures+"status/cred-status-revoked.json")
	if exitCode(err) != exitInvalid || !strings.Contains(out, "FAIL status") || !strings.Contains(out, "revoked") {
		t.Fatalf("revoked: exit %d\n%s", exitCode(err), out)
	}

	out, _, err = run(t, "", "verify", "--offline", fixtures+"status/cred-status-active.json")
	if exitCode(err) != exitInvalid || !strings.Contains(out, "FAIL status") {
		t.Fatalf("no list copy: exit %d\n%s", exitCode(err), out)
	}

	if _, _, err := run(t, "", "verify", "--status-list", "nonsense", fixtures+"cred-001.json"); exitCode(err) != exitUsage {
		t.Fatalf("bad flag: exit %d", exitCode(err))
	}
}

// The report says whether the issuer is one the reader trusts.
func TestVerifyTrustedIssuers(t *testing.T) {
	peerDID := "did:key:z6MkieQqLVhDpiPaHdPBq9RqX8f9eNESZjCdUMeSTpAdXFKC"
	out, _, err := run(t, "", "verify", "--trust", peerDID+"=Example Technical University", fixtures+"cred-001.json")
	if err != nil || !strings.Contains(out, "trusted    yes, as Example Technical University") {
		t.Fatalf("%v\n%s", err, out)
	}
	out, _, err = run(t, "", "verify", fixtures+"cred-001.json")
	if err != nil || !strings.Contains(out, "trusted    no") {
		t.Fatalf("an unknown issuer is not an invalid badge: %v\n%s", err, out)
	}
	if _, _, err := run(t, "", "verify", "--trust", "nonsense", fixtures+"cred-001.json"); exitCode(err) != exitUsage {
		t.Fatalf("bad --trust: exit %d", exitCode(err))
	}
}
