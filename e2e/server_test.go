package e2e

import (
	"bufio"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/testkit"
)

// laurel is a `laurel serve` child process with its first-run output read.
type laurel struct {
	// URL is where it listens, http://127.0.0.1:port.
	URL string

	cmd    *exec.Cmd
	stderr *testkit.Buffer
	// invites maps an email to the person's invitation link.
	invites map[string]string
	// tokens maps a token line's label ("admin", "demo earner") to its
	// API token.
	tokens map[string]string
}

// Lines of the first-run output: "admin sign-in (admin@localhost, link
// valid 14 days): <url>/invite/lri_…", "admin token (…): lrl_…" and
// "demo earner   Taylor Teacher   token lrl_…".
var (
	inviteLine = regexp.MustCompile(`\(([^,()\s]+), link valid \d+ days\): (\S+/invite/\S+)$`)
	tokenLine  = regexp.MustCompile(`^\s*(admin|demo \w+)\b.*\s(lrl_\S+)$`)
)

// startLaurel runs `laurel serve` on a free port of 127.0.0.1 with a fresh
// data folder and extra args (such as "--demo"), waits until it answers,
// and stops it with SIGTERM when t ends.
func startLaurel(t testing.TB, args ...string) *laurel {
	t.Helper()
	needBrowser(t)
	data := filepath.Join(t.TempDir(), "data")
	args = append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, args...)
	cmd := exec.Command(suite.laurel, args...)
	l := &laurel{cmd: cmd, stderr: &testkit.Buffer{}, invites: map[string]string{}, tokens: map[string]string{}}
	cmd.Stderr = l.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting laurel serve: %v", err)
	}
	t.Cleanup(func() { l.stop(t) })

	l.readWelcome(stdout)
	go io.Copy(io.Discard, stdout)
	if l.URL == "" {
		t.Fatalf("laurel serve printed no url; its log:\n%s", redact(l.stderr.String()))
	}
	l.waitHealthy(t)
	return l
}

// readWelcome reads serve's welcome, which ends with an empty line. The
// lines hold tokens, so they are parsed and never logged.
func (l *laurel) readWelcome(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "" {
		line := sc.Text()
		if f := strings.Fields(line); len(f) == 2 && f[0] == "url" {
			l.URL = f[1]
		}
		if m := inviteLine.FindStringSubmatch(line); m != nil {
			l.invites[m[1]] = m[2]
		}
		if m := tokenLine.FindStringSubmatch(line); m != nil {
			l.tokens[m[1]] = m[2]
		}
	}
}

func (l *laurel) waitHealthy(t testing.TB) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	for range 100 {
		if resp, err := client.Get(l.URL + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("laurel serve at %s never became healthy; its log:\n%s", l.URL, redact(l.stderr.String()))
}

// stop sends SIGTERM, as an operator would, and waits for a clean exit
// (killing the process after 15 seconds). When t failed, it shows the end
// of the server's log, tokens hidden.
func (l *laurel) stop(t testing.TB) {
	defer func() {
		if t.Failed() {
			t.Logf("the end of laurel serve's log:\n%s", redact(lastLines(l.stderr.String(), 20)))
		}
	}()
	if err := l.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("stopping laurel serve: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- l.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("laurel serve did not stop cleanly: %v; its log:\n%s", err, redact(l.stderr.String()))
		}
	case <-time.After(15 * time.Second):
		_ = l.cmd.Process.Kill()
		<-done
		t.Errorf("laurel serve ignored SIGTERM for 15 s and was killed")
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// invitation returns the sign-in link serve printed for email on first
// run: admin@localhost, and with --demo each sample person. It is a
// secret: never log it.
func (l *laurel) invitation(t testing.TB, email string) string {
	t.Helper()
	link, ok := l.invites[email]
	if !ok {
		t.Fatalf("laurel serve printed no invitation for %s (it did for %d people)", email, len(l.invites))
	}
	return link
}

// apiToken returns the API token serve printed on first run under label:
// "admin" for the first administrator, "demo admin", "demo reviewer" or
// "demo earner" with --demo. It is a secret: never log it.
func (l *laurel) apiToken(t testing.TB, label string) string {
	t.Helper()
	token, ok := l.tokens[label]
	if !ok {
		t.Fatalf("laurel serve printed no %q token", label)
	}
	return token
}

// secret matches Laurel's tokens: API tokens (lrl_), invitations (lri_)
// and any other lr?_ kind.
var secret = regexp.MustCompile(`\blr[a-z]_[A-Za-z0-9_-]+`)

// redact hides tokens in text the harness prints: URLs of invitation
// pages, console messages, server logs.
func redact(s string) string {
	return secret.ReplaceAllStringFunc(s, func(tok string) string { return tok[:4] + "…" })
}
