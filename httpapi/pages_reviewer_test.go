package httpapi

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// reviewNotes is a private evidence file that is HTML in disguise: it
// must never run as a page of Laurel's.
const reviewNotes = "<script>alert('lesson notes')</script>"

// reviewCase is an achievement with a rubric and the earner's submission
// for it: a public narrative, a private file and a link.
type reviewCase struct {
	achievement *issuer.Achievement
	sub         *issuer.Submission
	fileID      string
	earner      *issuer.User
	evidence    []issuer.Evidence
}

// newReviewCase sets up what a reviewer reviews, through the office.
func newReviewCase(t *testing.T, o *officeServer) *reviewCase {
	t.Helper()
	ctx := context.Background()
	a, err := o.office.CreateAchievement(ctx, o.person(t, issuer.RoleAdmin), issuer.AchievementInput{
		Name:        "Formative Assessment in Practice",
		Description: "Checks for understanding during a lesson.",
		Criteria: issuer.Criteria{Narrative: "Run three formative checks and reflect on what they showed.",
			URL: "https://district.example/criteria/formative"},
		Alignments: []issuer.Alignment{{TargetName: "Assessment literacy", TargetURL: "https://standards.example/a1",
			TargetFramework: "State teaching standards", TargetCode: "A.1"}},
		CreditsAvailable: 1.5,
		Rubric: []issuer.RubricLevel{{ID: "developing", Name: "Developing"},
			{ID: "proficient", Name: "Proficient", Description: "Checks change the next lesson."}},
		RequiredEvidence: []string{issuer.EvidenceNarrative, issuer.EvidenceFile},
	})
	if err != nil {
		t.Fatal(err)
	}

	rc := &reviewCase{achievement: a, earner: o.person(t, issuer.RoleEarner)}
	rc.fileID, err = o.office.UploadEvidence(ctx, rc.earner, "lesson notes.html", "text/plain", []byte(reviewNotes))
	if err != nil {
		t.Fatal(err)
	}
	rc.evidence = []issuer.Evidence{
		{Name: "Reflection", Narrative: "Exit tickets showed half the class mixed up ratios.", Public: true},
		{Name: "Lesson notes", File: rc.fileID},
		{Name: "Recording", URL: "https://video.example/lesson-4"},
	}
	if rc.sub, err = o.office.Submit(ctx, rc.earner, a.ID, rc.evidence); err != nil {
		t.Fatal(err)
	}
	return rc
}

// reviewSignInAs signs u in through an invitation and the sign-in form.
// The role's home page belongs to another area and may not answer 200
// yet, so any answer but a refused sign-in will do.
func reviewSignInAs(t *testing.T, o *officeServer, u *issuer.User) *browser {
	t.Helper()
	token := strings.TrimPrefix(o.invite(t, u.ID), "/invite/")
	if _, err := o.office.AcceptInvitation(context.Background(), token, testPassword); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, o.url)
	b.mustGet("/signin")
	status, body := b.post("/signin", url.Values{"email": {u.Email}, "password": {testPassword}})
	if status == http.StatusUnauthorized || status == http.StatusTooManyRequests || status >= 500 {
		t.Fatalf("signing in %s: status %d\n%s", u.Email, status, body)
	}
	return b
}

// reviewState reads a submission's state from the office.
func reviewState(t *testing.T, o *officeServer, id string) *issuer.Submission {
	t.Helper()
	sub, err := o.office.Submission(o.person(t, issuer.RoleReviewer), id)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// reviewWantIn fails unless body holds every one of parts.
func reviewWantIn(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q\n%s", p, body)
		}
	}
}

// reviewWantStatus fails unless status is want.
func reviewWantStatus(t *testing.T, what string, status, want int, body string) {
	t.Helper()
	if status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, status, want, body)
	}
}

func TestReviewQueueIsTheReviewersHome(t *testing.T) {
	o := startOffice(t)
	rev := o.signIn(t, issuer.RoleReviewer)
	reviewWantIn(t, rev.last, "Review queue", "Nothing waiting for review")

	first := newReviewCase(t, o)
	second, err := o.office.Submit(context.Background(), first.earner, first.achievement.ID, first.evidence)
	if err != nil {
		t.Fatal(err)
	}

	body := rev.mustGet("/review")
	reviewWantIn(t, body, first.achievement.Name, "earner person", "waiting 0 minutes", "Submitted <time",
		`href="/review/`+first.sub.ID+`"`, `href="/review/`+second.ID+`"`)
	if strings.Index(body, first.sub.ID) > strings.Index(body, second.ID) {
		t.Error("the queue does not list the oldest submission first")
	}
	if strings.Contains(body, "Resubmitted") || strings.Contains(body, "Nothing waiting") {
		t.Errorf("fresh submissions shown wrongly\n%s", body)
	}

	admin := reviewSignInAs(t, o, o.person(t, issuer.RoleAdmin))
	reviewWantIn(t, admin.mustGet("/review"), `href="/review/`+first.sub.ID+`"`)
}

