package main

import (
	"context"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/status"
)

// awardedCredential awards the data folder's achievement to a teacher,
// with both status entries, and returns the credential id.
func awardedCredential(t *testing.T, dir, achievement string) string {
	t.Helper()
	opts := officeOptions{dataDir: dir, statusPurposes: []string{status.PurposeRevocation, status.PurposeSuspension}}
	off, err := opts.open(context.Background(), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()

	admin := &issuer.User{ID: "test", Role: issuer.RoleAdmin}
	cred, _, err := off.svc.Award(context.Background(), admin, achievement,
		issuer.Recipient{Name: "Pat", Email: "pat@district.example"})
	if err != nil {
		t.Fatal(err)
	}
	return cred.ID
}

func TestSuspendReinstateRevoke(t *testing.T) {
	dir, achievement := newDataDir(t)
	id := awardedCredential(t, dir, achievement)

	steps := []struct {
		args []string
		want string
	}{
		{[]string{"suspend", id}, "suspended"},
		{[]string{"reinstate", id, "--reason", "cleared"}, "active"},
		{[]string{"revoke", id, "--reason", "issued in error"}, "revoked"},
	}
	for _, s := range steps {
		out, _, err := run(t, "", append(s.args, "--data", dir)...)
		if err != nil || out != id+"\t"+s.want+"\n" {
			t.Fatalf("laurel %s: %v %q", strings.Join(s.args, " "), err, out)
		}
	}

	if _, _, err := run(t, "", "reinstate", id, "--data", dir); exitCode(err) != exitUsage ||
		!strings.Contains(err.Error(), "permanent") {
		t.Fatalf("reinstating a revoked credential: %v", err)
	}
}

func TestRevokeNeedsAReason(t *testing.T) {
	dir, achievement := newDataDir(t)
	id := awardedCredential(t, dir, achievement)
	if _, _, err := run(t, "", "revoke", id, "--data", dir); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("revoke without --reason: %v", err)
	}
	if _, _, err := run(t, "", "revoke", "urn:uuid:00000000-0000-0000-0000-000000000000", "--reason", "x",
		"--data", dir); exitCode(err) != exitUsage {
		t.Fatalf("unknown credential: %v", err)
	}
}
