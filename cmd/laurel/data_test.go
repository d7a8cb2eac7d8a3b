package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/store"
	"github.com/laurel-badges/laurel/verifier"
)

// newDataDir makes a data folder with one achievement and returns the
// folder and the achievement's id.
func newDataDir(t *testing.T) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	opts := officeOptions{dataDir: dir}
	off, err := opts.open(context.Background(), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()

	admin := &issuer.User{ID: "test", Role: issuer.RoleAdmin}
	a, err := off.svc.CreateAchievement(context.Background(), admin, issuer.AchievementInput{
		Name: "Literacy Coaching", Description: "Coaches colleagues in literacy instruction.",
		Criteria: issuer.Criteria{Narrative: "Six coaching cycles."}, CreditsAvailable: 6,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir, a.ID
}

func writeRoster(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("name,email\n")
	for i := range n {
		fmt.Fprintf(&b, "Teacher %d,teacher%d@district.example\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsersAndClients(t *testing.T) {
	dir, _ := newDataDir(t)
	out, _, err := run(t, "", "users", "add", "--data", dir, "--role", "reviewer", "--name", "Rita")
	if err != nil || !strings.Contains(out, "token lrl_") {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, _, err := run(t, "", "users", "add", "--data", dir, "--role", "wizard", "--name", "X"); exitCode(err) != exitUsage {
		t.Fatalf("unknown role: exit %d", exitCode(err))
	}
	out, _, err = run(t, "", "users", "add", "--data", dir, "--role", "earner", "--name", "Tess",
		"--email", "tess@district.example")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, _, err = run(t, "", "users", "invite", "--data", dir, "tess@district.example")
	if err != nil || !strings.Contains(out, "/invite/lri_") {
		t.Fatalf("invite: %v", err)
	}
	if _, _, err := run(t, "", "users", "invite", "--data", dir, "nobody@district.example"); exitCode(err) != exitUsage {
		t.Fatalf("unknown email: exit %d", exitCode(err))
	}
	out, _, err = run(t, "", "clients", "add", "--data", dir, "--name", "harness")
	if err != nil || !strings.Contains(out, "client_secret lrs_") {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestBulkIssueIsIdempotent(t *testing.T) {
	dir, achievement := newDataDir(t)
	roster := writeRoster(t, 30)

	out, stderr, err := run(t, "", "issue", "--data", dir, "--achievement", achievement, "--csv", roster)
	if err != nil || strings.Count(out, "\tissued\t") != 30 || !strings.Contains(stderr, "issued 30, skipped 0, failed 0") {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}

	_, stderr, err = run(t, "", "issue", "--data", dir, "--achievement", achievement, "--csv", roster)
	if err != nil || !strings.Contains(stderr, "issued 0, skipped 30, failed 0") {
		t.Fatalf("rerun: %v\n%s", err, stderr)
	}
}

func TestBackupRestoreCommands(t *testing.T) {
	dir, achievement := newDataDir(t)
	snap := filepath.Join(t.TempDir(), "snap.db")
	if _, _, err := run(t, "", "backup", "--data", dir, "--out", snap); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "laurel.db")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "restore", "--data", dir, snap); err != nil {
		t.Fatal(err)
	}

	db, err := store.Open(filepath.Join(dir, "laurel.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(func(tx *store.Tx) error {
		var a issuer.Achievement
		return tx.Get(store.Achievements, achievement, &a)
	}); err != nil {
		t.Fatalf("achievement lost in backup and restore: %v", err)
	}
}

// A bulk issuance killed with SIGKILL loses nothing it acknowledged, and a
// rerun completes the roster without issuing anyone twice.
func TestBulkIssueSurvivesKill(t *testing.T) {
	dir, achievement := newDataDir(t)
	const rows = 300
	roster := writeRoster(t, rows)

	acked := killMidRun(t, dir, achievement, roster, 20)

	off, err := (&officeOptions{dataDir: dir}).open(context.Background(), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{StatusFetch: off.svc.FetchStatusList})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		cred, err := off.svc.Credential(id)
		if err != nil {
			t.Fatalf("acknowledged credential %s lost: %v", id, err)
		}
		if r := v.VerifyCredential(context.Background(), decodeJSON(t, cred.Document)); !r.Valid {
			t.Fatalf("acknowledged credential %s invalid: %+v", id, r.Checks)
		}
	}
	off.Close()

	_, stderr, err := run(t, "", "issue", "--data", dir, "--achievement", achievement, "--csv", roster)
	if err != nil || !strings.Contains(stderr, "failed 0") {
		t.Fatalf("rerun: %v\n%s", err, stderr)
	}
	if n := countCredentials(t, dir); n != rows {
		t.Fatalf("%d credentials after the rerun, want %d (one per row)", n, rows)
	}
}

// killMidRun starts laurel issue in a child process and kills it once it
// has acknowledged at least want credentials; it returns their ids.
func killMidRun(t *testing.T, dir, achievement, roster string, want int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "issue", "--data", dir, "--achievement", achievement, "--csv", roster, "--workers", "2")
	cmd.Env = append(os.Environ(), "LAUREL_RUN_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	var acked []string
	sc := bufio.NewScanner(stdout)
	deadline := time.Now().Add(30 * time.Second)
	for sc.Scan() && len(acked) < want && time.Now().Before(deadline) {
		if f := strings.Split(sc.Text(), "\t"); len(f) == 4 && f[2] == "issued" {
			acked = append(acked, f[3])
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(acked) < want {
		t.Fatalf("only %d credentials acknowledged before the kill", len(acked))
	}
	return acked
}

func countCredentials(t *testing.T, dir string) int {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "laurel.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Credentials, "", func(string, []byte) (bool, error) { n++; return true, nil })
	})
	return n
}

func decodeJSON(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	mustUnmarshal(t, data, &m)
	return m
}
