package main

import (
	"bufio"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/gcdefault"
)

// server is a laurel serve child process.
type server struct {
	cmd    *exec.Cmd
	url    string
	lines  []string
	stderr *strings.Builder
}

// startServe runs laurel serve on a free port of 127.0.0.1 and waits until
// it has printed its welcome.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "LAUREL_RUN_MAIN=1")
	s := &server{cmd: cmd, stderr: &strings.Builder{}}
	cmd.Stderr = s.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	// The welcome ends with an empty line.
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "" {
		s.lines = append(s.lines, sc.Text())
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "url" {
			s.url = f[1]
		}
	}
	go io.Copy(io.Discard, stdout)
	if s.url == "" {
		t.Fatalf("serve printed no url in %d lines (not shown: they hold tokens)", len(s.lines))
	}
	return s
}

func (s *server) token(prefix string) string {
	for _, l := range s.lines {
		if i := strings.Index(l, "lrl_"); i >= 0 && strings.Contains(l, prefix) {
			return strings.Fields(l[i:])[0]
		}
	}
	return ""
}

func waitHealthy(t *testing.T, client *http.Client, url string) {
	t.Helper()
	for range 100 {
		resp, err := client.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became healthy", url)
}

// laurel serve creates its data folder and admin token on first run,
// serves, refuses a second process on the same folder, and stops cleanly
// on SIGTERM.
func TestServeLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := startServe(t, "--data", dir)
	waitHealthy(t, http.DefaultClient, s.url)

	admin := s.token("admin token")
	if admin == "" {
		t.Fatalf("no admin token printed in %d lines", len(s.lines))
	}
	req, _ := http.NewRequest("GET", s.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("admin token refused: %v %v", resp, err)
	}
	resp.Body.Close()

	_, _, err = run(t, "", "users", "add", "--data", dir, "--role", "earner", "--name", "X")
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second process on the data folder: %v", err)
	}

	snap := filepath.Join(t.TempDir(), "online.db")
	if _, _, err := run(t, "", "backup", "--server", s.url, "--token", admin, "--out", snap); err != nil {
		t.Fatalf("online backup: %v", err)
	}
	if _, _, err := run(t, "", "backup", "--server", s.url, "--token", "lrl_wrong", "--out", snap+"2"); err == nil {
		t.Fatal("online backup with a bad token succeeded")
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve did not exit cleanly: %v\n%s", err, s.stderr)
	}
	if !strings.Contains(s.stderr.String(), `"msg":"stopped"`) {
		t.Fatalf("no clean stop logged:\n%s", s.stderr)
	}
	if !strings.Contains(s.stderr.String(), `"msg":"garbage collector"`) {
		t.Fatalf("no garbage collector settings logged:\n%s", s.stderr)
	}

	restarted := startServe(t, "--data", dir)
	if restarted.token("admin token") != "" {
		t.Fatal("a restart printed a new admin token")
	}
}

func TestServeDemoOverTLS(t *testing.T) {
	s := startServe(t, "--data", filepath.Join(t.TempDir(), "data"), "--demo", "--tls-self-signed")
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("url %s", s.url)
	}
	// The certificate is self-signed for local runs; this test trusts it.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	waitHealthy(t, client, s.url)

	resp, err := client.Get(s.url + "/api/v1/achievements")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous catalogue: %d", resp.StatusCode)
	}

	req, _ := http.NewRequest("GET", s.url+"/api/v1/achievements", nil)
	req.Header.Set("Authorization", "Bearer "+s.token("demo earner"))
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Formative Assessment in Practice") {
		t.Fatalf("demo catalogue: %d %s", resp.StatusCode, body)
	}
}

// apiCall sends a JSON request to a running server and decodes the answer.
func apiCall(t *testing.T, method, url, token string, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		mustUnmarshal(t, data, out)
	}
	return resp.StatusCode
}

// The demo office end to end: a teacher submits, the reviewer approves,
// and the credential downloaded from its public link passes laurel verify.
func TestServeStoryThenVerify(t *testing.T) {
	s := startServe(t, "--data", filepath.Join(t.TempDir(), "data"), "--demo")
	waitHealthy(t, http.DefaultClient, s.url)
	teacher, reviewer := s.token("demo earner"), s.token("demo reviewer")

	var catalogue struct{ Achievements []struct{ ID string } }
	apiCall(t, "GET", s.url+"/api/v1/achievements", teacher, "", &catalogue)
	if len(catalogue.Achievements) == 0 {
		t.Fatal("empty demo catalogue")
	}

	var sub struct{ ID string }
	body := `{"achievementId": "` + catalogue.Achievements[0].ID + `", "evidence": [{"narrative": "Reflection", "url": "https://docs.example/plan", "public": true}]}`
	if code := apiCall(t, "POST", s.url+"/api/v1/submissions", teacher, body, &sub); code != http.StatusCreated {
		t.Fatalf("submit: %d", code)
	}
	var cred struct{ URL string }
	if code := apiCall(t, "POST", s.url+"/api/v1/submissions/"+sub.ID+"/approve", reviewer, `{}`, &cred); code != http.StatusOK {
		t.Fatalf("approve: %d", code)
	}

	resp, err := http.Get(cred.URL)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	file := filepath.Join(t.TempDir(), "badge.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}

	out, _, err := run(t, "", "verify", "--status-list", statusListFile(t, doc), file)
	if err != nil || !strings.Contains(out, ": VALID (json-ld)") || !strings.Contains(out, "Maple Valley School District") {
		t.Fatalf("laurel verify: %v\n%s", err, out)
	}

	// From its link, fetching the status list from the running office.
	out, _, err = run(t, "", "verify", "--allow-local", cred.URL)
	if err != nil || !strings.Contains(out, ": VALID (json-ld)") || !strings.Contains(out, "ok   status") {
		t.Fatalf("laurel verify URL: %v\n%s", err, out)
	}
	// Without --allow-local the safe client refuses the loopback address.
	if out, _, err = run(t, "", "verify", cred.URL); exitCode(err) != exitUsage {
		t.Fatalf("loopback URL fetched by default: %v\n%s", err, out)
	}
}

// statusListFile saves the status list a credential names and returns the
// URL=FILE pair laurel verify --status-list takes.
func statusListFile(t *testing.T, credential []byte) string {
	t.Helper()
	var cred struct {
		CredentialStatus struct {
			StatusListCredential string `json:"statusListCredential"`
		} `json:"credentialStatus"`
	}
	mustUnmarshal(t, credential, &cred)
	url := cred.CredentialStatus.StatusListCredential
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	list, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vc+ld+json" {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, list)
	}
	file := filepath.Join(t.TempDir(), "list.json")
	if err := os.WriteFile(file, list, 0o600); err != nil {
		t.Fatal(err)
	}
	return url + "=" + file
}

// The start-up log names the garbage collector settings and whose they are.
func TestLogGC(t *testing.T) {
	t.Setenv("GOGC", "150")
	var b strings.Builder
	logGC(slog.New(slog.NewJSONHandler(&b, nil)), gcdefault.Applied{MemoryLimit: gcdefault.MemoryLimit})

	for _, want := range []string{`"gogc":"150"`, `"gomemlimit":"512MiB (laurel default)"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, b.String())
		}
	}
}
