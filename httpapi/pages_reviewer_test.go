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
	reviewWantIn(t, admin.mustGet("/review/"+second.ID), `action="/review/`+second.ID+`/approve"`)
}

func TestReviewPageShowsEvidenceAndCriteria(t *testing.T) {
	o := startOffice(t)
	rc := newReviewCase(t, o)
	rev := o.signIn(t, issuer.RoleReviewer)

	body := rev.mustGet("/review/" + rc.sub.ID)
	reviewWantIn(t, body,
		"Exit tickets showed half the class mixed up ratios.", "Private: reviewers only",
		`<a href="/files/`+rc.fileID+`">`,
		`href="https://video.example/lesson-4" rel="noopener noreferrer nofollow" target="_blank">`,
		"Run three formative checks", `href="https://district.example/criteria/formative"`,
		"Assessment literacy", "1.5 hours", "Proficient", "Checks change the next lesson.",
		`class="split"`, "<legend>Rubric level reached</legend>",
		`type="radio" id="level-1" name="level" value="proficient"`, `for="return-comment"`,
		`action="/review/`+rc.sub.ID+`/reject"`, "Submitted</strong> by earner person")
	if strings.Contains(body, reviewNotes) {
		t.Error("the review page inlines the evidence file")
	}

	status, body := rev.get("/review/sub_nothing")
	reviewWantStatus(t, "unknown submission", status, http.StatusNotFound, body)
}

func TestReviewerReturnsThenApproves(t *testing.T) {
	o := startOffice(t)
	rc := newReviewCase(t, o)
	rev := o.signIn(t, issuer.RoleReviewer)
	path := "/review/" + rc.sub.ID
	rev.mustGet(path)

	status, body := rev.post(path+"/return", url.Values{"comment": {"   "}})
	reviewWantStatus(t, "return without comment", status, http.StatusBadRequest, body)
	reviewWantIn(t, body, "Say what the teacher should add", `aria-describedby="return-hint decide-error"`)
	if got := reviewState(t, o, rc.sub.ID).State; got != issuer.StateSubmitted {
		t.Fatalf("a refused return changed the state to %s", got)
	}

	status, body = rev.post(path+"/return", url.Values{"comment": {"Add a photo of the exit tickets."}})
	reviewWantStatus(t, "return", status, http.StatusOK, body)
	reviewWantIn(t, body, "Returned to earner person with your comment.")
	if got := reviewState(t, o, rc.sub.ID).State; got != issuer.StateReturned {
		t.Fatalf("state %s after return", got)
	}

	status, body = rev.post(path+"/approve", url.Values{"level": {"proficient"}})
	reviewWantStatus(t, "approve a returned submission", status, http.StatusConflict, body)
	reviewWantIn(t, body, "returned to the teacher by reviewer person")

	if _, err := o.office.Resubmit(context.Background(), rc.earner, rc.sub.ID, rc.evidence); err != nil {
		t.Fatal(err)
	}
	reviewWantIn(t, rev.mustGet("/review"), "Resubmitted")
	reviewWantIn(t, rev.mustGet(path), "Returned to the teacher", "Add a photo of the exit tickets.", "Resubmitted")

	reviewApproves(t, o, rev, rc)
}

// reviewApproves approves rc's submission through the page and checks the
// credential it issues, then that a second approval is refused.
func reviewApproves(t *testing.T, o *officeServer, rev *browser, rc *reviewCase) {
	t.Helper()
	path := "/review/" + rc.sub.ID
	status, body := rev.post(path+"/approve", url.Values{"comment": {"Clear evidence."}})
	reviewWantStatus(t, "approve without a level", status, http.StatusBadRequest, body)
	reviewWantIn(t, body, "Choose the rubric level")

	status, body = rev.post(path+"/approve", url.Values{"level": {"proficient"}, "comment": {"Clear evidence."}})
	reviewWantStatus(t, "approve", status, http.StatusOK, body)
	reviewWantIn(t, body, "Approved: credential issued to earner person.", "Nothing waiting for review")

	sub := reviewState(t, o, rc.sub.ID)
	if sub.State != issuer.StateApproved || sub.RubricLevel != "proficient" || sub.CredentialID == "" {
		t.Fatalf("after approval: state %s, level %q, credential %q", sub.State, sub.RubricLevel, sub.CredentialID)
	}
	cred, err := o.office.Credential(sub.CredentialID)
	if err != nil || cred.EarnerID != rc.earner.ID || cred.SubmissionID != sub.ID {
		t.Fatalf("credential %+v, %v", cred, err)
	}

	status, body = rev.post(path+"/approve", url.Values{"level": {"proficient"}})
	reviewWantStatus(t, "approve twice", status, http.StatusConflict, body)
	reviewWantIn(t, body, "already approved by reviewer person")
	if again := reviewState(t, o, rc.sub.ID); again.CredentialID != sub.CredentialID {
		t.Error("a second approval changed the credential")
	}
}

func TestReviewerRejectsWithReason(t *testing.T) {
	o := startOffice(t)
	rc := newReviewCase(t, o)
	rev := o.signIn(t, issuer.RoleReviewer)
	path := "/review/" + rc.sub.ID
	rev.mustGet(path)

	status, body := rev.post(path+"/reject", url.Values{})
	reviewWantStatus(t, "reject without comment", status, http.StatusBadRequest, body)
	reviewWantIn(t, body, "Say why the submission is rejected")

	status, body = rev.post(path+"/reject", url.Values{"comment": {"This is another course's work."}})
	reviewWantStatus(t, "reject", status, http.StatusOK, body)
	reviewWantIn(t, body, "Rejected: earner person&#39;s submission for Formative Assessment in Practice is closed.")
	if got := reviewState(t, o, rc.sub.ID).State; got != issuer.StateRejected {
		t.Fatalf("state %s after reject", got)
	}
	reviewWantIn(t, rev.mustGet(path), "This submission is rejected", "This is another course&#39;s work.")
}

func TestReviewPagesRefuseOthers(t *testing.T) {
	o := startOffice(t)
	rc := newReviewCase(t, o)

	teacher := reviewSignInAs(t, o, rc.earner)
	for _, path := range []string{"/review", "/review/" + rc.sub.ID} {
		status, body := teacher.get(path)
		reviewWantStatus(t, "earner on "+path, status, http.StatusForbidden, body)
	}
	status, body := teacher.post("/review/"+rc.sub.ID+"/approve", url.Values{"level": {"proficient"}})
	reviewWantStatus(t, "earner approving", status, http.StatusForbidden, body)
	if got := reviewState(t, o, rc.sub.ID).State; got != issuer.StateSubmitted {
		t.Fatalf("an earner's post changed the state to %s", got)
	}

	for _, path := range []string{"/review", "/review/" + rc.sub.ID, "/files/" + rc.fileID} {
		resp, _ := reviewFetch(t, reviewNoRedirects(), o.url+path)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(loc, "/signin?next=") {
			t.Errorf("signed out on %s: status %d, location %q", path, resp.StatusCode, loc)
		}
	}
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