func TestEvidenceFileIsServedSafely(t *testing.T) {
	o := startOffice(t)
	rc := newReviewCase(t, o)
	rev := reviewSignInAs(t, o, o.person(t, issuer.RoleReviewer))
	owner := reviewSignInAs(t, o, rc.earner)

	for who, b := range map[string]*browser{"reviewer": rev, "owner": owner} {
		resp, body := reviewFetch(t, b.client, o.url+"/files/"+rc.fileID)
		if resp.StatusCode != http.StatusOK || body != reviewNotes {
			t.Fatalf("%s: status %d, body %q", who, resp.StatusCode, body)
		}
		h := resp.Header
		for key, want := range map[string]string{
			"Content-Type":           "text/plain; charset=utf-8",
			"X-Content-Type-Options": "nosniff",
			"Content-Disposition": `attachment; filename="lesson notes.html.txt"; ` +
				`filename*=UTF-8''lesson%20notes.html.txt`,
		} {
			if got := h.Get(key); got != want {
				t.Errorf("%s: %s = %q, want %q", who, key, got, want)
			}
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") ||
			!strings.HasSuffix(csp, "sandbox") {
			t.Errorf("%s: Content-Security-Policy %q", who, csp)
		}
	}

	other, _, err := o.office.AddUser(context.Background(), "other person", "other@district.example",
		issuer.RoleEarner)
	if err != nil {
		t.Fatal(err)
	}
	stranger := reviewSignInAs(t, o, other)
	status, body := stranger.get("/files/" + rc.fileID)
	reviewWantStatus(t, "another earner", status, http.StatusNotFound, body)
	if strings.Contains(body, "lesson notes") || strings.Contains(body, "alert(") {
		t.Errorf("the refusal leaks the file\n%s", body)
	}
}

// reviewFetch GETs url with client and returns the answer and its body.
func reviewFetch(t *testing.T, client *http.Client, url string) (*http.Response, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// reviewNoRedirects is a client that stops at the first answer.
func reviewNoRedirects() *http.Client {
	stop := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &http.Client{CheckRedirect: stop}
}

func TestEvidenceHeaders(t *testing.T) {
	cases := []struct {
		name, stored, wantType, wantDisposition string
		sandboxed                               bool
	}{
		{"plan.pdf", "application/pdf", "application/pdf",
			`inline; filename="plan.pdf"; filename*=UTF-8''plan.pdf`, false},
		{"board", "image/png", "image/png", `inline; filename="board.png"; filename*=UTF-8''board.png`, true},
		{"photo.JPEG", "image/jpeg", "image/jpeg",
			`inline; filename="photo.JPEG"; filename*=UTF-8''photo.JPEG`, true},
		{"page.html", "text/html", "application/octet-stream",
			`attachment; filename="page.html.bin"; filename*=UTF-8''page.html.bin`, true},
		{"../../etc/r\u00e9sum\u00e9 \"v2\".pdf", "application/pdf", "application/pdf",
			`inline; filename="r_sum_ _v2_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf`, false},
		{"notes\u202etxt.exe\r\n", "text/plain", "text/plain; charset=utf-8",
			`attachment; filename="notestxt.exe.txt"; filename*=UTF-8''notestxt.exe.txt`, true},
		{"", "", "application/octet-stream",
			`attachment; filename="evidence.bin"; filename*=UTF-8''evidence.bin`, true},
	}
	for _, c := range cases {
		h := evidenceHeaders(c.name, c.stored)
		if got := h.Get("Content-Type"); got != c.wantType {
			t.Errorf("%q as %q: Content-Type %q, want %q", c.name, c.stored, got, c.wantType)
		}
		if got := h.Get("Content-Disposition"); got != c.wantDisposition {
			t.Errorf("%q as %q: Content-Disposition %q, want %q", c.name, c.stored, got, c.wantDisposition)
		}
		csp := h.Get("Content-Security-Policy")
		if strings.HasSuffix(csp, "; sandbox") != c.sandboxed || !strings.HasPrefix(csp, "default-src 'none'") ||
			strings.Contains(csp, "script-src") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%q as %q: Content-Security-Policy %q, nosniff %q", c.name, c.stored, csp,
				h.Get("X-Content-Type-Options"))
		}
	}
}
